// PDF date strings (ISO 32000-1 §7.9.4): D:YYYYMMDDHHmmSSOHH'mm'
#pragma once
#include <optional>
#include <string>

namespace libsign::validate {

// Unix seconds, or nullopt when unreadable. A missing zone is read as UTC.
std::optional<long long> parse_pdf_date(const std::string& text);

}  // namespace libsign::validate
