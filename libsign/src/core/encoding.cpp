#include "core/encoding.hpp"

#include <ctime>

namespace libsign::core {

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TimePoint from_unix(long long seconds) { return TimePoint(std::chrono::seconds(seconds)); }

long long to_unix(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string iso_utc(TimePoint t) { return iso_utc_unix(to_unix(t)); }

std::string iso_utc_unix(long long seconds) {
  std::time_t secs = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace libsign::core
