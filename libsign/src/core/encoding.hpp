// Small byte/text helpers shared by the modules.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace libsign::core {

std::string to_hex(std::string_view bytes);  // lower-case
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt when not base64 (whitespace ignored)
using TimePoint = std::chrono::system_clock::time_point;
std::string iso_utc(TimePoint t);            // 2026-06-15T02:00:00Z
// The same from unix seconds. Certificates carry dates up to 9999, beyond what a nanosecond
// time_point holds (2262), so report code formats seconds directly.
std::string iso_utc_unix(long long seconds);
TimePoint from_unix(long long seconds);
// `seconds` as strftime `pattern` in UTC (add an offset first for a local time). Up to 63 characters.
std::string format_unix(long long seconds, const char* pattern);
// Unix seconds of a UTC calendar time (fields as written: month 1-12); no range checks.
long long unix_from_fields(int year, int month, int day, int hour, int minute, int second);
long long to_unix(TimePoint t);

}  // namespace libsign::core
