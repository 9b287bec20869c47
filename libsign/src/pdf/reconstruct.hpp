// libsign pdf — rebuilds revisions by scanning, for files whose cross-reference cannot be used.
// Each "%%EOF" ends a revision (an incremental update); the objects whose headers lie between two of them
// are that revision's entries (the last definition wins), its trailer is its last "trailer" dictionary or
// xref-stream dictionary. Objects inside object streams are found through the revision's xref stream or by
// reading the object streams themselves. The per-revision view therefore stays as exact as the file allows.
#pragma once
#include <string_view>
#include <vector>

#include "pdf/repair.hpp"
#include "pdf/scan.hpp"
#include "pdf/xref.hpp"

namespace libsign::pdf {

// Oldest first. Throws PDF_MALFORMED when the file holds no catalog at all.
std::vector<Revision> reconstruct_revisions(std::string_view file, const FileScan& scan, RepairLog& log);

}  // namespace libsign::pdf
