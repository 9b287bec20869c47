// Cheap textual probes of (possibly damaged) PDF bytes, shared by the transport detectors. None of them
// parses the document: damaged bytes are exactly what the real reader could not read.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace libsign::damage {

constexpr size_t kNone = static_cast<size_t>(-1);

// Offset of "%PDF-" within the first `limit` bytes; kNone when absent.
size_t pdf_header_offset(std::string_view bytes, size_t limit = 64 * 1024);

// True when the last startxref (in the last 4 KiB) points at "xref" or at "N G obj": the offsets written
// by the producer still fit these bytes.
bool startxref_fits(std::string_view bytes);

// "xref" or "N G obj" at `offset`: what a startxref value must point at.
bool xref_target_at(std::string_view bytes, size_t offset);
// The value after the last "startxref" in `bytes`; nullopt when none.
std::optional<size_t> last_startxref_value(std::string_view bytes);

// True when the bytes hold a signature dictionary's "/ByteRange" (text search, bounded by the file size).
bool has_signature_text(std::string_view bytes);

// The /ByteRange arrays written in the file (at most `max`), as found in the text.
struct ByteRangeText {
  int64_t a = 0, b = 0, c = 0, d = 0;
  int64_t end() const { return c + d; }
};
std::vector<ByteRangeText> byte_ranges(std::string_view bytes, size_t max = 64);

// Where stream data lies: from after the EOL that follows "stream" up to the EOL before "endstream". declared_length: a direct /Length of its dictionary, when one was found.
struct StreamSpan {
  size_t begin = 0, end = 0;
  std::optional<int64_t> declared_length;
};
std::vector<StreamSpan> stream_spans(std::string_view bytes, size_t max = 200000);

// Offset just after the last "%%EOF" at or before `before`; kNone when none.
size_t end_of_last_eof_marker(std::string_view bytes, size_t before = kNone);

// Length of the EOL at `pos` (CRLF 2, LF or CR 1, none 0).
size_t eol_length(std::string_view bytes, size_t pos);

}  // namespace libsign::damage
