// The two-phase signing state file (written by --external-prepare, read back by --external-finish).
#include <chrono>

#include "fuzz_common.hpp"
#include "sign/external_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] {
    auto state = libsign::sign::read_state(std::string(fuzz::view(data, size)), "libsign-external/1",
                                           std::chrono::hours(24 * 365 * 100));
    fuzz::expect_only_library_errors([&] { libsign::sign::bytes_field(state, "update"); });
    fuzz::expect_only_library_errors([&] { libsign::sign::number_field(state, "contents_at"); });
    fuzz::expect_only_library_errors([&] { libsign::sign::certificates_of(state); });
  });
  return 0;
}
