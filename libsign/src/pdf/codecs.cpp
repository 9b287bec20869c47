#include "pdf/codecs.hpp"

#include <vector>

#include "pdf/chars.hpp"
#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

namespace {
void check_size(const std::string& out) {
  if (out.size() > limits::kMaxDecoded) fail("PDF_MALFORMED", "decoded stream larger than the limit");
}
}  // namespace

std::string ascii_hex_decode(std::string_view in) {
  std::string out;
  int pending = -1;
  for (unsigned char c : in) {
    if (c == '>') break;
    if (is_ws(c)) continue;
    int v = hex_value(c);
    if (v < 0) fail("PDF_MALFORMED", "bad character in ASCIIHexDecode data");
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<char>(pending * 16 + v));
      pending = -1;
    }
  }
  if (pending >= 0) out.push_back(static_cast<char>(pending * 16));
  return out;
}

std::string ascii85_decode(std::string_view in) {
  std::string out;
  uint32_t group = 0;
  int count = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '~') break;  // "~>" ends the data
    if (is_ws(c)) continue;
    if (c == 'z' && count == 0) {
      out.append(4, '\0');
      check_size(out);
      continue;
    }
    if (c < '!' || c > 'u') fail("PDF_MALFORMED", "bad character in ASCII85Decode data");
    group = group * 85 + (c - '!');
    if (++count == 5) {
      for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((group >> s) & 0xFF));
      group = 0;
      count = 0;
      check_size(out);
    }
  }
  if (count > 1) {  // a final partial group: pad with 'u' and keep count-1 bytes
    for (int k = count; k < 5; ++k) group = group * 85 + 84;
    for (int k = 0; k < count - 1; ++k) out.push_back(static_cast<char>((group >> (24 - 8 * k)) & 0xFF));
  }
  return out;
}

std::string run_length_decode(std::string_view in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    unsigned len = static_cast<unsigned char>(in[i++]);
    if (len == 128) break;
    if (len < 128) {
      size_t n = std::min<size_t>(len + 1, in.size() - i);
      out.append(in.substr(i, n));
      i += n;
    } else if (i < in.size()) {
      out.append(257 - len, in[i++]);
    }
    check_size(out);
  }
  return out;
}

std::string lzw_decode(std::string_view in, bool early_change) {
  std::string out;
  std::vector<std::string> table;
  auto reset = [&] {
    table.clear();
    for (int c = 0; c < 256; ++c) table.emplace_back(1, static_cast<char>(c));
    table.emplace_back();  // 256: clear
    table.emplace_back();  // 257: end of data
  };
  reset();
  int width = 9;
  uint32_t bits = 0;
  int nbits = 0;
  std::string prev;
  size_t i = 0;
  while (true) {
    while (nbits < width && i < in.size()) {
      bits = (bits << 8) | static_cast<unsigned char>(in[i++]);
      nbits += 8;
    }
    if (nbits < width) break;
    uint32_t code = (bits >> (nbits - width)) & ((1u << width) - 1);
    nbits -= width;
    if (code == 256) {
      reset();
      width = 9;
      prev.clear();
      continue;
    }
    if (code == 257) break;
    std::string entry;
    if (code < table.size() && !(code >= 258 && table[code].empty())) entry = table[code];
    else if (code == table.size() && !prev.empty()) entry = prev + prev[0];
    else fail("PDF_MALFORMED", "bad LZWDecode code");
    out += entry;
    check_size(out);
    if (!prev.empty() && table.size() < 4096) table.push_back(prev + entry[0]);
    prev = entry;
    size_t next = table.size() + (early_change ? 1 : 0);
    if (next >= 4096) width = 12;
    else if (next >= 2048) width = 12;
    else if (next >= 1024) width = 11;
    else if (next >= 512) width = 10;
  }
  return out;
}

std::string tiff_unpredict(std::string_view data, int colors, int bpc, int columns) {
  if (bpc != 8 || colors < 1 || colors > 32 || columns < 1 || columns > (1 << 24))
    fail("PDF_UNSUPPORTED_FILTER", "TIFF predictor only with 8 bits per component");
  size_t row = static_cast<size_t>(colors) * static_cast<size_t>(columns);
  std::string out(data);
  for (size_t start = 0; start < out.size(); start += row)
    for (size_t i = start + static_cast<size_t>(colors); i < std::min(out.size(), start + row); ++i)
      out[i] = static_cast<char>(static_cast<unsigned char>(out[i]) + static_cast<unsigned char>(out[i - static_cast<size_t>(colors)]));
  return out;
}

}  // namespace libsign::pdf
