#include "pdf/text.hpp"

#include <cstdint>

namespace libsign::pdf {

namespace {

constexpr uint32_t kReplacement = 0xFFFD;

void put_utf8(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
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

// PDFDocEncoding (ISO 32000-2 Annex D, table D.2). It agrees with Latin-1 except in 0x18..0x1F and
// 0x80..0xA0; the codes the table leaves undefined become U+FFFD.
uint32_t pdfdoc(unsigned char c) {
  static const uint16_t low[8] = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
  static const uint16_t high[33] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039,
                                    0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A,
                                    0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131,
                                    0x0142, 0x0153, 0x0161, 0x017E, kReplacement, 0x20AC};
  if (c < 0x18) return c == 0x09 || c == 0x0A || c == 0x0D ? c : kReplacement;
  if (c <= 0x1F) return low[c - 0x18];
  if (c == 0x7F || c == 0xAD) return kReplacement;
  if (c >= 0x80 && c <= 0xA0) return high[c - 0x80];
  return c;
}

// Decodes UTF-8, replacing each ill-formed subsequence (overlong forms, surrogates, code points past
// U+10FFFF, truncated sequences) by U+FFFD. Returns whether the input was well-formed.
bool decode_utf8(std::string_view b, std::string* out) {
  bool ok = true;
  size_t i = 0;
  while (i < b.size()) {
    const unsigned char c = static_cast<unsigned char>(b[i]);
    if (c < 0x80) {
      if (out) out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    // Lead byte: length and the allowed range of the second byte (Unicode table 3-7).
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    size_t k = 1;
    if (len) {
      for (; k < len && i + k < b.size(); ++k) {
        const unsigned char x = static_cast<unsigned char>(b[i + k]);
        if (k == 1 ? (x < lo || x > hi) : (x & 0xC0) != 0x80) break;
      }
    }
    if (len == 0 || k < len) {
      ok = false;
      if (out) put_utf8(*out, kReplacement);
      i += len == 0 ? 1 : k;  // skip the maximal valid prefix, as one U+FFFD
      continue;
    }
    if (out) out->append(b.substr(i, len));
    i += len;
  }
  return ok;
}

// Well-formed UTF-8 with at least one multi-byte sequence. Signers such as poppler's pdfsig write
// UTF-8 without the PDF 2.0 byte order mark; read as PDFDocEncoding, Vietnamese names turn to mojibake.
bool looks_like_utf8(std::string_view b) {
  bool multibyte = false;
  for (char c : b) multibyte |= static_cast<unsigned char>(c) >= 0x80;
  return multibyte && decode_utf8(b, nullptr);
}

// UTF-16 after the byte order mark. A language escape (U+001B, language code, U+001B) is dropped; an
// unpaired surrogate, a lone escape or a trailing odd byte becomes U+FFFD.
std::string decode_utf16(std::string_view b, bool big_endian) {
  std::string out;
  auto unit = [&](size_t i) -> uint32_t {
    const unsigned char a = static_cast<unsigned char>(b[i]), c = static_cast<unsigned char>(b[i + 1]);
    return big_endian ? (a << 8) | c : (c << 8) | a;
  };
  const size_t end = b.size() - b.size() % 2;
  for (size_t i = 0; i < end; i += 2) {
    uint32_t u = unit(i);
    if (u == 0x1B) {
      size_t close = i + 2;
      while (close < end && unit(close) != 0x1B) close += 2;
      if (close < end) {
        i = close;  // the loop step moves past the closing escape
        continue;
      }
      put_utf8(out, kReplacement);
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF && i + 2 < end) {
      uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    put_utf8(out, u);  // a lone surrogate becomes U+FFFD there
  }
  if (end != b.size()) put_utf8(out, kReplacement);
  return out;
}

bool starts_with(std::string_view b, std::string_view prefix) { return b.substr(0, prefix.size()) == prefix; }

}  // namespace

std::string text_to_utf8(std::string_view b) {
  if (starts_with(b, "\xFE\xFF")) return decode_utf16(b.substr(2), true);
  if (starts_with(b, "\xFF\xFE")) return decode_utf16(b.substr(2), false);  // not in the standard, but written
  std::string out;
  if (starts_with(b, "\xEF\xBB\xBF")) {  // PDF 2.0 UTF-8
    decode_utf8(b.substr(3), &out);
    return out;
  }
  if (looks_like_utf8(b)) return std::string(b);
  for (unsigned char c : b) put_utf8(out, pdfdoc(c));
  return out;
}

}  // namespace libsign::pdf
