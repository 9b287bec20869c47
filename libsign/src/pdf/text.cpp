#include "pdf/text.hpp"

#include <cstdint>

namespace libsign::pdf {

namespace {

void put_utf8(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// PDFDocEncoding differs from Latin-1 in 0x18..0x1F and 0x80..0xA0 (ISO 32000-1 Annex D).
uint32_t pdfdoc(unsigned char c) {
  static const uint16_t low[8] = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
  static const uint16_t high[33] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039,
                                    0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A,
                                    0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131,
                                    0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC};
  if (c >= 0x18 && c <= 0x1F) return low[c - 0x18];
  if (c >= 0x80 && c <= 0xA0) return high[c - 0x80];
  if (c == 0xAD) return 0xFFFD;  // undefined in PDFDocEncoding
  return c;
}

// Well-formed UTF-8 with at least one multi-byte sequence. Signers such as poppler's pdfsig write
// UTF-8 without the PDF 2.0 byte order mark; read as PDFDocEncoding, Vietnamese names turn to mojibake.
bool looks_like_utf8(std::string_view b) {
  bool multibyte = false;
  for (size_t i = 0; i < b.size();) {
    unsigned char c = static_cast<unsigned char>(b[i]);
    size_t extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 99;
    if (extra == 99 || (c >= 0xC0 && c < 0xC2) || i + extra >= b.size()) return false;
    for (size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(b[i + k]) & 0xC0) != 0x80) return false;
    multibyte |= extra > 0;
    i += extra + 1;
  }
  return multibyte;
}

}  // namespace

std::string text_to_utf8(std::string_view b) {
  std::string out;
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xFE && static_cast<unsigned char>(b[1]) == 0xFF) {
    for (size_t i = 2; i + 1 < b.size(); i += 2) {
      uint32_t u = (static_cast<unsigned char>(b[i]) << 8) | static_cast<unsigned char>(b[i + 1]);
      if (u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
        uint32_t lo = (static_cast<unsigned char>(b[i + 2]) << 8) | static_cast<unsigned char>(b[i + 3]);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
          i += 2;
          continue;
        }
      }
      put_utf8(out, u);
    }
    return out;
  }
  if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF") return std::string(b.substr(3));  // PDF 2.0 UTF-8
  if (looks_like_utf8(b)) return std::string(b);
  for (unsigned char c : b) put_utf8(out, pdfdoc(c));
  return out;
}

}  // namespace libsign::pdf
