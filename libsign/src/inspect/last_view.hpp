// What the last revision's view of a PDF contains, for comparing libsign's reading of a file with
// other readers (scripts/compat_report.py): page count, the objects it resolves, the /Producer.
#pragma once
#include <nlohmann/json.hpp>

#include "pdf/document.hpp"

namespace libsign::inspect {

// {"index", "producer", "pages", "pages_error", "objects": {"count", "numbers", "unreadable"}}.
// Never throws for a problem inside the document: a page tree or an object that cannot be read is
// reported in the result (pages null with pages_error; the object number under "unreadable").
nlohmann::json last_view_summary(const pdf::Document& doc);

}  // namespace libsign::inspect
