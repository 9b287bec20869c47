// libsign pdf — enumerating the indirect objects of one revision view (for scans that no reference leads to).
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "pdf/document.hpp"

namespace libsign::pdf {

// Every object number that is in use (not free) in the view of `revision`, with the generation its newest
// entry gives, in ascending order of number. Nothing is parsed.
std::vector<Ref> object_refs(const Document& doc, size_t revision);

// The revision whose xref section wrote the entry `num` has in the view of `revision` (nullopt: undefined).
std::optional<size_t> revision_defining(const Document& doc, uint32_t num, size_t revision);

// Where objects end, roughly: the raw bytes from an object's offset to the next object or xref section of any
// revision (or the end of the file). For cheap "could this be X?" tests before parsing; never for reading.
class RawSpans {
 public:
  explicit RawSpans(const Document& doc);
  std::string_view from(size_t offset) const;

 private:
  std::string_view file_;
  std::vector<size_t> starts_;  // sorted, unique
};

}  // namespace libsign::pdf
