// The whole pipeline through the public API: format detection, PDF / XML / CMS front ends, the
// common steps, offline, at a pinned time.
#include <chrono>

#include "fuzz_common.hpp"
#include "libsign/verify.hpp"

namespace {
const libsign::Verifier& verifier() {
  static const libsign::Verifier v = [] {
    libsign::VerifyOptions o;
    o.at = std::chrono::system_clock::from_time_t(1782864000);  // 2026-07-01T00:00:00Z
    o.revocation.online = false;
    return libsign::Verifier(o);
  }();
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] { verifier().verify(fuzz::view(data, size), "fuzz"); });
  return 0;
}
