// Which glyphs a subset must keep: the requested ones plus every component of composite glyphs.
#pragma once
#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

namespace libsign::appearance {

class TrueTypeFont;

// Component glyph ids of one glyph's glyf data (empty for simple or empty glyphs); FONT_INVALID when the
// component records run past the data.
std::vector<uint16_t> composite_components(std::string_view glyph);

// `glyphs` plus all components, transitively. FONT_INVALID on a component id beyond numGlyphs, a cycle,
// or nesting deeper than 16 levels.
std::set<uint16_t> glyph_closure(const TrueTypeFont& font, const std::set<uint16_t>& glyphs);

}  // namespace libsign::appearance
