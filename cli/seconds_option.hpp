// A duration option in seconds: a number in (0, 3600]. CLI11 takes any double, and "1e300", "-5" or
// "nan" then reached a conversion to milliseconds (undefined behaviour for the first and third).
#pragma once
#include <CLI/CLI.hpp>

namespace libsign::cli {

CLI::Validator seconds_in_range();

}  // namespace libsign::cli
