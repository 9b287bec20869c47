// Reading a whole (small) file: trust files, keys, fonts, images. Documents are memory-mapped instead.
#pragma once
#include <string>

#include "libsign/error.hpp"

namespace libsign::core {

// Throws Error(category, code, "cannot read the <what> '<path>'") with errno as native code.
std::string read_file(const std::string& path, const char* what = "file", ErrorCategory category = ErrorCategory::io,
                      const char* code = "INPUT_UNREADABLE");

}  // namespace libsign::core
