// libsign pdf — PDF text strings to UTF-8: UTF-16BE with BOM (and, leniently, UTF-16LE with BOM),
// UTF-8 with BOM (PDF 2.0), bare well-formed UTF-8 as some signers write it, otherwise PDFDocEncoding.
// Language escapes are dropped and ill-formed sequences become U+FFFD: the result is always valid UTF-8.
#pragma once
#include <string>
#include <string_view>

namespace libsign::pdf {

std::string text_to_utf8(std::string_view bytes);

}  // namespace libsign::pdf
