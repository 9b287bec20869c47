// Writing PDF: object syntax, and incremental updates appended to an existing file (the only way
// libsign changes a PDF: every earlier byte, and so every earlier signature, stays as it was).
#pragma once
#include <map>
#include <string>

#include "pdf/document.hpp"
#include "pdf/object.hpp"

namespace libsign::pdf {

// PDF syntax for a direct object (streams are written by IncrementalUpdate).
std::string serialize(const Object& object);
std::string literal_string(std::string_view bytes);  // (...) with escapes
std::string hex_string(std::string_view bytes);      // <...>, upper-case
std::string text_string(std::string_view utf8);      // a text string: PDFDocEncoding-safe ASCII as is, else UTF-16BE with BOM

// An incremental update of the last revision of `doc`.
class IncrementalUpdate {
 public:
  explicit IncrementalUpdate(const Document& doc);

  Ref allocate();                                           // a new object number
  void put(Ref ref, const std::string& body);               // an object, as PDF syntax
  void put(Ref ref, const ObjPtr& value) { put(ref, serialize(*value)); }
  void put_stream(Ref ref, const std::string& dict_entries, const std::string& data);  // "/Subtype /Form ..." without << >> or /Length

  // The bytes to append after the document. `base` = offset where they start in the final file.
  // `object_offsets` receives the offset (in the final file) of each object written.
  std::string render(size_t base, std::map<Ref, size_t>* object_offsets = nullptr) const;

 private:
  const Document& doc_;
  uint32_t next_number_;
  std::map<Ref, std::string> objects_;
};

// Whether `pdf` needs a line end before an appended update (it must start on a new line).
bool needs_separator(std::string_view pdf);

}  // namespace libsign::pdf
