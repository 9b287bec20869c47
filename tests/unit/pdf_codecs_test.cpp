// libsign pdf — the simple stream filters (ASCIIHex, ASCII85, RunLength, LZW) and the TIFF predictor,
// through decode_stream as the reader uses them.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "libsign/error.hpp"
#include "pdf/codecs.hpp"
#include "pdf/filters.hpp"
#include "pdf/object.hpp"

using namespace libsign::pdf;

namespace {

ObjPtr name(const std::string& n) { return Object::make_name(n); }

// A plain LZW encoder (9–12 bit codes, clear code first, EarlyChange 1), to round-trip the decoder. The
// decoder's table lags one entry behind the encoder's, so a code is written with the width the decoder
// will expect: 10 bits once the encoder's next code reaches 512, and so on.
std::string lzw_encode(const std::string& in) {
  std::map<std::string, int> dict;
  int next = 258;
  auto reset = [&] {
    dict.clear();
    for (int c = 0; c < 256; ++c) dict[std::string(1, static_cast<char>(c))] = c;
    next = 258;
  };
  std::string out;
  uint32_t bits = 0;
  int nbits = 0;
  auto emit = [&](int code) {
    int width = next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9;
    bits = (bits << width) | static_cast<uint32_t>(code);
    nbits += width;
    while (nbits >= 8) {
      out.push_back(static_cast<char>((bits >> (nbits - 8)) & 0xFF));
      nbits -= 8;
    }
  };
  reset();
  emit(256);
  std::string w;
  for (char c : in) {
    std::string wc = w + c;
    if (dict.count(wc)) {
      w = wc;
      continue;
    }
    emit(dict[w]);
    dict[wc] = next++;
    if (next >= 4000) {  // before the 4096-entry table is full
      emit(256);
      reset();
    }
    w = std::string(1, c);
  }
  if (!w.empty()) emit(dict[w]);
  emit(257);
  if (nbits > 0) out.push_back(static_cast<char>((bits << (8 - nbits)) & 0xFF));
  return out;
}

}  // namespace

TEST(PdfCodecs, AsciiHexAndAscii85) {
  EXPECT_EQ(decode_stream("48 65 6C\n6c 6F 2>", name("ASCIIHexDecode"), nullptr), std::string("Hello ", 6));
  EXPECT_EQ(decode_stream("87cURD_*#IBju-tB5Sk8z+D#G$~>", name("A85"), nullptr),
            std::string("Hello, libsign! \0\0\0\0 end", 24));
  EXPECT_THROW(decode_stream("4G>", name("AHx"), nullptr), libsign::Error);
  EXPECT_THROW(decode_stream("87cU{~>", name("ASCII85Decode"), nullptr), libsign::Error);
}

TEST(PdfCodecs, RunLength) {
  std::string encoded = std::string("\x02" "abc" "\xFD" "z" "\x80", 7);
  EXPECT_EQ(decode_stream(encoded, name("RunLengthDecode"), nullptr), "abczzzz");
  EXPECT_EQ(run_length_decode(std::string("\x05" "ab", 3)), "ab");  // a run cut short: what is there
}

TEST(PdfCodecs, LzwRoundTripsThroughAllCodeWidths) {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += std::to_string(i * 7919 % 1000) + (i % 3 ? " " : "\n");
  EXPECT_EQ(decode_stream(lzw_encode(text), name("LZWDecode"), nullptr), text);
  EXPECT_EQ(lzw_decode(lzw_encode("TOBEORNOTTOBEORTOBEORNOT"), true), "TOBEORNOTTOBEORTOBEORNOT");
  EXPECT_THROW(lzw_decode(std::string("\xFF\xFF\xFF\xFF", 4), true), libsign::Error);
}

TEST(PdfCodecs, TiffPredictor) {
  // Two rows of 3 one-byte pixels, each stored as the difference to its left neighbour.
  std::string diff = std::string("\x01\x01\x01\x05\x02\x02", 6);
  auto parms = Object::make_dict({{"Predictor", Object::make_int(2)}, {"Columns", Object::make_int(3)}});
  EXPECT_EQ(tiff_unpredict(diff, 1, 8, 3), std::string("\x01\x02\x03\x05\x07\x09", 6));
  EXPECT_EQ(decode_stream(lzw_encode(diff), name("LZWDecode"), parms), std::string("\x01\x02\x03\x05\x07\x09", 6));
  EXPECT_THROW(tiff_unpredict(diff, 1, 4, 3), libsign::Error);  // only 8-bit components
}
