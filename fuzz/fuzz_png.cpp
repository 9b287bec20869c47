// PNG decoding for visible-signature images.
#include "appearance/png.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] { libsign::appearance::decode_png(fuzz::view(data, size)); });
  return 0;
}
