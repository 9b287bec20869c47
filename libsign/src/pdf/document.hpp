// libsign pdf — a read-only, lazily parsed PDF over bytes the caller keeps alive (e.g. a memory-mapped file).
// Every revision has its own view: object lookups in revision r see the entries of revisions 0..r, newest wins.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/object.hpp"
#include "pdf/repair.hpp"
#include "pdf/xref.hpp"

namespace libsign::pdf {

class Document {
 public:
  // Reads the header and every xref section along the /Prev chain; objects are parsed on demand. Reads what
  // mainstream readers read: when the cross-reference cannot be used it is rebuilt by scanning the file, and
  // wrong offsets or stream lengths are looked up nearby; every such repair is listed in repairs().
  // Throws libsign::Error (format) INPUT_EMPTY, INPUT_NOT_PDF, INPUT_TRUNCATED, PDF_ENCRYPTED, PDF_MALFORMED.
  static Document open(std::string_view file_bytes);

  const std::vector<Revision>& revisions() const;
  size_t last_revision() const { return revisions().size() - 1; }
  size_t file_size() const;
  std::string_view bytes() const;
  // Index r with revisions()[r].end_offset == offset.
  std::optional<size_t> revision_ending_at(size_t offset) const;

  // The xref entry for `num` in the view of `revision` (nullopt: never defined).
  std::optional<XrefEntry> entry(uint32_t num, size_t revision) const;
  // Object `ref` in the view of `revision`; the null object when free, undefined or of another generation.
  ObjPtr object(Ref ref, size_t revision) const;
  // Follows references (a bounded chain); non-references are returned as they are; nullptr stays nullptr.
  ObjPtr resolve(const ObjPtr& obj, size_t revision) const;
  // resolve(dict->get(key)); nullptr when absent.
  ObjPtr get(const ObjPtr& dict, std::string_view key, size_t revision) const;
  ObjPtr trailer(size_t revision) const;
  ObjPtr catalog(size_t revision) const;  // resolved /Root; PDF_MALFORMED if not a dictionary
  // Decoded stream data (FlateDecode or no filter; otherwise PDF_UNSUPPORTED_FILTER), in the last revision's view.
  std::string stream_data(const Object& stream) const;
  std::string stream_data(const Object& stream, size_t revision) const;

  // What the reader repaired so far (objects are read lazily, so the list can grow while the document is
  // used), each with the revision whose bytes hold it. Empty for a well-formed file.
  std::vector<Repair> repairs() const;
  // True when the revisions were rebuilt by scanning because no cross-reference could be used.
  bool reconstructed() const;
  // Non-blank bytes after the last revision's end (%%EOF and its EOL): data no revision, so no signature, holds.
  bool has_trailing_data() const;
  // How the document is encrypted (it was opened with the empty user password), e.g. "AES-256 (R6)";
  // empty when it is not. Encrypted documents that need a password throw PDF_ENCRYPTED from open().
  std::string encryption() const;
  // The revision whose bytes hold `offset` (the last one for bytes after the last revision).
  size_t revision_holding(size_t offset) const;

  struct Impl;

 private:
  explicit Document(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace libsign::pdf
