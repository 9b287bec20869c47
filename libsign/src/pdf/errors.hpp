// libsign pdf — one place that builds the module's format errors.
#pragma once
#include <cstddef>
#include <string>

#include "libsign/error.hpp"

namespace libsign::pdf {

[[noreturn]] void fail(const char* code, const std::string& message);
// PDF_MALFORMED with "<what> at offset <n>".
[[noreturn]] void malformed(const std::string& what, size_t offset);

}  // namespace libsign::pdf
