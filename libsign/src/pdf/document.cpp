#include "pdf/document.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "pdf/chars.hpp"
#include "pdf/decrypt.hpp"
#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/limits.hpp"
#include "pdf/parser.hpp"
#include "pdf/reconstruct.hpp"
#include "pdf/scan.hpp"
#include "pdf/security.hpp"

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
  size_t header_offset = 0;
  std::vector<Revision> revisions;
  bool reconstructed = false;
  mutable RepairLog log;
  // Caches are filled lazily; the recursive mutex makes a Document usable from several threads.
  mutable std::recursive_mutex mu;
  mutable std::unordered_map<uint64_t, ObjPtr> objects;         // key: in_file_key(offset, number)
  mutable std::map<std::tuple<uint64_t, uint32_t, uint32_t>, ObjPtr> compressed_objects;  // stream offset, stream, number
  mutable std::unordered_map<uint64_t, std::shared_ptr<const ObjStm>> objstms;  // key: in_file_key
  mutable std::unique_ptr<FileScan> scan_;                      // built on the first need
  mutable std::unique_ptr<std::vector<size_t>> endstreams_;     // likewise, for wrong stream lengths
  mutable int load_depth = 0;
  // Set when the document is encrypted and the empty user password opened it.
  std::unique_ptr<const ObjectDecryptor> decryptor;

  void check_revision(size_t r) const {
    if (r >= revisions.size())
      throw Error(ErrorCategory::usage, "BAD_REVISION", "revision index " + std::to_string(r) + " out of range");
  }

  const FileScan& scan() const {
    std::lock_guard<std::recursive_mutex> lock(mu);
    if (!scan_) scan_ = std::make_unique<FileScan>(scan_file(file));
    return *scan_;
  }

  // Made once: parse_object_at hands it to every stream it parses.
  const Parser::EndstreamFinder find_endstream = [this](size_t from) { return next_endstream(from); };

  std::optional<size_t> next_endstream(size_t from) const {
    std::lock_guard<std::recursive_mutex> lock(mu);
    if (!endstreams_) endstreams_ = std::make_unique<std::vector<size_t>>(find_keywords(file, "endstream"));
    auto it = std::lower_bound(endstreams_->begin(), endstreams_->end(), from);
    if (it == endstreams_->end()) return std::nullopt;
    return *it;
  }

  // The entry for `num` in the view of revision r, and the revision that wrote it.
  std::optional<std::pair<XrefEntry, size_t>> entry_with_revision(uint32_t num, size_t r) const {
    check_revision(r);
    for (size_t i = r + 1; i-- > 0;) {
      auto it = revisions[i].entries.find(num);
      if (it != revisions[i].entries.end()) return std::make_pair(it->second, i);
    }
    return std::nullopt;
  }

  std::optional<XrefEntry> entry(uint32_t num, size_t r) const {
    auto e = entry_with_revision(num, r);
    if (!e) return std::nullopt;
    return e->first;
  }

  size_t revision_begin(size_t r) const { return r == 0 ? 0 : revisions[r - 1].end_offset; }

  size_t revision_holding(size_t offset) const {
    for (size_t i = 0; i < revisions.size(); ++i)
      if (offset < revisions[i].end_offset) return i;
    return revisions.empty() ? 0 : revisions.size() - 1;
  }

  bool any_damaged(size_t r) const {
    for (size_t i = 0; i <= r; ++i)
      if (revisions[i].damaged) return true;
    return false;
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

  // Numbers being loaded right now (at most kMaxLoadDepth, so a small vector): an object whose loading
  // needs itself (a /Length that refers to its own stream) reads as null instead of recursing.
  mutable std::vector<uint32_t> loading;
  struct LoadingGuard {
    const Impl& impl;
    ~LoadingGuard() { impl.loading.pop_back(); }
  };

  ObjPtr object(Ref ref, size_t r) const {
    auto found = entry_with_revision(ref.num, r);
    std::lock_guard<std::recursive_mutex> lock(mu);
    if (std::find(loading.begin(), loading.end(), ref.num) != loading.end()) return Object::null();
    DepthGuard guard(*this);
    loading.push_back(ref.num);
    LoadingGuard loading_guard{*this};
    if (!found) {
      // A damaged xref may have lost entries: the object may still be in the revision's bytes.
      if (ref.num == 0 || !any_damaged(r)) return Object::null();
      return load_by_scan(ref, 0, revisions[r].end_offset, r, "object " + to_string(ref) + " is missing from the xref");
    }
    const auto& [e, defined_in] = *found;
    if (e.type == XrefEntry::Type::Free) return Object::null();
    if (e.type == XrefEntry::Type::InFile) {
      if (e.gen != ref.gen) return Object::null();
      return load_in_file(static_cast<size_t>(e.offset), ref, r, defined_in);
    }
    if (ref.gen != 0) return Object::null();
    return load_compressed(static_cast<uint32_t>(e.offset), e.index, ref.num, r);
  }

  // Parses "N G obj" at `at`; nullptr when there is no such object or it is another one. When the header is
  // right but the body cannot be parsed, `broken` receives why (and nullptr is returned).
  ObjPtr parse_object_at(size_t at, Ref ref, size_t r, std::string* broken = nullptr) const {
    if (auto header = object_header_at(file, at); !header || header->ref != ref) return nullptr;
    Parser p(file, at);
    p.set_lenient(true);
    auto resolve_length = [this, r](Ref len_ref) -> std::optional<int64_t> {
      if (r >= revisions.size()) return std::nullopt;  // while deciding whether to rebuild at all
      auto v = object(len_ref, r);
      if (v && v->is_int()) return v->as_int();
      return std::nullopt;
    };
    Parser::Indirect ind;
    try {
      ind = p.parse_indirect(resolve_length, find_endstream);
    } catch (const Error& e) {
      if (e.code() != "PDF_MALFORMED") throw;
      if (broken) *broken = e.what();
      return nullptr;
    }
    if (ind.length_repaired)
      log.add("stream-length", at, "stream " + to_string(ref) + ": /Length is wrong or unusable; the data ends before 'endstream'");
    if (ind.endobj_missing) log.add("endobj", at, "object " + to_string(ref) + " has no 'endobj'");
    if (p.tolerated() > 0)
      log.add("object-syntax", at, "object " + to_string(ref) + ": " + std::to_string(p.tolerated()) +
                                       " stray token(s) where a dictionary key or an array item should be, skipped");
    return ind.object;
  }

  // Tolerates an offset off by a little whitespace (blanks forward, or at most 4 bytes back to the start of
  // the "n g obj" token); beyond that the object is looked for by scanning the revision that wrote it.
  // Cache key of an object read from the file: its number with the offset it was asked at (two entries may
  // name one offset, e.g. a redirected number and the object really there: they must not share a result).
  static uint64_t in_file_key(size_t offset, uint32_t num) { return (static_cast<uint64_t>(offset) << 23) | num; }

  ObjPtr load_in_file(size_t offset, Ref ref, size_t r, size_t defined_in) const {
    const uint64_t key = in_file_key(offset, ref.num);
    auto it = objects.find(key);
    if (it != objects.end()) return it->second;
    size_t at = offset;
    if (offset < file.size()) {
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
    std::string broken;
    ObjPtr obj = parse_object_at(at, ref, r, &broken);
    if (!obj && !broken.empty()) {
      log.add("object-syntax", at, "object " + to_string(ref) + " cannot be parsed (" + broken + "); read as null");
      objects.emplace(key, Object::null());
      return Object::null();
    }
    if (!obj && header_offset > 0) {
      obj = parse_object_at(offset + header_offset, ref, r);
      if (obj) log.add("header-offset", offset + header_offset, "object " + to_string(ref) + ": xref offset counted from the %PDF- header");
    }
    if (!obj) {
      // The entry names bytes that hold another object: in an update after signing that is how a shadow
      // attack redirects a number; recorded as its own kind, on the revision that wrote the entry.
      if (auto other = object_header_at(file, at); other && other->ref != ref)
        log.add("xref-mismatch", offset, "the xref of revision " + std::to_string(defined_in) + " gives object " +
                                             to_string(ref) + " the offset of object " + to_string(other->ref),
                defined_in);
      // Prefer a definition in the bytes of the revision that wrote the entry, then any earlier one.
      std::string why = "object " + to_string(ref) + " is not at the offset " + std::to_string(offset) + " its xref gives";
      const FileScan& s = scan();
      auto def = s.last_definition(ref.num, revision_begin(defined_in), revisions[defined_in].end_offset);
      if (!def || def->ref != ref) def = s.last_definition(ref.num, 0, revisions[defined_in].end_offset);
      if (def && def->ref == ref) {
        obj = parse_object_at(def->offset, ref, r);
        if (obj) log.add("object-offset", def->offset, why + "; found at " + std::to_string(def->offset) + " by scanning", defined_in);
      }
      if (!obj) {
        log.add("object-offset", offset < file.size() ? offset : file.size(), why + " and cannot be found; read as null", defined_in);
        obj = Object::null();
      }
    }
    if (decryptor) obj = decryptor->object(obj, ref);
    objects.emplace(key, obj);
    return obj;
  }

  ObjPtr load_by_scan(Ref ref, size_t begin, size_t end, size_t r, const std::string& why) const {
    auto def = scan().last_definition(ref.num, begin, end);
    if (!def || def->ref != ref) return Object::null();
    const uint64_t key = in_file_key(def->offset, ref.num);
    auto it = objects.find(key);
    if (it != objects.end()) return it->second;
    ObjPtr obj = parse_object_at(def->offset, ref, r);
    if (!obj) return Object::null();
    if (decryptor) obj = decryptor->object(obj, ref);
    log.add("xref-entry", def->offset, why + "; found at " + std::to_string(def->offset) + " by scanning");
    objects.emplace(key, obj);
    return obj;
  }

  std::shared_ptr<const ObjStm> load_objstm(uint32_t stm_num, size_t r) const {
    auto found = entry_with_revision(stm_num, r);
    if (!found || found->first.type != XrefEntry::Type::InFile) return nullptr;
    const XrefEntry& e = found->first;
    auto it = objstms.find(in_file_key(static_cast<size_t>(e.offset), stm_num));
    if (it != objstms.end()) return it->second;
    ObjPtr s = load_in_file(static_cast<size_t>(e.offset), Ref{stm_num, e.gen}, r, found->second);
    if (!s->is_stream() || !s->key_is_name("Type", "ObjStm")) return nullptr;
    try {
      auto os = read_objstm(*s, stm_num, static_cast<size_t>(e.offset), r);
      objstms.emplace(in_file_key(static_cast<size_t>(e.offset), stm_num), os);
      return os;
    } catch (const Error& err) {
      if (err.category() != ErrorCategory::format) throw;
      // One broken object stream (a decompression bomb, a bad header) does not make the whole file
      // unreadable: its objects read as null, and the repair is on the revision that wrote it (a later
      // revision with unreadable content counts as a modification the signatures before it do not allow).
      log.add("object-stream-unreadable", static_cast<size_t>(e.offset),
              "object stream " + std::to_string(stm_num) + " cannot be read (" + err.what() + "); its objects read as null",
              found->second);
      objstms.emplace(in_file_key(static_cast<size_t>(e.offset), stm_num), nullptr);
      return nullptr;
    }
  }

  std::shared_ptr<const ObjStm> read_objstm(const Object& s, uint32_t stm_num, size_t offset, size_t r) const {
    auto n = resolve(s.get("N"), r), first = resolve(s.get("First"), r);
    if (!n || !first || !n->is_int() || !first->is_int() || n->as_int() < 0 ||
        n->as_int() > static_cast<int64_t>(limits::kMaxObjStmObjects) || first->as_int() < 0)
      malformed("bad object stream /N or /First", offset);
    auto os = std::make_shared<ObjStm>();
    os->data = stream_data(s, r);
    if (static_cast<uint64_t>(first->as_int()) > os->data.size()) malformed("object stream /First past its data", offset);
    os->first = static_cast<size_t>(first->as_int());
    Parser hp(std::string_view(os->data).substr(0, os->first));
    for (int64_t i = 0; i < n->as_int(); ++i) {
      hp.skip_ws();
      auto num = hp.try_uint();
      hp.skip_ws();
      auto off = hp.try_uint();
      if (!num || !off || *num > limits::kMaxObjects || *off >= os->data.size() - os->first) {
        log.add("object-stream", offset, "object stream " + std::to_string(stm_num) + " lists fewer readable objects than its /N");
        break;
      }
      os->index.emplace_back(static_cast<uint32_t>(*num), static_cast<size_t>(*off));
    }
    return os;
  }

  ObjPtr load_compressed(uint32_t stm_num, uint32_t index, uint32_t num, size_t r) const {
    auto stm_entry = entry(stm_num, r);
    if (!stm_entry || stm_entry->type != XrefEntry::Type::InFile) {
      log.add("object-stream", 0, "object " + std::to_string(num) + " is in object stream " + std::to_string(stm_num) +
                                      ", which is not an object in the file; read as null");
      return Object::null();
    }
    const auto key = std::make_tuple(stm_entry->offset, stm_num, num);
    auto it = compressed_objects.find(key);
    if (it != compressed_objects.end()) return it->second;
    auto os = load_objstm(stm_num, r);
    if (!os) {
      log.add("object-stream", static_cast<size_t>(stm_entry->offset),
              "object stream " + std::to_string(stm_num) + " cannot be read; object " + std::to_string(num) + " read as null");
      return Object::null();
    }
    size_t at = index;
    if (at >= os->index.size() || os->index[at].first != num) {
      // The xref names the wrong index: use the stream's own header, as readers do.
      auto pos = std::find_if(os->index.begin(), os->index.end(), [num](const auto& x) { return x.first == num; });
      if (pos == os->index.end()) {
        log.add("object-stream", static_cast<size_t>(stm_entry->offset),
                "object " + std::to_string(num) + " is not in object stream " + std::to_string(stm_num) + "; read as null");
        return Object::null();
      }
      at = static_cast<size_t>(pos - os->index.begin());
      log.add("object-stream", static_cast<size_t>(stm_entry->offset),
              "object " + std::to_string(num) + " is at index " + std::to_string(at) + " of object stream " +
                  std::to_string(stm_num) + ", not " + std::to_string(index));
    }
    Parser p(os->data, os->first + os->index[at].second);
    ObjPtr obj = p.parse_object(0);
    compressed_objects.emplace(key, obj);
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
    std::string_view raw = file.substr(s.data_offset(), s.data_length());
    if (!decryptor) return decode_stream(raw, filter, parms);
    return decode_stream(decryptor->stream(s, raw, filter, parms), filter, parms);
  }

  // Every value of `obj` made direct (the /Encrypt dictionary is handed to the security handler so).
  // `budget` counts the values copied: references repeated in a DAG (or a cycle) would otherwise copy
  // exponentially many (a 31 KB file found by fuzzing took 24 GB).
  ObjPtr direct_copy(const ObjPtr& obj, size_t r, int depth, size_t& budget) const {
    if (budget == 0) fail("PDF_MALFORMED", "trailer /Encrypt refers to too many values");
    --budget;
    ObjPtr o = resolve(obj, r);
    if (!o || depth > limits::kMaxNesting) return o;
    if (o->is_array()) {
      std::vector<ObjPtr> items;
      for (const auto& x : o->items()) items.push_back(direct_copy(x, r, depth + 1, budget));
      return Object::make_array(std::move(items));
    }
    if (o->is_dict()) {
      std::vector<DictEntry> entries;
      for (const auto& e : o->entries()) entries.push_back(DictEntry{e.key, direct_copy(e.value, r, depth + 1, budget)});
      return Object::make_dict(std::move(entries));
    }
    return o;
  }

  // Opens an encrypted document with the empty user password; objects read so far are read again.
  void open_security() {
    size_t last = revisions.size() - 1;
    ObjPtr trailer = revisions[last].trailer;
    ObjPtr enc = trailer->get("Encrypt");
    if (!enc) return;
    size_t budget = limits::kMaxEncryptValues;
    ObjPtr dict = direct_copy(enc, last, 0, budget);
    if (!dict || !dict->is_dict()) fail("PDF_MALFORMED", "trailer /Encrypt is not a dictionary");
    std::string id0;
    ObjPtr ids = resolve(trailer->get("ID"), last);
    if (ids && ids->is_array() && !ids->items().empty()) {
      ObjPtr first = resolve(ids->items()[0], last);
      if (first && first->is_string()) id0 = first->as_string();
    }
    std::optional<Ref> encrypt_ref;
    if (enc->is_ref()) encrypt_ref = enc->as_ref();
    decryptor = std::make_unique<ObjectDecryptor>(SecurityHandler::open(*dict, id0), encrypt_ref);
    clear_caches();
  }

  void read_xref_chain() { revisions = read_revision_chain(file, header_offset, log, find_endstream); }

  // A file that ends inside its last object, after the last "%%EOF" (or without any), was cut off: that is
  // reported as such rather than rebuilt from what is left.
  void fail_if_truncated() const {
    const FileScan& s = scan();
    bool ends_after_last_eof = s.eofs.empty() || (!s.objects.empty() && s.objects.back().offset >= s.eofs.back());
    if (!ends_after_last_eof) return;
    if (s.objects.empty()) fail("INPUT_TRUNCATED", "the file ends before its first object and has no '%%EOF'");
    const ScannedObject& last = s.objects.back();
    if (!parse_object_at(last.offset, last.ref, 0))
      fail("INPUT_TRUNCATED", "the file ends inside object " + to_string(last.ref) + " (offset " +
                                  std::to_string(last.offset) + ") without 'startxref' or '%%EOF': it was cut off");
  }

  // Object definitions after the end of the last revision the xref chain describes: an incremental update
  // that lost (or never got) its xref section, e.g. a transfer cut off in the middle of it.
  bool objects_after_last_revision() const {
    if (!trailing_data()) return false;
    const FileScan& s = scan();
    return !s.objects.empty() && s.objects.back().offset >= revisions.back().end_offset;
  }

  // Non-blank bytes after the end of the last revision.
  bool trailing_data() const {
    auto tail = file.substr(revisions.back().end_offset);
    return !std::all_of(tail.begin(), tail.end(), [](char c) { return is_ws(static_cast<unsigned char>(c)); });
  }

  void clear_caches() {
    objects.clear();
    compressed_objects.clear();
    objstms.clear();
  }
};

namespace {

// A catalog that is a dictionary, in the last revision's view.
bool has_catalog(const Document& doc) {
  try {
    doc.catalog(doc.last_revision());
    return true;
  } catch (const Error& e) {
    if (std::string_view(e.code()) != "PDF_MALFORMED") throw;
    return false;
  }
}

}  // namespace

Document Document::open(std::string_view file) {
  size_t header = find_header(file);
  auto impl = std::make_shared<Impl>();
  impl->file = file;
  impl->header_offset = header;
  Document doc(impl);
  std::string why;
  try {
    impl->read_xref_chain();
    if (!has_catalog(doc)) why = "the catalog cannot be read through it";
    else if (impl->objects_after_last_revision()) why = "objects follow its last section (an update without its own xref)";
  } catch (const Error& e) {
    if (std::string_view(e.code()) != "PDF_MALFORMED") throw;
    why = e.what();
  }
  if (!why.empty()) {
    impl->clear_caches();
    impl->fail_if_truncated();
    impl->revisions = reconstruct_revisions(file, impl->scan(), impl->log);
    impl->reconstructed = true;
    impl->log.add("reconstructed", 0, "the cross-reference cannot be used (" + why + "); " +
                                          std::to_string(impl->revisions.size()) +
                                          " revision(s) rebuilt by scanning the file");
    doc.catalog(doc.last_revision());  // a document without a catalog is not usable at all
  }
  if (impl->trailing_data()) {
    size_t end = impl->revisions.back().end_offset;
    impl->log.add("eof-marker", end, std::to_string(file.size() - end) + " bytes after the end of the last revision belong to none");
  }
  impl->open_security();
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

std::vector<Repair> Document::repairs() const {
  std::vector<Repair> out = impl_->log.items();
  for (auto& r : out)
    if (!r.revision) r.revision = impl_->revision_holding(r.offset);
  return out;
}
bool Document::reconstructed() const { return impl_->reconstructed; }
bool Document::has_trailing_data() const { return impl_->trailing_data(); }
std::string Document::encryption() const { return impl_->decryptor ? impl_->decryptor->describe() : std::string(); }
size_t Document::revision_holding(size_t offset) const { return impl_->revision_holding(offset); }

}  // namespace libsign::pdf
