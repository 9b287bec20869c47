#include "pdf/filters.hpp"

#include <zlib.h>

#include <cstdlib>
#include <vector>

#include "pdf/codecs.hpp"
#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

std::string inflate(std::string_view raw) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) fail("PDF_MALFORMED", "zlib initialisation failed");
  std::string out;
  char buf[16384];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(raw.size(), UINT32_MAX));
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = ::inflate(&zs, Z_NO_FLUSH);
    size_t produced = sizeof buf - zs.avail_out;
    if (out.size() + produced > limits::kMaxDecoded) {
      inflateEnd(&zs);
      fail("PDF_MALFORMED", "decoded stream larger than the limit");
    }
    out.append(buf, produced);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) {
      // Truncated or corrupt data that already produced output is accepted, like other readers
      // do for a missing checksum; nothing at all is an error.
      if ((rc == Z_BUF_ERROR || rc == Z_DATA_ERROR) && !out.empty()) break;
      inflateEnd(&zs);
      fail("PDF_MALFORMED", "corrupt FlateDecode data");
    }
    if (produced == 0 && zs.avail_in == 0) break;  // input exhausted without stream end
  }
  inflateEnd(&zs);
  return out;
}

std::string png_unpredict(std::string_view data, int colors, int bpc, int columns) {
  if (colors < 1 || colors > 32 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) || columns < 1 ||
      columns > (1 << 24))
    fail("PDF_MALFORMED", "bad predictor parameters");
  size_t bpp = std::max<size_t>(1, static_cast<size_t>(colors) * bpc / 8);
  size_t row = (static_cast<size_t>(colors) * bpc * static_cast<size_t>(columns) + 7) / 8;
  std::string out;
  out.reserve(data.size());
  std::vector<unsigned char> prev(row, 0), cur(row);
  size_t p = 0;
  while (p < data.size()) {
    unsigned type = static_cast<unsigned char>(data[p++]);
    size_t n = std::min(row, data.size() - p);
    std::fill(cur.begin(), cur.end(), 0);
    for (size_t i = 0; i < n; ++i) cur[i] = static_cast<unsigned char>(data[p + i]);
    p += n;
    for (size_t i = 0; i < row; ++i) {
      unsigned a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      switch (type) {
        case 0: break;
        case 1: cur[i] = static_cast<unsigned char>(cur[i] + a); break;
        case 2: cur[i] = static_cast<unsigned char>(cur[i] + b); break;
        case 3: cur[i] = static_cast<unsigned char>(cur[i] + (a + b) / 2); break;
        case 4: {
          int pa = std::abs(static_cast<int>(b) - static_cast<int>(c));
          int pb = std::abs(static_cast<int>(a) - static_cast<int>(c));
          int pc = std::abs(static_cast<int>(a) + static_cast<int>(b) - 2 * static_cast<int>(c));
          unsigned pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          cur[i] = static_cast<unsigned char>(cur[i] + pred);
          break;
        }
        default: fail("PDF_MALFORMED", "bad PNG predictor row type");
      }
    }
    out.append(reinterpret_cast<const char*>(cur.data()), n);
    prev.swap(cur);
  }
  return out;
}

namespace {

int int_param(const ObjPtr& parms, const char* key, int dflt) {
  if (!parms || !parms->has_dict()) return dflt;
  auto v = parms->get(key);
  if (!v || !v->is_int()) return dflt;
  int64_t x = v->as_int();
  if (x < INT32_MIN || x > INT32_MAX) fail("PDF_MALFORMED", std::string("bad /") + key);
  return static_cast<int>(x);
}

std::string unpredict(std::string data, const ObjPtr& parms) {
  int predictor = int_param(parms, "Predictor", 1);
  if (predictor >= 10)
    return png_unpredict(data, int_param(parms, "Colors", 1), int_param(parms, "BitsPerComponent", 8),
                         int_param(parms, "Columns", 1));
  if (predictor == 2)
    return tiff_unpredict(data, int_param(parms, "Colors", 1), int_param(parms, "BitsPerComponent", 8),
                          int_param(parms, "Columns", 1));
  if (predictor != 1) fail("PDF_UNSUPPORTED_FILTER", "unsupported predictor " + std::to_string(predictor));
  return data;
}

std::string apply_one(std::string data, const std::string& name, const ObjPtr& parms) {
  if (name == "FlateDecode" || name == "Fl") return unpredict(inflate(data), parms);
  if (name == "LZWDecode" || name == "LZW") return unpredict(lzw_decode(data, int_param(parms, "EarlyChange", 1) != 0), parms);
  if (name == "ASCIIHexDecode" || name == "AHx") return ascii_hex_decode(data);
  if (name == "ASCII85Decode" || name == "A85") return ascii85_decode(data);
  if (name == "RunLengthDecode" || name == "RL") return run_length_decode(data);
  if (name == "Crypt") return data;  // decryption happens before the filters, in Document
  fail("PDF_UNSUPPORTED_FILTER", "unsupported stream filter /" + name);
}

}  // namespace

std::string decode_stream(std::string_view raw, const ObjPtr& filter, const ObjPtr& parms) {
  if (!filter || filter->is_null()) return std::string(raw);
  if (filter->is_name()) return apply_one(std::string(raw), filter->as_name(), parms);
  if (!filter->is_array()) fail("PDF_MALFORMED", "bad /Filter");
  std::string data(raw);
  const auto& names = filter->items();
  if (names.size() > 8) fail("PDF_MALFORMED", "too many filters");
  for (size_t i = 0; i < names.size(); ++i) {
    if (!names[i]->is_name()) fail("PDF_MALFORMED", "bad /Filter entry");
    ObjPtr p;
    if (parms && parms->is_array() && i < parms->items().size()) p = parms->items()[i];
    else if (parms && parms->is_dict() && names.size() == 1) p = parms;
    data = apply_one(std::move(data), names[i]->as_name(), p);
  }
  return data;
}

}  // namespace libsign::pdf
