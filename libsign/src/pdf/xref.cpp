#include "pdf/xref.hpp"

#include <string>

#include "pdf/chars.hpp"
#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/limits.hpp"
#include "pdf/parser.hpp"

namespace libsign::pdf {

size_t find_header(std::string_view file) {
  if (file.empty()) fail("INPUT_EMPTY", "the input is empty");
  size_t pos = file.substr(0, limits::kHeaderWindow).find("%PDF-");
  if (pos == std::string_view::npos) fail("INPUT_NOT_PDF", "no %PDF- header in the first 1024 bytes");
  return pos;
}

size_t find_last_startxref(std::string_view file) {
  size_t window = std::min(file.size(), limits::kTailWindow);
  size_t base = file.size() - window;
  std::string_view tail = file.substr(base);
  size_t eof = tail.rfind("%%EOF");
  size_t sx = tail.rfind("startxref");
  if (eof == std::string_view::npos || sx == std::string_view::npos || sx > eof)
    fail("INPUT_TRUNCATED", "no startxref / %%EOF at the end of the file");
  Parser p(file, base + sx + 9);
  p.skip_ws();
  auto v = p.try_uint();
  if (!v || *v >= file.size()) fail("PDF_MALFORMED", "bad startxref value at offset " + std::to_string(base + sx));
  return static_cast<size_t>(*v);
}

namespace {

// After a trailer dict / xref stream object: "startxref N %%EOF" then one EOL. Returns the end offset.
size_t section_end(std::string_view file, size_t pos) {
  Parser p(file, pos);
  p.skip_blanks();
  if (!p.try_keyword("startxref")) malformed("expected 'startxref' after the xref section", p.pos());
  p.skip_blanks();
  if (!p.try_uint()) malformed("expected a number after 'startxref'", p.pos());
  p.skip_blanks();
  size_t q = p.pos();
  if (file.substr(q, 5) != "%%EOF") malformed("expected '%%EOF'", q);
  q += 5;
  if (q < file.size() && file[q] == '\r') {
    ++q;
    if (q < file.size() && file[q] == '\n') ++q;
  } else if (q < file.size() && file[q] == '\n') {
    ++q;
  }
  return q;
}

void check_size(const ObjPtr& trailer, size_t offset) {
  auto size = trailer->get("Size");
  if (!size || !size->is_int() || size->as_int() < 1 || size->as_int() > static_cast<int64_t>(limits::kMaxObjects))
    malformed("missing or absurd trailer /Size", offset);
}

void parse_table(std::string_view file, Parser& p, Revision& rev) {
  while (true) {
    p.skip_ws();
    if (p.try_keyword("trailer")) break;
    size_t at = p.pos();
    auto start = p.try_uint();
    p.skip_ws();
    auto count = p.try_uint();
    if (!start || !count) malformed("bad xref subsection header", at);
    if (*start > limits::kMaxObjects || *count > limits::kMaxObjects - *start) malformed("xref subsection out of range", at);
    // Each entry needs at least ~ 18 bytes; reject counts the file cannot possibly hold before looping.
    if (*count > file.size() / 18 + 1) malformed("xref subsection count larger than the file", at);
    for (uint64_t i = 0; i < *count; ++i) {
      p.skip_ws();
      size_t eat = p.pos();
      auto off = p.try_uint();
      p.skip_ws();
      auto gen = p.try_uint();
      p.skip_ws();
      bool in_use = p.try_keyword("n");
      bool is_free = !in_use && p.try_keyword("f");
      if (!off || !gen || (!in_use && !is_free) || *gen > 65535) malformed("bad xref entry", eat);
      XrefEntry e;
      e.gen = static_cast<uint16_t>(*gen);
      if (in_use && *off != 0) {
        if (*off >= file.size()) malformed("xref entry points past the end of the file", eat);
        e.type = XrefEntry::Type::InFile;
        e.offset = *off;
      }
      uint32_t num = static_cast<uint32_t>(*start + i);
      rev.entries.emplace(num, e);  // first entry for a number within one section wins
    }
  }
  rev.trailer = p.parse_object(0);
  if (!rev.trailer->is_dict()) malformed("trailer is not a dictionary", p.pos());
}

uint64_t read_field(const std::string& data, size_t pos, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(data[pos + static_cast<size_t>(i)]);
  return v;
}

// Parses the xref stream object at `offset`; fills entries (without overriding existing ones) and returns
// its dictionary. `end` receives the position after "endobj".
ObjPtr parse_xref_stream(std::string_view file, size_t offset, std::map<uint32_t, XrefEntry>& entries, size_t& end,
                         bool override_free) {
  Parser p(file, offset);
  auto ind = p.parse_indirect(nullptr);
  end = p.pos();
  const ObjPtr& s = ind.object;
  if (!s->is_stream() || !s->key_is_name("Type", "XRef")) malformed("expected an xref stream", offset);
  check_size(s, offset);
  int64_t size = s->get("Size")->as_int();
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
    ranges.emplace_back(0, static_cast<uint64_t>(size));
  }
  size_t pos = 0;
  for (auto [start, count] : ranges) {
    if (start + count > limits::kMaxObjects) malformed("xref stream range out of bounds", offset);
    for (uint64_t i = 0; i < count; ++i) {
      if (data.size() - pos < row) malformed("xref stream data shorter than /Index says", offset);
      uint64_t type = widths[0] ? read_field(data, pos, widths[0]) : 1;  // default type 1
      uint64_t f2 = read_field(data, pos + static_cast<size_t>(widths[0]), widths[1]);
      uint64_t f3 = read_field(data, pos + static_cast<size_t>(widths[0] + widths[1]), widths[2]);
      pos += row;
      XrefEntry e;
      if (type == 0) {
        e.gen = static_cast<uint16_t>(std::min<uint64_t>(f3, 65535));
      } else if (type == 1) {
        if (f2 >= file.size()) malformed("xref stream entry points past the end of the file", offset);
        if (f3 > 65535) malformed("bad generation in xref stream", offset);
        e.type = XrefEntry::Type::InFile;
        e.offset = f2;
        e.gen = static_cast<uint16_t>(f3);
      } else if (type == 2) {
        if (f2 > limits::kMaxObjects || f3 > limits::kMaxObjStmObjects) malformed("bad compressed xref entry", offset);
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

// Xref offsets are sometimes off by a little whitespace; look at the exact spot, then a few bytes back.
size_t locate_section(std::string_view file, size_t offset) {
  for (size_t back = 0; back <= 4 && back <= offset; ++back) {
    Parser p(file, offset - back);
    p.skip_blanks();
    if (p.pos() < file.size() && (file.substr(p.pos(), 4) == "xref" || is_digit(static_cast<unsigned char>(file[p.pos()])))) {
      if (back == 0 || offset - back == 0 || is_ws(static_cast<unsigned char>(file[offset - back - 1])))
        return p.pos();
    }
  }
  malformed("startxref / Prev does not point at an xref section", offset);
}

}  // namespace

Revision parse_revision(std::string_view file, size_t offset) {
  Revision rev;
  size_t at = locate_section(file, offset);
  rev.xref_offset = at;
  Parser p(file, at);
  if (p.try_keyword("xref")) {
    parse_table(file, p, rev);
    check_size(rev.trailer, at);
    rev.end_offset = section_end(file, p.pos());
    if (auto stm = rev.trailer->get("XRefStm")) {
      if (!stm->is_int() || stm->as_int() < 0 || static_cast<uint64_t>(stm->as_int()) >= file.size())
        malformed("bad /XRefStm", at);
      rev.has_xref_stm = true;
      rev.xref_stm_offset = locate_section(file, static_cast<size_t>(stm->as_int()));
      size_t ignored = 0;
      // Hybrid files: the stream supplies objects the table leaves free or absent.
      parse_xref_stream(file, rev.xref_stm_offset, rev.entries, ignored, true);
    }
  } else {
    rev.is_xref_stream = true;
    size_t end = 0;
    rev.trailer = parse_xref_stream(file, at, rev.entries, end, false);
    rev.end_offset = section_end(file, end);
  }
  if (rev.trailer->has("Encrypt")) fail("PDF_ENCRYPTED", "the document is encrypted (trailer has /Encrypt)");
  return rev;
}

}  // namespace libsign::pdf
