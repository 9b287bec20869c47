// TrueType parsing and subsetting (Vietnamese text) for visible signatures.
#include "appearance/font_subset.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] {
    auto font = libsign::appearance::TrueTypeFont::parse(std::string(fuzz::view(data, size)));
    libsign::appearance::subset_font(font, "Nguyễn Văn An — Ký số");
  });
  return 0;
}
