// PNG pixels: inflate (size known in advance, so capped exactly), unfilter, Adam7, convert to 8 bits.
#include "appearance/png.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "appearance/png_parts.hpp"
#include "appearance/sfnt_bytes.hpp"

namespace libsign::appearance {
namespace {

struct Pass {
  uint32_t x0, y0, dx, dy;
};
constexpr Pass kWhole[] = {{0, 0, 1, 1}};
constexpr Pass kAdam7[] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

uint32_t pass_extent(uint32_t size, uint32_t start, uint32_t step) { return size > start ? (size - start + step - 1) / step : 0; }

// The buffer grows with the data actually inflated, so a tiny file claiming a huge image costs little.
std::string inflate_exactly(const std::string& compressed, std::size_t size) {
  if (compressed.size() > kMaxInflated) image_invalid("compressed data larger than 256 MiB");
  std::string out(std::min<std::size_t>(size, 1 << 16), '\0');
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) image_invalid("zlib initialisation failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::size_t done = 0;
  int rc = Z_OK;
  while (done < size && rc == Z_OK) {
    if (done == out.size()) out.resize(std::min(size, out.size() * 2));
    zs.next_out = reinterpret_cast<Bytef*>(&out[done]);
    zs.avail_out = static_cast<uInt>(out.size() - done);
    rc = inflate(&zs, Z_NO_FLUSH);
    done = out.size() - zs.avail_out;
  }
  inflateEnd(&zs);
  if (rc != Z_OK && rc != Z_STREAM_END) image_invalid("corrupt compressed data");
  if (done != size) image_invalid("image data is shorter than the image");
  return out;  // data after the image (if any) is ignored
}

uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Undoes the filters of one pass in place. `prev` is the previous unfiltered row (empty for the first).
void unfilter(std::string& data, std::size_t at, uint32_t rows, std::size_t row_bytes, std::size_t bpp) {
  const unsigned char* prev = nullptr;
  for (uint32_t y = 0; y < rows; ++y) {
    const int filter = static_cast<unsigned char>(data[at]);
    auto* row = reinterpret_cast<unsigned char*>(&data[at + 1]);
    if (filter > 4) image_invalid("bad filter type " + std::to_string(filter));
    for (std::size_t i = 0; i < row_bytes; ++i) {
      const int a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0, c = prev && i >= bpp ? prev[i - bpp] : 0;
      const int predictor = filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2 : filter == 4 ? paeth(a, b, c) : 0;
      row[i] = static_cast<unsigned char>(row[i] + predictor);
    }
    prev = row;
    at += 1 + row_bytes;
  }
}

uint32_t sample(const unsigned char* row, std::size_t index, int depth) {
  if (depth == 8) return row[index];
  if (depth == 16) return (static_cast<uint32_t>(row[2 * index]) << 8) | row[2 * index + 1];
  const std::size_t bit = index * static_cast<std::size_t>(depth);
  return (row[bit / 8] >> (8 - depth - bit % 8)) & ((1u << depth) - 1);
}

uint8_t to8(uint32_t v, int depth) {
  if (depth == 16) return static_cast<uint8_t>((v * 255 + 32767) / 65535);
  return static_cast<uint8_t>(v * 255 / ((1u << depth) - 1));
}

struct Converter {
  const PngParts& p;
  Image& img;
  bool has_alpha;

  void put(std::size_t pixel, const uint32_t* s) const {
    const int d = p.bit_depth;
    uint8_t alpha = 255;
    char* out = &img.pixels[pixel * static_cast<std::size_t>(img.components)];
    switch (p.colour_type) {
      case 0:
        out[0] = static_cast<char>(to8(s[0], d));
        if (!p.trns.empty() && s[0] == be16(p.trns, 0)) alpha = 0;
        break;
      case 2:
        for (int k = 0; k < 3; ++k) out[k] = static_cast<char>(to8(s[k], d));
        if (!p.trns.empty() && s[0] == be16(p.trns, 0) && s[1] == be16(p.trns, 2) && s[2] == be16(p.trns, 4)) alpha = 0;
        break;
      case 3:
        if (s[0] >= p.palette.size() / 3) image_invalid("palette index out of range");
        for (int k = 0; k < 3; ++k) out[k] = p.palette[3 * s[0] + k];
        if (s[0] < p.trns.size()) alpha = static_cast<uint8_t>(p.trns[s[0]]);
        break;
      case 4:
        out[0] = static_cast<char>(to8(s[0], d));
        alpha = to8(s[1], d);
        break;
      default:  // 6
        for (int k = 0; k < 3; ++k) out[k] = static_cast<char>(to8(s[k], d));
        alpha = to8(s[3], d);
    }
    if (has_alpha) img.alpha[pixel] = static_cast<char>(alpha);
  }
};

}  // namespace

Image decode_png(std::string_view bytes) {
  const PngParts p = read_png_parts(bytes);
  const std::size_t channels = static_cast<std::size_t>(p.channels());
  const std::size_t bits_per_pixel = channels * static_cast<std::size_t>(p.bit_depth);
  const std::size_t bpp = std::max<std::size_t>(1, bits_per_pixel / 8);
  const Pass* passes = p.interlaced ? kAdam7 : kWhole;
  const std::size_t pass_count = p.interlaced ? 7 : 1;

  uint64_t total = 0;
  for (std::size_t i = 0; i < pass_count; ++i) {
    const uint64_t w = pass_extent(p.width, passes[i].x0, passes[i].dx), h = pass_extent(p.height, passes[i].y0, passes[i].dy);
    if (w != 0) total += h * (1 + (w * bits_per_pixel + 7) / 8);
  }
  if (total > kMaxInflated) image_invalid("image data larger than 256 MiB");
  std::string data = inflate_exactly(p.idat, static_cast<std::size_t>(total));

  Image img;
  img.width = static_cast<int>(p.width), img.height = static_cast<int>(p.height);
  img.components = p.colour_type == 0 || p.colour_type == 4 ? 1 : 3;
  const std::size_t pixels = static_cast<std::size_t>(p.width) * p.height;
  img.pixels.assign(pixels * static_cast<std::size_t>(img.components), '\0');
  const bool has_alpha = p.colour_type == 4 || p.colour_type == 6 || !p.trns.empty();
  if (has_alpha) img.alpha.assign(pixels, '\xFF');
  const Converter convert{p, img, has_alpha};

  std::size_t at = 0;
  uint32_t s[4];
  for (std::size_t i = 0; i < pass_count; ++i) {
    const Pass& pass = passes[i];
    const uint32_t w = pass_extent(p.width, pass.x0, pass.dx), h = pass_extent(p.height, pass.y0, pass.dy);
    if (w == 0 || h == 0) continue;
    const std::size_t row_bytes = (w * bits_per_pixel + 7) / 8;
    unfilter(data, at, h, row_bytes, bpp);
    for (uint32_t y = 0; y < h; ++y) {
      const auto* row = reinterpret_cast<const unsigned char*>(&data[at + 1 + y * (1 + row_bytes)]);
      for (uint32_t x = 0; x < w; ++x) {
        for (std::size_t k = 0; k < channels; ++k) s[k] = sample(row, x * channels + k, p.bit_depth);
        convert.put(static_cast<std::size_t>(pass.y0 + y * pass.dy) * p.width + pass.x0 + x * pass.dx, s);
      }
    }
    at += h * (1 + row_bytes);
  }
  if (has_alpha && img.alpha.find_first_not_of('\xFF') == std::string::npos) img.alpha.clear();
  return img;
}

}  // namespace libsign::appearance
