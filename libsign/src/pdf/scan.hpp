// libsign pdf — one pass over the whole file that finds its structure without trusting any xref:
// object headers ("N G obj", skipping stream data), "trailer" keywords, "%%EOF" markers and "endstream"
// keywords. Used to repair a damaged cross-reference and to rebuild revisions when none can be read.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pdf/object.hpp"

namespace libsign::pdf {

struct ScannedObject {
  Ref ref;
  size_t offset = 0;  // of the object number
  bool is_stream = false;
};

struct FileScan {
  std::vector<ScannedObject> objects;  // in file order
  std::vector<size_t> trailers;        // offsets of "trailer" keywords outside stream data
  std::vector<size_t> eofs;            // offsets just past "%%EOF" and one EOL, outside stream data
  std::vector<size_t> endstreams;      // offsets of every "endstream" keyword, ascending
  std::unordered_map<uint32_t, std::vector<size_t>> by_number;  // object number -> indexes into `objects`

  // The first "endstream" at or after `from`.
  std::optional<size_t> next_endstream(size_t from) const;
  // The last definition of object `num` whose header lies in [begin, end).
  std::optional<ScannedObject> last_definition(uint32_t num, size_t begin, size_t end) const;
};

// Offsets of every occurrence of `keyword` that starts and ends at a token boundary, ascending.
std::vector<size_t> find_keywords(std::string_view file, std::string_view keyword);

// Scans the whole file. Never throws for content; bounded by the file size (each byte is looked at a
// constant number of times, stream data is skipped by /Length or the next "endstream").
FileScan scan_file(std::string_view file);

// The "N G obj" header at `at` (whitespace and comments skipped first): the reference, and the offset just
// past "obj" where the object's value starts.
struct ObjectHeader {
  Ref ref;
  size_t body = 0;
};
std::optional<ObjectHeader> object_header_at(std::string_view file, size_t at);

// If `pos` is the start of "obj" preceded by "N G ", the offset of N and the reference.
std::optional<ScannedObject> object_header_before(std::string_view file, size_t obj_keyword);

}  // namespace libsign::pdf
