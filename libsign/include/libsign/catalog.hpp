// libsign — the findings catalog: every finding and error code with its texts in English and
// Vietnamese. One source (libsign/src/report/catalog.cpp) feeds reports, `libsign explain` and
// docs/errors.md.
#pragma once
#include "libsign/export.hpp"
#include <string>
#include <vector>

#include "libsign/report.hpp"

namespace libsign {

struct CatalogEntry {
  const char* code;
  Severity severity;
  const char* message_en;
  const char* message_vi;
  const char* hint_en;
  const char* hint_vi;
};

// The typical cause of a code in Vietnamese portals (libsign/src/report/catalog_causes.cpp).
struct CatalogCause {
  const char* code;
  const char* cause_en;
  const char* cause_vi;
};

LIBSIGN_API const std::vector<CatalogEntry>& findings_catalog();
// nullptr when the code is unknown.
LIBSIGN_API const CatalogEntry* find_catalog_entry(const std::string& code);
// nullptr when no cause is written for the code.
LIBSIGN_API const CatalogCause* find_catalog_cause(const std::string& code);
// Markdown of the whole catalog (docs/errors.md is this output).
LIBSIGN_API std::string catalog_markdown();

}  // namespace libsign
