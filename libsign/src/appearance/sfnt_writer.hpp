// Assembles a TrueType file from whole tables: sorted directory, 4-byte padding, table checksums and
// head.checkSumAdjustment.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace libsign::appearance {

uint32_t sfnt_checksum(std::string_view data);  // sum of big-endian uint32 words, zero-padded

// `tables` maps 4-character tags to contents; a "head" table (>= 12 bytes) gets its checkSumAdjustment set.
std::string write_sfnt(std::map<std::string, std::string> tables);

}  // namespace libsign::appearance
