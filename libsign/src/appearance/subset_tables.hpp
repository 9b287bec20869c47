// New contents of the tables a subset rewrites. Glyph ids never change; unused glyphs become empty.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace libsign::appearance {

class TrueTypeFont;

struct GlyfLoca {
  std::string glyf, loca;
  int index_to_loc_format = 0;  // 0 short (offset / 2) when glyf fits, else 1
};
GlyfLoca build_glyf_loca(const TrueTypeFont& font, const std::set<uint16_t>& keep);

// Used glyphs keep their metrics; numberOfHMetrics shrinks to the last used glyph + 1.
struct Hmtx {
  std::string hmtx;
  int number_of_h_metrics = 0;
};
Hmtx build_hmtx(const TrueTypeFont& font, const std::set<uint16_t>& keep);

// (3,1) format 4 for the BMP, plus (3,10) format 12 when a code point is above U+FFFF.
std::string build_cmap(const std::map<char32_t, uint16_t>& glyph_of);

// post format 3 (no glyph names), keeping the original header fields.
std::string build_post(const TrueTypeFont& font);

}  // namespace libsign::appearance
