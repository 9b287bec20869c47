// The one error this module throws for fonts.
#pragma once
#include <string>

#include "libsign/error.hpp"

namespace libsign::appearance {

[[noreturn]] inline void font_invalid(const std::string& why) {
  throw Error(ErrorCategory::format, "FONT_INVALID", "unusable TrueType font: " + why);
}

}  // namespace libsign::appearance
