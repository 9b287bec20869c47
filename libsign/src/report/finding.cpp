#include "report/finding.hpp"

#include <cassert>

#include "libsign/catalog.hpp"

namespace libsign::report {
namespace {

// A hint whose last sentence holds only under an option actually used: it is kept only when the finding's
// evidence `key` has `value` (one catalog text; `explain` and docs/errors.md show it whole).
struct OptionSentence {
  const char* code;
  const char* key;
  const char* value;
};
const OptionSentence kOptionSentences[] = {
    {"REVOCATION_NOT_CHECKED", "online", "no"},  // "drop --offline" only when the check ran offline
};

std::string without_last_sentence(const std::string& text) {
  size_t end = text.rfind(". ");
  return end == std::string::npos ? text : text.substr(0, end + 1);
}

void fit_hints_to_options(Finding& f) {
  for (const auto& o : kOptionSentences) {
    if (f.code != o.code) continue;
    auto it = f.evidence.find(o.key);
    if (it != f.evidence.end() && it->second == o.value) continue;
    f.hint_en = without_last_sentence(f.hint_en);
    f.hint_vi = without_last_sentence(f.hint_vi);
  }
}

}  // namespace

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
    fit_hints_to_options(f);
  }
  return f;
}

}  // namespace libsign::report
