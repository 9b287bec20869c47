// RFC 3161 timestamp tokens.
#include "cms/timestamp.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] { libsign::cms::read_timestamp_token(fuzz::view(data, size)); });
  return 0;
}
