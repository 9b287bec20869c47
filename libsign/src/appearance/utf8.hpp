// Lenient UTF-8 decoding for text we draw: an invalid sequence becomes U+FFFD, never an error.
#pragma once
#include <string>
#include <string_view>

namespace libsign::appearance {

// Overlong forms, surrogates, values above U+10FFFF and truncated sequences each yield one U+FFFD
// per maximal invalid subpart (the Unicode "best practice").
std::u32string decode_utf8(std::string_view text);

}  // namespace libsign::appearance
