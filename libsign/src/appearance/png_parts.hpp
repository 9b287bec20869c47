// The chunk layer of PNG: signature, CRCs, IHDR/PLTE/tRNS checks, concatenated IDAT.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "libsign/error.hpp"

namespace libsign::appearance {

[[noreturn]] inline void image_invalid(const std::string& why) {
  throw Error(ErrorCategory::format, "IMAGE_INVALID", "unusable PNG image: " + why);
}

constexpr uint32_t kMaxImageSide = 8000;
constexpr std::size_t kMaxInflated = std::size_t{256} << 20;

struct PngParts {
  uint32_t width = 0, height = 0;
  int bit_depth = 0, colour_type = 0;
  bool interlaced = false;
  std::string palette;  // RGB triples
  std::string trns;     // raw tRNS chunk data
  std::string idat;     // all IDAT data, still compressed
  int channels() const;  // samples per pixel in the file
};

PngParts read_png_parts(std::string_view bytes);

}  // namespace libsign::appearance
