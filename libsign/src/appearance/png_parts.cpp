#include "appearance/png_parts.hpp"

#include <zlib.h>

#include "appearance/sfnt_bytes.hpp"

namespace libsign::appearance {
namespace {

constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);

bool valid_depth(int colour_type, int depth) {
  switch (colour_type) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2: case 4: case 6: return depth == 8 || depth == 16;
    default: return false;
  }
}

void read_header(PngParts& p, std::string_view d) {
  if (d.size() != 13) image_invalid("IHDR has the wrong length");
  p.width = be32(d, 0), p.height = be32(d, 4);
  p.bit_depth = static_cast<unsigned char>(d[8]), p.colour_type = static_cast<unsigned char>(d[9]);
  if (p.width == 0 || p.height == 0) image_invalid("empty image");
  if (p.width > kMaxImageSide || p.height > kMaxImageSide) image_invalid("image larger than 8000 x 8000");
  if (!valid_depth(p.colour_type, p.bit_depth)) image_invalid("bad colour type / bit depth");
  if (d[10] != 0 || d[11] != 0) image_invalid("unknown compression or filter method");
  if (d[12] != 0 && d[12] != 1) image_invalid("unknown interlace method");
  p.interlaced = d[12] == 1;
}

}  // namespace

int PngParts::channels() const {
  switch (colour_type) {
    case 2: return 3;
    case 4: return 2;
    case 6: return 4;
    default: return 1;
  }
}

PngParts read_png_parts(std::string_view b) {
  if (b.substr(0, 8) != kSignature) image_invalid("not a PNG file");
  PngParts p;
  bool have_header = false, have_end = false, idat_done = false;
  std::size_t pos = 8;
  while (!have_end) {
    if (b.size() - pos < 12) image_invalid("truncated");
    const uint32_t length = be32(b, pos);
    if (length > b.size() - pos - 12) image_invalid("truncated chunk");
    const std::string_view type = b.substr(pos + 4, 4), data = b.substr(pos + 8, length);
    const uint32_t crc = static_cast<uint32_t>(crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(b.data() + pos + 4), length + 4));
    if (crc != be32(b, pos + 8 + length)) image_invalid("CRC mismatch in chunk " + std::string(type));
    pos += 12 + length;
    for (char c : type)
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) image_invalid("bad chunk type");
    if (!have_header && type != "IHDR") image_invalid("IHDR is not the first chunk");
    if (type != "IDAT" && !p.idat.empty()) idat_done = true;
    if (type == "IHDR") {
      if (have_header) image_invalid("two IHDR chunks");
      read_header(p, data);
      have_header = true;
    } else if (type == "PLTE") {
      if (data.empty() || data.size() % 3 != 0 || data.size() > 3 * 256 || !p.palette.empty()) image_invalid("bad PLTE");
      p.palette = data;
    } else if (type == "tRNS") {
      const std::size_t want = p.colour_type == 0 ? 2 : p.colour_type == 2 ? 6 : 0;
      if (p.colour_type == 3 ? data.size() > p.palette.size() / 3 : data.size() != want || want == 0) image_invalid("bad tRNS");
      p.trns = data;
    } else if (type == "IDAT") {
      if (idat_done) image_invalid("IDAT chunks are not consecutive");
      p.idat += data;
    } else if (type == "IEND") {
      have_end = true;
    } else if (type[0] >= 'A' && type[0] <= 'Z') {
      image_invalid("unknown critical chunk " + std::string(type));
    }  // ancillary chunks (gAMA, iCCP, pHYs, text...) are ignored
  }
  if (p.idat.empty()) image_invalid("no image data");
  if (p.colour_type == 3 && p.palette.empty()) image_invalid("palette image without PLTE");
  return p;
}

}  // namespace libsign::appearance
