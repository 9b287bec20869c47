// Public time helpers: parse_time / format_time.
#include <cstdio>
#include <ctime>

#include "core/encoding.hpp"
#include "libsign/verify.hpp"

namespace libsign {

std::chrono::system_clock::time_point parse_time(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  auto bad = [&] { return Error(ErrorCategory::usage, "TIME_INVALID", "cannot read the time '" + text + "'"); };
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) throw bad();
  std::string rest = text.substr(10);
  long offset_seconds = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') throw bad();
    int n = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &n) != 3 || n != 8) throw bad();
    std::string zone = rest.substr(9);
    if (zone == "Z" || zone == "z") {
      offset_seconds = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
      int zh = 0, zm = 0;
      if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) != 2 || zh > 14 || zm > 59) throw bad();
      offset_seconds = (zh * 3600L + zm * 60L) * (zone[0] == '-' ? -1 : 1);
    } else {
      throw bad();  // a time without a zone is ambiguous: refuse rather than guess
    }
  }
  if (y < 1950 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) throw bad();
  return core::from_unix(core::unix_from_fields(y, mo, d, h, mi, s) - offset_seconds);
}

std::string format_time(std::chrono::system_clock::time_point t) { return core::iso_utc(t); }

}  // namespace libsign
