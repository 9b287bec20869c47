#include "seconds_option.hpp"

#include <cstdlib>
#include <string>

namespace libsign::cli {

CLI::Validator seconds_in_range() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !(value > 0 && value <= 3600)) return "seconds must be a number above 0 and at most 3600";
        return {};
      },
      "SECONDS");
}

}  // namespace libsign::cli
