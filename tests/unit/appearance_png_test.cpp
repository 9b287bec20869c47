// PNG decoder tests. The PNGs are built here (zlib + CRC), with our own forward filters and Adam7 split,
// so every colour type, depth, filter and interlacing path is checked pixel by pixel.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "appearance/png.hpp"
#include "libsign/error.hpp"

namespace libsign::appearance {
namespace {

void put32(std::string& s, uint32_t v) {
  for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::string chunk(const std::string& type, const std::string& data) {
  std::string body = type + data;
  std::string out;
  put32(out, static_cast<uint32_t>(data.size()));
  out += body;
  put32(out, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  return out;
}

std::string deflate(const std::string& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size())), Z_OK);
  out.resize(size);
  return out;
}

// A test image: one sample value (at the file's bit depth) per channel per pixel.
struct Spec {
  Spec(uint32_t w, uint32_t h, int bit_depth, int type, int samples_per_pixel, std::vector<uint32_t> values,
       std::string plte = "", std::string transparency = "", bool adam7 = false)
      : width(w), height(h), depth(bit_depth), colour_type(type), channels(samples_per_pixel), samples(std::move(values)),
        palette(std::move(plte)), trns(std::move(transparency)), interlaced(adam7) {}
  uint32_t width, height;
  int depth, colour_type, channels;
  std::vector<uint32_t> samples;  // width * height * channels
  std::string palette, trns;
  bool interlaced;
};

int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// Packs and filters the rows of one (sub)image; filter type cycles per row so all five are used.
std::string encode_rows(const Spec& s, uint32_t w, uint32_t h, const std::vector<uint32_t>& samples) {
  const std::size_t bits = static_cast<std::size_t>(s.channels) * s.depth, row_bytes = (w * bits + 7) / 8, bpp = std::max<std::size_t>(1, bits / 8);
  std::string out, prev(row_bytes, '\0');
  for (uint32_t y = 0; y < h; ++y) {
    std::string row(row_bytes, '\0');
    for (uint32_t i = 0; i < w * static_cast<uint32_t>(s.channels); ++i) {
      const uint32_t v = samples[y * w * s.channels + i];
      if (s.depth == 16) {
        row[2 * i] = static_cast<char>(v >> 8), row[2 * i + 1] = static_cast<char>(v & 0xFF);
      } else {
        const std::size_t bit = static_cast<std::size_t>(i) * s.depth;
        row[bit / 8] = static_cast<char>(static_cast<unsigned char>(row[bit / 8]) | (v << (8 - s.depth - bit % 8)));
      }
    }
    const int filter = static_cast<int>(y % 5);
    out.push_back(static_cast<char>(filter));
    for (std::size_t i = 0; i < row_bytes; ++i) {
      const int x = static_cast<unsigned char>(row[i]), a = i >= bpp ? static_cast<unsigned char>(row[i - bpp]) : 0,
                b = static_cast<unsigned char>(prev[i]), c = i >= bpp ? static_cast<unsigned char>(prev[i - bpp]) : 0;
      const int pred = filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2 : filter == 4 ? paeth(a, b, c) : 0;
      out.push_back(static_cast<char>((x - pred) & 0xFF));
    }
    prev = row;
  }
  return out;
}

std::string raw_data(const Spec& s) {
  if (!s.interlaced) return encode_rows(s, s.width, s.height, s.samples);
  static const uint32_t passes[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
  std::string out;
  for (const auto& p : passes) {
    std::vector<uint32_t> sub;
    uint32_t w = 0, h = 0;
    for (uint32_t y = p[1]; y < s.height; y += p[3], ++h) {
      w = 0;
      for (uint32_t x = p[0]; x < s.width; x += p[2], ++w)
        for (int k = 0; k < s.channels; ++k) sub.push_back(s.samples[(y * s.width + x) * s.channels + k]);
    }
    if (w != 0 && h != 0) out += encode_rows(s, w, h, sub);
  }
  return out;
}

std::string ihdr(const Spec& s) {
  std::string d;
  put32(d, s.width);
  put32(d, s.height);
  d += {static_cast<char>(s.depth), static_cast<char>(s.colour_type), 0, 0, static_cast<char>(s.interlaced ? 1 : 0)};
  return d;
}

std::string make_png(const Spec& s, const std::string& raw) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += chunk("IHDR", ihdr(s));
  if (!s.palette.empty()) png += chunk("PLTE", s.palette);
  if (!s.trns.empty()) png += chunk("tRNS", s.trns);
  png += chunk("tEXt", std::string("Comment\0seal", 12));
  const std::string z = deflate(raw);
  png += chunk("IDAT", z.substr(0, z.size() / 2));  // split over two IDAT chunks
  png += chunk("IDAT", z.substr(z.size() / 2));
  png += chunk("IEND", "");
  return png;
}
std::string make_png(const Spec& s) { return make_png(s, raw_data(s)); }

std::vector<uint32_t> random_samples(std::size_t n, int depth, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint32_t> v(n);
  for (auto& x : v) x = rng() & ((1u << depth) - 1);
  return v;
}

uint8_t to8(uint32_t v, int depth) {
  if (depth == 16) return static_cast<uint8_t>((v * 255 + 32767) / 65535);
  return static_cast<uint8_t>(v * 255 / ((1u << depth) - 1));
}

void expect_invalid(const std::string& png, const char* what) {
  try {
    decode_png(png);
    ADD_FAILURE() << "accepted: " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "IMAGE_INVALID") << what;
    EXPECT_EQ(e.category(), ErrorCategory::format) << what;
  }
}

// Gray and gray+alpha at every depth, plain and interlaced.
TEST(AppearancePng, GrayAllDepths) {
  for (bool interlaced : {false, true})
    for (int depth : {1, 2, 4, 8, 16}) {
      Spec s{13, 11, depth, 0, 1, random_samples(13 * 11, depth, depth), "", "", interlaced};
      const Image img = decode_png(make_png(s));
      ASSERT_EQ(img.width, 13);
      ASSERT_EQ(img.height, 11);
      ASSERT_EQ(img.components, 1);
      EXPECT_TRUE(img.alpha.empty());
      for (std::size_t i = 0; i < s.samples.size(); ++i)
        ASSERT_EQ(static_cast<uint8_t>(img.pixels[i]), to8(s.samples[i], depth)) << "depth " << depth << " pixel " << i;
    }
}

TEST(AppearancePng, GrayTransparentColour) {
  Spec s{4, 1, 4, 0, 1, {3, 7, 3, 15}, "", std::string("\0\x03", 2)};
  const Image img = decode_png(make_png(s));
  EXPECT_EQ(img.pixels, std::string("\x33\x77\x33\xff"));
  EXPECT_EQ(img.alpha, std::string("\x00\xff\x00\xff", 4));
}

TEST(AppearancePng, RgbAndRgba8And16) {
  for (bool interlaced : {false, true})
    for (int depth : {8, 16})
      for (int colour_type : {2, 6}) {
        const int channels = colour_type == 2 ? 3 : 4;
        Spec s{17, 9, depth, colour_type, channels, random_samples(17 * 9 * channels, depth, 100 + depth), "", "", interlaced};
        const Image img = decode_png(make_png(s));
        ASSERT_EQ(img.components, 3);
        ASSERT_EQ(img.pixels.size(), 17u * 9 * 3);
        ASSERT_EQ(img.alpha.size(), colour_type == 6 ? 17u * 9 : 0u);
        for (std::size_t p = 0; p < 17 * 9; ++p) {
          for (int k = 0; k < 3; ++k) ASSERT_EQ(static_cast<uint8_t>(img.pixels[p * 3 + k]), to8(s.samples[p * channels + k], depth));
          if (colour_type == 6) {
            ASSERT_EQ(static_cast<uint8_t>(img.alpha[p]), to8(s.samples[p * 4 + 3], depth));
          }
        }
      }
}

TEST(AppearancePng, GrayAlpha16) {
  Spec s{3, 1, 16, 4, 2, {0, 65535, 65535, 0, 0x1234, 0x8000}};
  const Image img = decode_png(make_png(s));
  EXPECT_EQ(img.components, 1);
  EXPECT_EQ(img.pixels, std::string("\x00\xff\x12", 3));
  EXPECT_EQ(img.alpha, std::string("\xff\x00\x80", 3));
}

TEST(AppearancePng, RgbTransparentColourAndOpaqueAlphaDropped) {
  Spec s{2, 1, 8, 2, 3, {1, 2, 3, 4, 5, 6}, "", std::string("\0\x01\0\x02\0\x03", 6)};
  EXPECT_EQ(decode_png(make_png(s)).alpha, std::string("\x00\xff", 2));
  Spec opaque{2, 1, 8, 6, 4, {1, 2, 3, 255, 4, 5, 6, 255}};
  EXPECT_TRUE(decode_png(make_png(opaque)).alpha.empty());  // every pixel opaque: no SMask needed
}

TEST(AppearancePng, PaletteWithTransparency) {
  for (bool interlaced : {false, true}) {
    // 2-bit indices; tRNS shorter than the palette: entries past it are opaque.
    Spec s{9, 3, 2, 3, 1, random_samples(27, 2, 7), std::string("\xff\0\0\0\xff\0\0\0\xff\x10\x20\x30", 12), std::string("\x00\x80", 2), interlaced};
    const Image img = decode_png(make_png(s));
    ASSERT_EQ(img.components, 3);
    for (std::size_t p = 0; p < 27; ++p) {
      const uint32_t i = s.samples[p];
      EXPECT_EQ(img.pixels.substr(p * 3, 3), s.palette.substr(i * 3, 3));
      EXPECT_EQ(static_cast<uint8_t>(img.alpha[p]), i == 0 ? 0 : i == 1 ? 0x80 : 0xFF);
    }
  }
}

TEST(AppearancePng, InterlacedMatchesPlain) {
  for (uint32_t size : {1u, 2u, 5u, 8u, 9u, 33u}) {
    Spec s{size, size + 1, 8, 2, 3, random_samples(size * (size + 1) * 3, 8, size)};
    const Image plain = decode_png(make_png(s));
    s.interlaced = true;
    const Image inter = decode_png(make_png(s));
    EXPECT_EQ(plain.pixels, inter.pixels) << size;
  }
}

TEST(AppearancePng, RejectsBrokenFiles) {
  Spec s{5, 4, 8, 2, 3, random_samples(60, 8, 3)};
  const std::string good = make_png(s);
  ASSERT_NO_THROW(decode_png(good));

  std::string bad_crc = good;
  bad_crc[8 + 8 + 13] ^= 1;  // inside IHDR's CRC
  expect_invalid(bad_crc, "corrupt CRC");
  for (std::size_t cut = 0; cut < good.size(); cut += 3) expect_invalid(good.substr(0, cut), "truncated");
  expect_invalid("GIF89a", "not a PNG");

  Spec huge = s;
  huge.width = 9000;
  expect_invalid(make_png(huge, raw_data(s)), "huge width");
  huge.width = 8000, huge.height = 8000;  // allowed size, but the data is far too short: must fail fast
  expect_invalid(make_png(huge, raw_data(s)), "short data");
  Spec zero = s;
  zero.height = 0;
  expect_invalid(make_png(zero, ""), "empty");

  std::string raw = raw_data(s);
  raw[0] = 5;
  expect_invalid(make_png(s, raw), "bad filter byte");
  expect_invalid(make_png(s, raw_data(s).substr(0, 20)), "short image data");
  Spec bad_depth = s;
  bad_depth.depth = 4;  // RGB must be 8 or 16 bits
  expect_invalid(make_png(bad_depth, raw_data(s)), "bad depth");
  Spec palette{2, 1, 8, 3, 1, {0, 3}, std::string("\0\0\0\1\1\1", 6)};
  expect_invalid(make_png(palette), "palette index out of range");
  Spec no_palette{2, 1, 8, 3, 1, {0, 0}};
  expect_invalid(make_png(no_palette), "palette image without PLTE");

  std::string critical = good;
  const std::size_t iend = critical.size() - 12;
  critical.insert(iend, chunk("ABCD", "x"));
  expect_invalid(critical, "unknown critical chunk");
}

// Flipped bytes must give an Image or IMAGE_INVALID, never a crash or a hang. Raw flips mostly hit the
// CRC check, so a second round flips bytes inside the header and compressed data and re-seals the CRCs.
TEST(AppearancePng, FuzzedInputNeverCrashes) {
  Spec s{20, 12, 8, 6, 4, random_samples(20 * 12 * 4, 8, 5), "", "", true};
  const std::string good = make_png(s);
  std::mt19937 rng(42);
  auto attempt = [](const std::string& png) {
    try {
      const Image img = decode_png(png);
      EXPECT_EQ(img.pixels.size(), static_cast<std::size_t>(img.width) * img.height * img.components);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "IMAGE_INVALID");
    }
  };
  for (int i = 0; i < 500; ++i) {
    std::string png = good;
    for (int k = 0; k < 1 + i % 4; ++k) png[rng() % png.size()] = static_cast<char>(rng());
    attempt(png);
  }
  const std::string header = ihdr(s), z = deflate(raw_data(s));
  for (int i = 0; i < 500; ++i) {
    std::string h = header, d = z;
    if (i % 3 == 0) {
      h[rng() % h.size()] = static_cast<char>(rng());
    } else {
      d[rng() % d.size()] = static_cast<char>(rng());
    }
    attempt(std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", h) + chunk("IDAT", d) + chunk("IEND", ""));
  }
}

}  // namespace
}  // namespace libsign::appearance
