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
long long to_unix(TimePoint t);

}  // namespace libsign::core
