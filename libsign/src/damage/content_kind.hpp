// libsign damage — "the wrong thing was stored": a file that should be a signed dossier but is
// recognisably something else (an HTML error or login page, a JSON error body, a ZIP or Office file,
// an image, an empty file). Pure: bytes in, at most one finding out.
#pragma once
#include <optional>
#include <string_view>

#include "damage/detector.hpp"
#include "libsign/report.hpp"

namespace libsign::damage {

// The DAMAGE_* finding (class wrong_content, reversible false) naming what the bytes are, or nullopt
// when they are none of the kinds above. Apart from ZIP/OLE/image files (recognised by the magic number
// that opens them), a file carrying "%PDF-" in its first KiB is never called wrong content (that is
// transfer damage, e.g. HTTP headers left before the PDF). Reads at most the first
// 64 KiB, plus a bounded walk of a ZIP's local headers.
std::optional<Finding> find_wrong_content(std::string_view bytes);

// Detector (damage.cpp): only when reading the file threw; adds the reader's error code as evidence
// "error" (INPUT_NOT_PDF, INPUT_EMPTY, XML_MALFORMED...).
void detect_wrong_content(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);

}  // namespace libsign::damage
