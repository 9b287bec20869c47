#include "report/finding.hpp"

#include <cassert>

#include "libsign/catalog.hpp"

namespace libsign::report {

Finding make_finding(const std::string& code, std::map<std::string, std::string> evidence) {
  Finding f;
  f.code = code;
  f.evidence = std::move(evidence);
  const CatalogEntry* entry = find_catalog_entry(code);
  assert(entry && "finding code missing from the catalog");
  if (entry) {
    f.severity = entry->severity;
    f.message_en = entry->message_en;
    f.message_vi = entry->message_vi;
    f.hint_en = entry->hint_en;
    f.hint_vi = entry->hint_vi;
  }
  return f;
}

}  // namespace libsign::report
