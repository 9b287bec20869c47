// libsign pdf — cross-reference sections (classic tables, xref streams, hybrid /XRefStm) and revisions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "pdf/object.hpp"
#include "pdf/parser.hpp"
#include "pdf/repair.hpp"

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
  bool damaged = false;           // its xref needed repair: numbers it does not define may be found by scanning
  bool reconstructed = false;     // built by scanning the file, not from an xref section
};

// Offset of "%PDF-" within the first limits::kHeaderWindow bytes; throws INPUT_EMPTY / INPUT_NOT_PDF.
size_t find_header(std::string_view file);
// Value of the last "startxref N" of the file (searched near the end first, then backwards through the
// whole file when junk follows it); nullopt when there is none or N is not an offset inside the file.
std::optional<size_t> find_last_startxref(std::string_view file, RepairLog& log);

// Parses the section at `offset` (table or stream) into a Revision (xref_offset, is_xref_stream, entries,
// trailer, end_offset). Hybrid /XRefStm streams are merged in. Tolerates what real producers write and
// records each repair in `log`; throws PDF_MALFORMED when no xref section can be read there.
// `header_offset`: where "%PDF-" starts (offsets of some producers are relative to it).
Revision parse_revision(std::string_view file, size_t offset, size_t header_offset, RepairLog& log,
                        const Parser::EndstreamFinder& find_endstream);

// The revisions along the startxref / /Prev chain, oldest first (linearized files: the two sections of the
// first revision merged). Throws PDF_MALFORMED when the chain cannot be followed (no usable startxref, a
// section that cannot be read, a /Prev loop); "/Prev 0" ends it with a repair.
std::vector<Revision> read_revision_chain(std::string_view file, size_t header_offset, RepairLog& log,
                                          const Parser::EndstreamFinder& find_endstream);

// Reads an xref stream object at `offset`: its entries (added to `entries` without replacing existing ones,
// except free ones when `override_free`) and its dictionary. `end` receives the position after the object.
ObjPtr parse_xref_stream(std::string_view file, size_t offset, std::map<uint32_t, XrefEntry>& entries, size_t& end,
                         bool override_free, const Parser::EndstreamFinder& find_endstream);

}  // namespace libsign::pdf
