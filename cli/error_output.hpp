// Input and usage errors as a clerk reads them: the catalog's message and hint in the chosen language,
// the English detail kept beside them (stderr), and the same in the JSON `error` object.
#pragma once
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "libsign/error.hpp"

namespace libsign::cli {

// The --lang the command line asks for ("--lang vi" or "--lang=vi"), before any parsing; "en" otherwise.
std::string requested_lang(int argc, char** argv);

// "libsign: [WHERE: ]error [CODE]: message" then "  What to do: hint" and, in Vietnamese, the English
// detail as "  Chi tiết: detail" (English: the detail is the message).
void print_error(std::ostream& out, const std::string& where, const std::string& code, const std::string& detail,
                 const std::string& lang);

// {"path", "code", "category", "message": {"en", "vi"}, "hint": {"en", "vi"}, "detail"} (docs/report-schema.md).
nlohmann::json error_json(const std::string& path, const std::string& code, const std::string& category,
                          const std::string& detail);

// What an unreadable input really is (Error::diagnosis: DAMAGE_HTML_PAGE, DAMAGE_EMPTY_FILE...), as the
// error object's "diagnosis" array: code, severity, message and hint in en and vi, evidence.
nlohmann::json diagnosis_json(const Error& e);

}  // namespace libsign::cli
