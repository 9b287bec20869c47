#include "pdf/xref.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "pdf/chars.hpp"
#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/limits.hpp"
#include "pdf/scan.hpp"

namespace libsign::pdf {

namespace {
// How far from a recorded offset we look for the section or object it should point at (bytes each way).
constexpr size_t kNearbyWindow = 64;
}  // namespace

size_t find_header(std::string_view file) {
  if (file.empty()) fail("INPUT_EMPTY", "the input is empty");
  size_t pos = file.substr(0, limits::kHeaderWindow).find("%PDF-");
  if (pos == std::string_view::npos) fail("INPUT_NOT_PDF", "no %PDF- header in the first 1024 bytes");
  return pos;
}

std::optional<size_t> find_last_startxref(std::string_view file, RepairLog& log) {
  size_t window = std::min(file.size(), limits::kTailWindow);
  size_t base = file.size() - window;
  size_t sx = file.substr(base).rfind("startxref");
  if (sx != std::string_view::npos) {
    sx += base;
  } else {
    sx = file.rfind("startxref");
    if (sx == std::string_view::npos) return std::nullopt;
    log.add("eof-marker", sx, "the last 'startxref' is followed by " + std::to_string(file.size() - sx) +
                                  " bytes that belong to no revision");
  }
  Parser p(file, sx + 9);
  p.skip_ws();
  auto v = p.try_uint();
  if (!v || *v >= file.size()) {
    log.add("startxref", sx, "'startxref' does not give an offset inside the file");
    return std::nullopt;
  }
  return static_cast<size_t>(*v);
}

namespace {

// Blanks and comments, but not the "%%EOF" marker (itself a comment).
void skip_blanks_and_comments(Parser& p, std::string_view file) {
  while (true) {
    p.skip_blanks();
    size_t q = p.pos();
    if (q >= file.size() || file[q] != '%' || file.substr(q, 5) == "%%EOF") return;
    while (q < file.size() && file[q] != '\n' && file[q] != '\r') ++q;
    p.seek(q);
  }
}

size_t after_eol(std::string_view file, size_t q) {
  if (q < file.size() && file[q] == '\r') ++q;
  if (q < file.size() && file[q] == '\n') ++q;
  return q;
}

// After a trailer dict / xref stream object comes "startxref N %%EOF" and one EOL: returns the end offset.
// Comments may stand anywhere in between (iText writes its version there).
size_t section_end(std::string_view file, size_t pos, RepairLog& log) {
  Parser p(file, pos);
  skip_blanks_and_comments(p, file);
  if (p.try_keyword("startxref")) {
    skip_blanks_and_comments(p, file);
    p.try_uint();
    skip_blanks_and_comments(p, file);
    if (file.substr(p.pos(), 5) == "%%EOF") return after_eol(file, p.pos() + 5);
    log.add("eof-marker", p.pos(), "no '%%EOF' after 'startxref'");
    return p.pos();
  }
  // No "startxref" here: the revision still ends at the next "%%EOF" when one follows closely.
  size_t eof = file.substr(p.pos(), 1024).find("%%EOF");
  log.add("startxref", p.pos(), "no 'startxref' after the xref section");
  if (eof != std::string_view::npos) return after_eol(file, p.pos() + eof + 5);
  return p.pos();
}

bool valid_size(const ObjPtr& dict) {
  auto size = dict->get("Size");
  return size && size->is_int() && size->as_int() >= 1 && size->as_int() <= static_cast<int64_t>(limits::kMaxObjects);
}

void check_size(const ObjPtr& dict, size_t offset, RepairLog& log) {
  if (!valid_size(dict)) log.add("xref-table", offset, "missing or absurd trailer /Size (ignored)");
}

// Skips to the "trailer" keyword after a table that cannot be read entry by entry.
void resync_to_trailer(std::string_view file, Parser& p, Revision& rev, RepairLog& log, const char* what) {
  size_t at = p.pos();
  size_t t = file.substr(at).find("trailer");
  if (t == std::string_view::npos) malformed(what, at);
  log.add("xref-table", at, std::string(what) + "; the rest of the table up to 'trailer' is ignored");
  rev.damaged = true;
  p.seek(at + t + 7);
}

void parse_table(std::string_view file, Parser& p, Revision& rev, RepairLog& log) {
  uint64_t start = 0, declared = 0, seen = 0;
  bool in_subsection = false;
  size_t subsection_at = 0;
  auto close_subsection = [&] {
    if (in_subsection && seen != declared) {
      log.add("xref-table", subsection_at, "xref subsection declares " + std::to_string(declared) + " entries but has " +
                                               std::to_string(seen));
      rev.damaged = true;
    }
  };
  while (true) {
    p.skip_ws();
    if (p.try_keyword("trailer")) break;
    size_t at = p.pos();
    auto a = p.try_uint();
    p.skip_ws();
    auto b = p.try_uint();
    p.skip_ws();
    if (!a || !b) {
      close_subsection();
      resync_to_trailer(file, p, rev, log, "unreadable xref table line");
      in_subsection = false;
      break;
    }
    bool in_use = p.try_keyword("n");
    bool is_free = !in_use && p.try_keyword("f");
    if (!in_use && !is_free) {  // a subsection header "start count"
      close_subsection();
      start = *a;
      declared = *b;
      seen = 0;
      in_subsection = true;
      subsection_at = at;
      continue;
    }
    if (!in_subsection) {
      resync_to_trailer(file, p, rev, log, "xref entry before any subsection header");
      break;
    }
    // A frequent producer bug: the table starts at object 1 but its first entry is the free-list head of object 0.
    if (seen == 0 && start == 1 && is_free && *a == 0 && *b == 65535) {
      log.add("xref-table", at, "xref subsection numbered from 1 starts with the entry of object 0; renumbered");
      start = 0;
    }
    uint64_t num = start + seen++;
    if (num > limits::kMaxObjects || *b > 65535) {
      log.add("xref-entry", at, "xref entry out of range ignored");
      rev.damaged = true;
      continue;
    }
    XrefEntry e;
    e.gen = static_cast<uint16_t>(*b);
    if (in_use && *a != 0) {
      e.type = XrefEntry::Type::InFile;
      e.offset = *a;
      if (*a >= file.size()) {
        log.add("xref-entry", at, "xref entry of object " + std::to_string(num) + " points past the end of the file");
        rev.damaged = true;
      }
    }
    rev.entries.emplace(static_cast<uint32_t>(num), e);  // first entry for a number within one section wins
  }
  close_subsection();
  rev.trailer = p.parse_object(0);
  if (!rev.trailer->is_dict()) malformed("trailer is not a dictionary", p.pos());
}

uint64_t read_field(const std::string& data, size_t pos, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(data[pos + static_cast<size_t>(i)]);
  return v;
}

bool is_section_start(std::string_view file, size_t q) {
  if (q >= file.size()) return false;
  if (file.substr(q, 4) == "xref")  // the keyword itself, not the end of "startxref"
    return (q == 0 || !is_regular(static_cast<unsigned char>(file[q - 1]))) &&
           (q + 4 >= file.size() || !is_regular(static_cast<unsigned char>(file[q + 4])));
  if (!is_digit(static_cast<unsigned char>(file[q])) || (q > 0 && is_regular(static_cast<unsigned char>(file[q - 1]))))
    return false;
  auto header = object_header_at(file, q);
  if (!header) return false;
  try {  // an xref stream, not just any object
    Parser p(file, header->body);
    ObjPtr dict = p.parse_object(0);
    return dict->is_dict() && dict->key_is_name("Type", "XRef");
  } catch (const Error&) {
    return false;
  }
}

// The exact spot after blanks, or at most 4 bytes back when the offset points just past a token start.
std::optional<size_t> section_at(std::string_view file, size_t offset) {
  for (size_t back = 0; back <= 4 && back <= offset; ++back) {
    Parser p(file, offset - back);
    p.skip_blanks();
    if (p.pos() < file.size() && (file.substr(p.pos(), 4) == "xref" || is_digit(static_cast<unsigned char>(file[p.pos()])))) {
      if (back == 0 || offset - back == 0 || is_ws(static_cast<unsigned char>(file[offset - back - 1])))
        if (is_section_start(file, p.pos())) return p.pos();
    }
  }
  return std::nullopt;
}

// Where the section an offset names really starts: at it, relative to the header (junk before "%PDF-"), or
// a little before or after it (recorded as a repair); throws PDF_MALFORMED when there is none.
size_t locate_section(std::string_view file, size_t offset, size_t header_offset, RepairLog& log) {
  if (offset < file.size())
    if (auto at = section_at(file, offset)) return *at;
  if (header_offset > 0 && offset + header_offset < file.size())
    if (auto at = section_at(file, offset + header_offset)) {
      log.add("header-offset", *at, "xref offset counted from the %PDF- header instead of the file start");
      return *at;
    }
  if (offset < file.size()) {
    size_t lo = offset > kNearbyWindow ? offset - kNearbyWindow : 0;
    size_t hi = std::min(file.size(), offset + kNearbyWindow);
    std::optional<size_t> best;
    for (size_t q = lo; q < hi; ++q) {
      if (!is_section_start(file, q)) continue;
      auto dist = [&](size_t x) { return x > offset ? x - offset : offset - x; };
      if (!best || dist(q) < dist(*best)) best = q;
    }
    if (best) {
      log.add("xref-offset", *best, "xref section found " + std::to_string(static_cast<long long>(*best) -
                                                                           static_cast<long long>(offset)) +
                                        " bytes away from the offset that names it");
      return *best;
    }
  }
  malformed("startxref / Prev does not point at an xref section", offset);
}

}  // namespace

ObjPtr parse_xref_stream(std::string_view file, size_t offset, std::map<uint32_t, XrefEntry>& entries, size_t& end,
                         bool override_free, const Parser::EndstreamFinder& find_endstream) {
  Parser p(file, offset);
  auto ind = p.parse_indirect(nullptr, find_endstream);
  end = p.pos();
  const ObjPtr& s = ind.object;
  if (!s->is_stream() || !s->key_is_name("Type", "XRef")) malformed("expected an xref stream", offset);
  auto w = s->get("W");
  if (!w || !w->is_array() || w->items().size() != 3) malformed("bad xref stream /W", offset);
  int widths[3];
  for (int i = 0; i < 3; ++i) {
    auto x = w->items()[static_cast<size_t>(i)];
    if (!x->is_int() || x->as_int() < 0 || x->as_int() > 8) malformed("bad xref stream /W", offset);
    widths[i] = static_cast<int>(x->as_int());
  }
  size_t row = static_cast<size_t>(widths[0] + widths[1] + widths[2]);
  if (row == 0) malformed("bad xref stream /W", offset);
  std::string data = decode_stream(file.substr(s->data_offset(), s->data_length()), s->get("Filter"), s->get("DecodeParms"));
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  if (auto index = s->get("Index")) {
    if (!index->is_array() || index->items().size() % 2 != 0) malformed("bad xref stream /Index", offset);
    for (size_t i = 0; i < index->items().size(); i += 2) {
      auto a = index->items()[i], b = index->items()[i + 1];
      if (!a->is_int() || !b->is_int() || a->as_int() < 0 || b->as_int() < 0 ||
          a->as_int() > static_cast<int64_t>(limits::kMaxObjects) || b->as_int() > static_cast<int64_t>(limits::kMaxObjects))
        malformed("bad xref stream /Index", offset);
      ranges.emplace_back(static_cast<uint64_t>(a->as_int()), static_cast<uint64_t>(b->as_int()));
    }
  } else {
    if (!valid_size(s)) malformed("missing or absurd xref stream /Size", offset);
    ranges.emplace_back(0, static_cast<uint64_t>(s->get("Size")->as_int()));
  }
  size_t pos = 0;
  for (auto [start, count] : ranges) {
    if (start + count > limits::kMaxObjects) malformed("xref stream range out of bounds", offset);
    for (uint64_t i = 0; i < count; ++i) {
      if (data.size() - pos < row) return s;  // shorter than /Index says: the caller sees fewer entries
      uint64_t type = widths[0] ? read_field(data, pos, widths[0]) : 1;  // default type 1
      uint64_t f2 = read_field(data, pos + static_cast<size_t>(widths[0]), widths[1]);
      uint64_t f3 = read_field(data, pos + static_cast<size_t>(widths[0] + widths[1]), widths[2]);
      pos += row;
      XrefEntry e;
      if (type == 0) {
        e.gen = static_cast<uint16_t>(std::min<uint64_t>(f3, 65535));
      } else if (type == 1) {
        if (f3 > 65535) continue;
        e.type = XrefEntry::Type::InFile;
        e.offset = f2;  // past the end of the file: loading falls back to scanning
        e.gen = static_cast<uint16_t>(f3);
      } else if (type == 2) {
        if (f2 > limits::kMaxObjects || f3 > limits::kMaxObjStmObjects) continue;
        e.type = XrefEntry::Type::Compressed;
        e.offset = f2;
        e.index = static_cast<uint32_t>(f3);
      } else {
        continue;  // unknown types are to be ignored (ISO 32000-1 §7.5.8.3)
      }
      uint32_t num = static_cast<uint32_t>(start + i);
      auto it = entries.find(num);
      if (it == entries.end()) entries.emplace(num, e);
      else if (override_free && it->second.type == XrefEntry::Type::Free) it->second = e;
    }
  }
  return s;
}

Revision parse_revision(std::string_view file, size_t offset, size_t header_offset, RepairLog& log,
                        const Parser::EndstreamFinder& find_endstream) {
  Revision rev;
  size_t at = locate_section(file, offset, header_offset, log);
  rev.xref_offset = at;
  Parser p(file, at);
  if (p.try_keyword("xref")) {
    parse_table(file, p, rev, log);
    check_size(rev.trailer, at, log);
    rev.end_offset = section_end(file, p.pos(), log);
    if (auto stm = rev.trailer->get("XRefStm")) {
      // Hybrid files: the stream supplies objects the table leaves free or absent.
      try {
        if (!stm->is_int() || stm->as_int() < 0) malformed("bad /XRefStm", at);
        size_t stm_at = locate_section(file, static_cast<size_t>(stm->as_int()), header_offset, log);
        size_t ignored = 0;
        parse_xref_stream(file, stm_at, rev.entries, ignored, true, find_endstream);
        rev.has_xref_stm = true;
        rev.xref_stm_offset = stm_at;
      } catch (const Error& e) {
        log.add("xref-stream", at, std::string("the hybrid /XRefStm cannot be read (") + e.what() + "); table only");
        rev.damaged = true;
      }
    }
  } else {
    rev.is_xref_stream = true;
    size_t end = 0;
    std::map<uint32_t, XrefEntry> entries;
    rev.trailer = parse_xref_stream(file, at, entries, end, false, find_endstream);
    rev.entries = std::move(entries);
    rev.end_offset = section_end(file, end, log);
  }
  return rev;
}

std::vector<Revision> read_revision_chain(std::string_view file, size_t header_offset, RepairLog& log,
                                        const Parser::EndstreamFinder& finder) {
  auto start = find_last_startxref(file, log);
  if (!start) malformed("no usable 'startxref' at the end of the file", file.size());
  std::vector<Revision> chain;  // newest first while walking /Prev
  std::set<size_t> seen;
  std::optional<size_t> next = start;
  while (next) {
    // A loop means sections are missing from the chain (qpdf and poppler rebuild too): rebuild.
    if (!seen.insert(*next).second) malformed("/Prev loops back to an xref section already read", *next);
    if (chain.size() >= limits::kMaxRevisions) malformed("too many revisions", *next);
    Revision rev;
    try {
      rev = parse_revision(file, *next, header_offset, log, finder);
    } catch (const Error&) {
      if (*next == 0 && !chain.empty()) {  // "/Prev 0" written by producers that mean "none"
        log.add("prev-chain", 0, "/Prev 0 names no xref section; ignored", size_t{0});  // the oldest revision read
        chain.back().damaged = true;  // numbers it does not list may still be found by scanning
        break;
      }
      throw;
    }
    if (seen.count(rev.xref_offset) && rev.xref_offset != *next)
      malformed("/Prev leads back to an xref section already read", *next);
    seen.insert(rev.xref_offset);
    next.reset();
    if (auto prev = rev.trailer->get("Prev")) {
      if (!prev->is_int() || prev->as_int() < 0 || static_cast<uint64_t>(prev->as_int()) >= file.size())
        malformed("bad /Prev", rev.xref_offset);
      next = static_cast<size_t>(prev->as_int());
    }
    if (!chain.empty() && chain.back().xref_offset < rev.xref_offset) {
      // Linearized files: the first-page section (early in the file) has /Prev pointing at the main section at
      // the end. Both describe one revision; the first-page entries win.
      Revision& newer = chain.back();
      for (auto& [num, e] : rev.entries) newer.entries.emplace(num, e);
      newer.end_offset = std::max(newer.end_offset, rev.end_offset);
      newer.damaged = newer.damaged || rev.damaged;
      continue;
    }
    chain.push_back(std::move(rev));
  }
  return std::vector<Revision>(std::make_move_iterator(chain.rbegin()), std::make_move_iterator(chain.rend()));
}

}  // namespace libsign::pdf
