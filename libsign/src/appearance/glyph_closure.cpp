#include "appearance/glyph_closure.hpp"

#include "appearance/font_error.hpp"
#include "appearance/font_subset.hpp"
#include "appearance/sfnt_bytes.hpp"

namespace libsign::appearance {
namespace {

constexpr int kMaxDepth = 16;
// Composite glyph flags (OpenType glyf table).
constexpr uint16_t kArgsAreWords = 0x0001, kHaveScale = 0x0008, kMoreComponents = 0x0020, kHaveXYScale = 0x0040,
                   kHaveTwoByTwo = 0x0080;

enum class Mark : uint8_t { unseen, visiting, done };

void visit(const TrueTypeFont& font, uint16_t glyph, int depth, std::vector<Mark>& marks, std::set<uint16_t>& out) {
  if (marks[glyph] == Mark::done) return;
  if (marks[glyph] == Mark::visiting) font_invalid("composite glyph " + std::to_string(glyph) + " contains itself");
  if (depth > kMaxDepth) font_invalid("composite glyphs nested too deeply");
  marks[glyph] = Mark::visiting;
  for (uint16_t component : composite_components(font.glyph_data(glyph))) {
    if (component >= font.num_glyphs()) font_invalid("composite glyph refers to a glyph beyond numGlyphs");
    visit(font, component, depth + 1, marks, out);
  }
  marks[glyph] = Mark::done;
  out.insert(glyph);
}

}  // namespace

std::vector<uint16_t> composite_components(std::string_view glyph) {
  std::vector<uint16_t> out;
  if (glyph.size() < 10 || sbe16(glyph, 0) >= 0) return out;
  std::size_t pos = 10;
  for (;;) {
    if (pos + 4 > glyph.size()) font_invalid("composite glyph is truncated");
    const uint16_t flags = be16(glyph, pos);
    out.push_back(be16(glyph, pos + 2));
    pos += 4 + ((flags & kArgsAreWords) ? 4 : 2);
    if (flags & kHaveScale) pos += 2;
    else if (flags & kHaveXYScale) pos += 4;
    else if (flags & kHaveTwoByTwo) pos += 8;
    if (pos > glyph.size()) font_invalid("composite glyph is truncated");
    if (!(flags & kMoreComponents)) return out;
  }
}

std::set<uint16_t> glyph_closure(const TrueTypeFont& font, const std::set<uint16_t>& glyphs) {
  std::vector<Mark> marks(static_cast<std::size_t>(font.num_glyphs()), Mark::unseen);
  std::set<uint16_t> out;
  for (uint16_t g : glyphs)
    if (g < font.num_glyphs()) visit(font, g, 0, marks, out);
  return out;
}

}  // namespace libsign::appearance
