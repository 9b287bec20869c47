// libsign pdf — PDF text strings (PDFDocEncoding, UTF-16BE with BOM, UTF-8 with BOM) to UTF-8.
#pragma once
#include <string>
#include <string_view>

namespace libsign::pdf {

std::string text_to_utf8(std::string_view bytes);

}  // namespace libsign::pdf
