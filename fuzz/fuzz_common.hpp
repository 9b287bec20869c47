// Shared by the libFuzzer harnesses: every library error is an expected outcome of hostile input;
// anything else (a crash, a sanitizer report, another exception type) is a finding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "libsign/error.hpp"

namespace fuzz {

inline std::string_view view(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// Runs `f`, accepting libsign::Error only.
template <typename F>
void expect_only_library_errors(F&& f) {
  try {
    f();
  } catch (const libsign::Error&) {
  }
}

}  // namespace fuzz
