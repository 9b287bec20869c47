#include "pdf/reconstruct.hpp"

#include <algorithm>

#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/limits.hpp"
#include "pdf/parser.hpp"

namespace libsign::pdf {

namespace {

// Object streams decoded while rebuilding, in all: a hostile file cannot make reconstruction unbounded.
constexpr size_t kMaxDecodedTotal = 256u * 1024 * 1024;

struct Rebuilder {
  std::string_view file;
  const FileScan& scan;
  RepairLog& log;
  size_t decoded_total = 0;

  Parser::EndstreamFinder finder() const {
    return [this](size_t from) { return scan.next_endstream(from); };
  }

  ObjPtr parse_at(size_t offset) const {
    try {
      Parser p(file, offset);
      return p.parse_indirect(nullptr, finder()).object;
    } catch (const Error&) {
      return nullptr;
    }
  }

  // The numbers an object stream holds, as compressed entries (direct /N, /First, /Filter only).
  void add_object_stream(uint32_t stm_num, const ObjPtr& s, std::map<uint32_t, XrefEntry>& out) {
    auto n = s->get("N"), first = s->get("First");
    if (!n || !first || !n->is_int() || !first->is_int() || n->as_int() < 0 || first->as_int() < 0 ||
        n->as_int() > static_cast<int64_t>(limits::kMaxObjStmObjects))
      return;
    if (decoded_total >= kMaxDecodedTotal) return;
    std::string data;
    try {
      data = decode_stream(file.substr(s->data_offset(), s->data_length()), s->get("Filter"), s->get("DecodeParms"));
    } catch (const Error&) {
      return;
    }
    decoded_total += data.size();
    size_t header_end = std::min(data.size(), static_cast<size_t>(first->as_int()));
    Parser hp(std::string_view(data).substr(0, header_end));
    for (int64_t i = 0; i < n->as_int(); ++i) {
      hp.skip_ws();
      auto num = hp.try_uint();
      hp.skip_ws();
      auto off = hp.try_uint();
      if (!num || !off || *num > limits::kMaxObjects) break;
      XrefEntry e;
      e.type = XrefEntry::Type::Compressed;
      e.offset = stm_num;
      e.index = static_cast<uint32_t>(i);
      out.emplace(static_cast<uint32_t>(*num), e);
    }
  }

  ObjPtr trailer_at(size_t keyword) const {
    try {
      Parser p(file, keyword + 7);
      ObjPtr t = p.parse_object(0);
      return t->is_dict() ? t : nullptr;
    } catch (const Error&) {
      return nullptr;
    }
  }

  // One revision from the objects and trailers in [begin, end). `has_content` is false for a stretch
  // that holds neither (junk after "%%EOF").
  Revision segment(size_t begin, size_t end, bool& has_content) {
    Revision rev;
    rev.reconstructed = true;
    rev.damaged = true;
    rev.xref_offset = begin;
    rev.end_offset = end;
    std::map<uint32_t, XrefEntry> compressed;
    ObjPtr xref_stream_dict;
    auto first = std::lower_bound(scan.objects.begin(), scan.objects.end(), begin,
                                  [](const ScannedObject& o, size_t v) { return o.offset < v; });
    for (auto it = first; it != scan.objects.end() && it->offset < end; ++it) {
      XrefEntry e;
      e.type = XrefEntry::Type::InFile;
      e.offset = it->offset;
      e.gen = it->ref.gen;
      rev.entries[it->ref.num] = e;  // the last definition in the revision wins
      if (!it->is_stream) continue;
      ObjPtr o = parse_at(it->offset);
      if (!o || !o->is_stream()) continue;
      if (o->key_is_name("Type", "XRef")) {
        xref_stream_dict = o;
        try {
          size_t ignored = 0;
          std::map<uint32_t, XrefEntry> listed;
          parse_xref_stream(file, it->offset, listed, ignored, false, finder());
          for (const auto& [num, le] : listed)
            if (le.type == XrefEntry::Type::Compressed) compressed.emplace(num, le);
        } catch (const Error&) {
        }
      } else if (o->key_is_name("Type", "ObjStm")) {
        add_object_stream(it->ref.num, o, compressed);
      }
    }
    for (const auto& [num, e] : compressed) rev.entries.emplace(num, e);  // objects in the file itself win
    auto t = std::lower_bound(scan.trailers.begin(), scan.trailers.end(), end);
    while (t != scan.trailers.begin() && !rev.trailer) {
      --t;
      if (*t < begin) break;
      rev.trailer = trailer_at(*t);
      if (rev.trailer) rev.xref_offset = *t;
    }
    if (!rev.trailer && xref_stream_dict) rev.trailer = xref_stream_dict;
    has_content = !rev.entries.empty() || rev.trailer;
    return rev;
  }

  // Whether one of the first `count` revisions defines `num`.
  static bool defines(const std::vector<Revision>& revs, uint32_t num, size_t count = SIZE_MAX) {
    for (size_t i = 0; i < revs.size() && i < count; ++i)
      if (revs[i].entries.count(num)) return true;
    return false;
  }

  // The newest /Type /Catalog among the in-file objects of the revisions so far.
  std::optional<Ref> find_catalog(size_t end) const {
    for (auto it = scan.objects.rbegin(); it != scan.objects.rend(); ++it) {
      if (it->offset >= end) continue;
      ObjPtr o = parse_at(it->offset);
      if (o && o->is_dict() && o->key_is_name("Type", "Catalog")) return it->ref;
    }
    return std::nullopt;
  }

  std::vector<Revision> run() {
    std::vector<size_t> ends = scan.eofs;
    if (!scan.objects.empty() && (ends.empty() || ends.back() <= scan.objects.back().offset)) ends.push_back(file.size());
    std::vector<Revision> revs;
    size_t begin = 0;
    for (size_t end : ends) {
      bool has_content = false;
      Revision rev = segment(begin, end, has_content);
      begin = end;
      if (!has_content) continue;
      if (!rev.trailer && !revs.empty()) rev.trailer = revs.back().trailer;
      revs.push_back(std::move(rev));
    }
    if (revs.empty()) malformed("no object found while rebuilding the cross-reference", 0);
    // A trailer without a usable /Root (or none at all) gets the newest catalog found by scanning.
    for (size_t i = 0; i < revs.size(); ++i) {
      auto root = revs[i].trailer ? revs[i].trailer->get("Root") : nullptr;
      if (root && root->is_ref() && defines(revs, root->as_ref().num, i + 1)) continue;
      auto catalog = find_catalog(revs[i].end_offset);
      if (!catalog) continue;
      std::vector<DictEntry> entries = revs[i].trailer ? revs[i].trailer->entries() : std::vector<DictEntry>{};
      entries.erase(std::remove_if(entries.begin(), entries.end(), [](const DictEntry& e) { return e.key == "Root"; }),
                    entries.end());
      entries.push_back(DictEntry{"Root", Object::make_ref(*catalog)});
      revs[i].trailer = Object::make_dict(std::move(entries));
      log.add("reconstructed", revs[i].xref_offset, "no usable trailer /Root for the bytes up to offset " +
                                                        std::to_string(revs[i].end_offset) + "; using catalog " +
                                                        to_string(*catalog) + " found by scanning");
    }
    // A stretch whose view has no catalog yet (the first-page part of a linearized file) belongs to the next.
    std::vector<Revision> merged;
    std::map<uint32_t, XrefEntry> carried;
    for (size_t i = 0; i < revs.size(); ++i) {
      Revision& rev = revs[i];
      for (const auto& [num, e] : carried) rev.entries.emplace(num, e);
      carried.clear();
      auto root = rev.trailer ? rev.trailer->get("Root") : nullptr;
      bool usable = root && root->is_ref() && (rev.entries.count(root->as_ref().num) || defines(merged, root->as_ref().num));
      if (!usable && i + 1 < revs.size()) {
        carried = std::move(rev.entries);
        continue;
      }
      merged.push_back(std::move(rev));
    }
    return merged;
  }
};

}  // namespace

std::vector<Revision> reconstruct_revisions(std::string_view file, const FileScan& scan, RepairLog& log) {
  return Rebuilder{file, scan, log, 0}.run();
}

}  // namespace libsign::pdf
