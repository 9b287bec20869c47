// libsign pdf — stream decoding: FlateDecode (zlib) with PNG/TIFF-none predictors. Output capped at limits::kMaxDecoded.
#pragma once
#include <string>
#include <string_view>

#include "pdf/object.hpp"

namespace libsign::pdf {

// Decodes `raw` according to the stream dictionary's /Filter and /DecodeParms (direct values only: the caller
// resolves references first). Throws PDF_UNSUPPORTED_FILTER for filters other than FlateDecode.
std::string decode_stream(std::string_view raw, const ObjPtr& filter, const ObjPtr& parms);

std::string inflate(std::string_view raw);
// Undoes a PNG predictor (/Predictor >= 10) row by row.
std::string png_unpredict(std::string_view data, int colors, int bpc, int columns);

}  // namespace libsign::pdf
