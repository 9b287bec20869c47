// The ZIP reader diagnose uses for archives: central directory, then every member (bounded).
#include "diagnose/zip_reader.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] {
    libsign::diagnose::ZipLimits limits;
    limits.max_member_bytes = 8u << 20;
    limits.max_total_bytes = 32u << 20;
    auto zip = libsign::diagnose::ZipArchive::from_bytes(fuzz::view(data, size), limits);
    for (size_t i = 0; i < zip.entries().size() && i < 16; ++i)
      fuzz::expect_only_library_errors([&] { zip.read(i); });
  });
  return 0;
}
