// Short titles for the diagnose report: a few words a province manager reads beside a code (chart
// labels, table headings), and the names of the damage classes (docs/damage.md).
#pragma once
#include <string>

namespace libsign::diagnose {

// The short title of a finding or error code; for a code without a written title, the catalog
// message cut at its first clause (never empty: the code itself as a last resort).
std::string code_title(const std::string& code, bool vi);

// The name of a damage class ("line_endings" -> "Line ends converted"); the class itself when unknown.
std::string damage_class_title(const std::string& cls, bool vi);

// True for the codes the settings of the run cause, not the files: REVOCATION_NOT_CHECKED when
// revocation was not checked online. They are warnings that never rank first.
bool caused_by_settings(const std::string& code, const std::string& revocation_mode);

}  // namespace libsign::diagnose
