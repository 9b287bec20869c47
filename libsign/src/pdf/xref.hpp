// libsign pdf — cross-reference sections (classic tables, xref streams, hybrid /XRefStm) and revisions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>

#include "pdf/object.hpp"

namespace libsign::pdf {

struct XrefEntry {
  enum class Type : uint8_t { Free, InFile, Compressed };
  Type type = Type::Free;
  uint64_t offset = 0;  // InFile: byte offset of "n g obj"; Compressed: number of the object stream
  uint32_t index = 0;   // Compressed: index inside the object stream
  uint16_t gen = 0;     // Free/InFile: generation number (0 for Compressed)
};

// One incremental revision: what its xref section(s) say, oldest revisions first in Document::revisions().
struct Revision {
  size_t xref_offset = 0;         // where its xref table / xref stream object starts
  size_t end_offset = 0;          // just past its %%EOF and one following EOL (\r\n, \n or \r) if any
  bool is_xref_stream = false;    // section is an xref stream (else a classic table)
  bool has_xref_stm = false;      // hybrid: table trailer carried /XRefStm
  size_t xref_stm_offset = 0;     // hybrid: offset of that stream
  std::map<uint32_t, XrefEntry> entries;  // only the entries written in this revision
  ObjPtr trailer;                 // the trailer dictionary (or the xref stream's dictionary)
};

// Offset of "%PDF-" within the first limits::kHeaderWindow bytes; throws INPUT_NOT_PDF.
size_t find_header(std::string_view file);
// Value of the last startxref near the end; throws INPUT_TRUNCATED when "startxref N %%EOF" is missing.
size_t find_last_startxref(std::string_view file);

// Parses the section at `offset` (table or stream) into `rev` (xref_offset, is_xref_stream, entries, trailer,
// end_offset). Hybrid /XRefStm streams are merged in. Throws PDF_MALFORMED.
Revision parse_revision(std::string_view file, size_t offset);

}  // namespace libsign::pdf
