// PNG decoding for seal images in visible signatures. Errors: libsign::Error(format, "IMAGE_INVALID", ...).
#pragma once
#include <string>
#include <string_view>

namespace libsign::appearance {

struct Image {
  int width = 0, height = 0;
  int components = 0;  // 1 gray or 3 RGB (palette images are expanded to RGB)
  std::string pixels;  // 8 bits per component, rows top to bottom, no padding
  std::string alpha;   // 8 bits per pixel; empty when every pixel is opaque
};

// Colour types 0, 2, 3 (palette, tRNS), 4, 6; bit depths 1-8, and 16 scaled to 8 with rounding;
// non-interlaced and Adam7. Every chunk's CRC is checked; unknown critical chunks are refused.
// Limits: width and height <= 8000, decompressed image data <= 256 MiB.
Image decode_png(std::string_view bytes);

}  // namespace libsign::appearance
