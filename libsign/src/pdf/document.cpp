#include "pdf/document.hpp"

#include <mutex>
#include <set>
#include <unordered_map>

#include "pdf/chars.hpp"
#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/limits.hpp"
#include "pdf/parser.hpp"

namespace libsign::pdf {

namespace {
struct ObjStm {
  std::string data;
  size_t first = 0;
  std::vector<std::pair<uint32_t, size_t>> index;  // object number, offset relative to /First
};
}  // namespace

struct Document::Impl {
  std::string_view file;
  std::vector<Revision> revisions;
  // Caches are filled lazily; the recursive mutex makes a Document usable from several threads.
  mutable std::recursive_mutex mu;
  mutable std::unordered_map<uint64_t, ObjPtr> objects;         // key: file offset, or compressed key
  mutable std::unordered_map<uint64_t, std::shared_ptr<const ObjStm>> objstms;  // key: file offset
  mutable int load_depth = 0;

  void check_revision(size_t r) const {
    if (r >= revisions.size())
      throw Error(ErrorCategory::usage, "BAD_REVISION", "revision index " + std::to_string(r) + " out of range");
  }

  std::optional<XrefEntry> entry(uint32_t num, size_t r) const {
    check_revision(r);
    for (size_t i = r + 1; i-- > 0;) {
      auto it = revisions[i].entries.find(num);
      if (it != revisions[i].entries.end()) return it->second;
    }
    return std::nullopt;
  }

  struct DepthGuard {
    const Impl& impl;
    explicit DepthGuard(const Impl& i) : impl(i) {
      if (++impl.load_depth > limits::kMaxLoadDepth) {
        --impl.load_depth;
        fail("PDF_MALFORMED", "object references nest too deeply (e.g. /Length or object stream loops)");
      }
    }
    ~DepthGuard() { --impl.load_depth; }
  };

  ObjPtr object(Ref ref, size_t r) const {
    auto e = entry(ref.num, r);
    if (!e || e->type == XrefEntry::Type::Free) return Object::null();
    std::lock_guard<std::recursive_mutex> lock(mu);
    DepthGuard guard(*this);
    if (e->type == XrefEntry::Type::InFile) {
      if (e->gen != ref.gen) return Object::null();
      return load_in_file(static_cast<size_t>(e->offset), ref, r);
    }
    if (ref.gen != 0) return Object::null();
    return load_compressed(static_cast<uint32_t>(e->offset), e->index, ref.num, r);
  }

  ObjPtr load_in_file(size_t offset, Ref ref, size_t r) const {
    auto it = objects.find(offset);
    if (it != objects.end()) return it->second;
    // Tolerate an offset that is off by a little whitespace, never more: skip blanks forward, or step back
    // (at most 4 bytes) to the start of the "n g obj" token when the offset points just past it.
    size_t at = offset;
    {
      Parser p(file, offset);
      p.skip_blanks();
      if (p.pos() < file.size() && is_digit(static_cast<unsigned char>(file[p.pos()]))) {
        at = p.pos();
      } else {
        for (size_t back = 1; back <= 4 && back <= offset; ++back) {
          size_t q = offset - back;
          if (is_digit(static_cast<unsigned char>(file[q])) && (q == 0 || is_ws(static_cast<unsigned char>(file[q - 1])))) {
            at = q;
            break;
          }
        }
      }
    }
    Parser p(file, at);
    auto resolve_length = [this, r](Ref len_ref) -> std::optional<int64_t> {
      auto v = object(len_ref, r);
      if (v && v->is_int()) return v->as_int();
      return std::nullopt;
    };
    auto ind = p.parse_indirect(resolve_length);
    if (ind.ref != ref)
      malformed("xref entry for " + to_string(ref) + " points at object " + to_string(ind.ref), offset);
    objects.emplace(offset, ind.object);
    return ind.object;
  }

  std::shared_ptr<const ObjStm> load_objstm(uint32_t stm_num, size_t r) const {
    auto e = entry(stm_num, r);
    if (!e || e->type != XrefEntry::Type::InFile)
      fail("PDF_MALFORMED", "object stream " + std::to_string(stm_num) + " is not an object in the file");
    auto it = objstms.find(e->offset);
    if (it != objstms.end()) return it->second;
    ObjPtr s = load_in_file(static_cast<size_t>(e->offset), Ref{stm_num, e->gen}, r);
    if (!s->is_stream() || !s->key_is_name("Type", "ObjStm"))
      malformed("object " + std::to_string(stm_num) + " is not an object stream", static_cast<size_t>(e->offset));
    auto n = s->get("N"), first = s->get("First");
    if (!n || !first || !n->is_int() || !first->is_int() || n->as_int() < 0 ||
        n->as_int() > static_cast<int64_t>(limits::kMaxObjStmObjects) || first->as_int() < 0)
      malformed("bad object stream /N or /First", static_cast<size_t>(e->offset));
    auto os = std::make_shared<ObjStm>();
    os->data = stream_data(*s, r);
    if (static_cast<uint64_t>(first->as_int()) > os->data.size())
      malformed("object stream /First past its data", static_cast<size_t>(e->offset));
    os->first = static_cast<size_t>(first->as_int());
    Parser hp(std::string_view(os->data).substr(0, os->first));
    for (int64_t i = 0; i < n->as_int(); ++i) {
      hp.skip_ws();
      auto num = hp.try_uint();
      hp.skip_ws();
      auto off = hp.try_uint();
      if (!num || !off || *num > limits::kMaxObjects || *off >= os->data.size() - os->first)
        malformed("bad object stream header in object " + std::to_string(stm_num), static_cast<size_t>(e->offset));
      os->index.emplace_back(static_cast<uint32_t>(*num), static_cast<size_t>(*off));
    }
    objstms.emplace(e->offset, os);
    return os;
  }

  ObjPtr load_compressed(uint32_t stm_num, uint32_t index, uint32_t num, size_t r) const {
    auto stm_entry = entry(stm_num, r);
    if (!stm_entry || stm_entry->type != XrefEntry::Type::InFile)
      fail("PDF_MALFORMED", "object stream " + std::to_string(stm_num) + " is not an object in the file");
    uint64_t key = (uint64_t{1} << 63) | (stm_entry->offset << 20) | index;
    auto it = objects.find(key);
    if (it != objects.end()) return it->second;
    auto os = load_objstm(stm_num, r);
    if (index >= os->index.size() || os->index[index].first != num)
      fail("PDF_MALFORMED", "object " + std::to_string(num) + " is not at index " + std::to_string(index) +
                                " of object stream " + std::to_string(stm_num));
    Parser p(os->data, os->first + os->index[index].second);
    ObjPtr obj = p.parse_object(0);
    objects.emplace(key, obj);
    return obj;
  }

  ObjPtr resolve(ObjPtr obj, size_t r) const {
    for (int i = 0; obj && obj->is_ref(); ++i) {
      if (i >= limits::kMaxResolveChain) fail("PDF_MALFORMED", "reference chain too long");
      obj = object(obj->as_ref(), r);
    }
    return obj;
  }

  std::string stream_data(const Object& s, size_t r) const {
    if (!s.is_stream()) fail("PDF_MALFORMED", "stream_data() on a non-stream object");
    if (s.data_offset() > file.size() || s.data_length() > file.size() - s.data_offset())
      fail("PDF_MALFORMED", "stream data outside the file");
    ObjPtr filter = resolve(s.get("Filter"), r);
    ObjPtr parms = resolve(s.get("DecodeParms"), r);
    if (parms && parms->is_array()) {
      std::vector<ObjPtr> items;
      for (const auto& x : parms->items()) items.push_back(resolve(x, r));
      parms = Object::make_array(std::move(items));
    }
    if (filter && filter->is_array()) {
      std::vector<ObjPtr> items;
      for (const auto& x : filter->items()) items.push_back(resolve(x, r));
      filter = Object::make_array(std::move(items));
    }
    return decode_stream(file.substr(s.data_offset(), s.data_length()), filter, parms);
  }
};

Document Document::open(std::string_view file) {
  find_header(file);
  size_t start = find_last_startxref(file);
  auto impl = std::make_shared<Impl>();
  impl->file = file;

  // Newest first while walking /Prev.
  std::vector<Revision> chain;
  std::set<size_t> seen;
  std::optional<size_t> next = start;
  while (next) {
    if (!seen.insert(*next).second) malformed("/Prev loop", *next);
    if (chain.size() >= limits::kMaxRevisions) malformed("too many revisions", *next);
    Revision rev = parse_revision(file, *next);
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
      continue;
    }
    chain.push_back(std::move(rev));
  }
  impl->revisions.assign(std::make_move_iterator(chain.rbegin()), std::make_move_iterator(chain.rend()));
  Document doc(impl);
  doc.catalog(doc.last_revision());  // a document without a catalog is not usable at all
  return doc;
}

const std::vector<Revision>& Document::revisions() const { return impl_->revisions; }
size_t Document::file_size() const { return impl_->file.size(); }
std::string_view Document::bytes() const { return impl_->file; }

std::optional<size_t> Document::revision_ending_at(size_t offset) const {
  for (size_t i = 0; i < impl_->revisions.size(); ++i)
    if (impl_->revisions[i].end_offset == offset) return i;
  return std::nullopt;
}

std::optional<XrefEntry> Document::entry(uint32_t num, size_t revision) const { return impl_->entry(num, revision); }
ObjPtr Document::object(Ref ref, size_t revision) const { return impl_->object(ref, revision); }
ObjPtr Document::resolve(const ObjPtr& obj, size_t revision) const {
  impl_->check_revision(revision);
  return impl_->resolve(obj, revision);
}
ObjPtr Document::get(const ObjPtr& dict, std::string_view key, size_t revision) const {
  if (!dict || !dict->has_dict()) return nullptr;
  return resolve(dict->get(key), revision);
}
ObjPtr Document::trailer(size_t revision) const {
  impl_->check_revision(revision);
  return impl_->revisions[revision].trailer;
}
ObjPtr Document::catalog(size_t revision) const {
  ObjPtr root = get(trailer(revision), "Root", revision);
  if (!root || !root->is_dict()) fail("PDF_MALFORMED", "trailer /Root of revision " + std::to_string(revision) + " is not a dictionary");
  return root;
}
std::string Document::stream_data(const Object& stream) const { return impl_->stream_data(stream, last_revision()); }
std::string Document::stream_data(const Object& stream, size_t revision) const {
  impl_->check_revision(revision);
  return impl_->stream_data(stream, revision);
}

}  // namespace libsign::pdf
