// libsign pdf — the simple stream filters besides FlateDecode (ASCIIHex, ASCII85, RunLength, LZW) and the
// TIFF predictor. Producers use them for object and xref streams less often than Flate, but they do.
// Every decoder stops at limits::kMaxDecoded and never reads outside its input.
#pragma once
#include <string>
#include <string_view>

namespace libsign::pdf {

std::string ascii_hex_decode(std::string_view in);
std::string ascii85_decode(std::string_view in);
std::string run_length_decode(std::string_view in);
std::string lzw_decode(std::string_view in, bool early_change);
// TIFF predictor 2 (horizontal differencing), 8 bits per component.
std::string tiff_unpredict(std::string_view data, int colors, int bpc, int columns);

}  // namespace libsign::pdf
