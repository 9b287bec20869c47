// subset_font: which glyphs to keep, the rewritten tables, and the values a PDF font dictionary needs.
#include <cmath>

#include "appearance/font_subset.hpp"
#include "appearance/glyph_closure.hpp"
#include "appearance/latin_compose.hpp"
#include "appearance/sfnt_bytes.hpp"
#include "appearance/sfnt_writer.hpp"
#include "appearance/subset_tables.hpp"
#include "appearance/utf8.hpp"

namespace libsign::appearance {
namespace {

// PDF 32000 9.6.4: six upper-case letters naming the subset. Derived from the glyph set (FNV-1a), so
// the same text always gives the same tag and different subsets almost surely differ.
std::string subset_tag(const std::set<uint16_t>& glyphs) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (uint16_t g : glyphs)
    for (int shift : {8, 0}) h = (h ^ ((g >> shift) & 0xFF)) * 0x100000001B3ull;
  std::string tag;
  for (int i = 0; i < 6; ++i, h /= 26) tag.push_back(static_cast<char>('A' + h % 26));
  return tag;
}

std::string copy_table(const TrueTypeFont& font, const char* tag) { return std::string(*font.table(tag)); }

}  // namespace

FontSubset subset_font(const TrueTypeFont& font, std::string_view utf8_text) {
  FontSubset s;
  const std::u32string text = compose_latin(decode_utf8(utf8_text), [&](char32_t c) { return font.has_glyph(c); });
  std::set<uint16_t> wanted{0};
  for (char32_t cp : text) {
    const uint16_t glyph = font.glyph_id(cp);
    s.glyph_of.emplace(cp, glyph);
    wanted.insert(glyph);
    if (glyph != 0) s.unicode.emplace(glyph, std::u32string(1, cp));  // first code point wins
  }
  const std::set<uint16_t> keep = glyph_closure(font, wanted);

  const GlyfLoca glyf = build_glyf_loca(font, keep);
  const Hmtx hmtx = build_hmtx(font, keep);
  std::map<std::string, std::string> tables;
  tables["head"] = copy_table(font, "head");
  set16(tables["head"], 50, static_cast<uint32_t>(glyf.index_to_loc_format));
  tables["hhea"] = copy_table(font, "hhea");
  set16(tables["hhea"], 34, static_cast<uint32_t>(hmtx.number_of_h_metrics));
  tables["maxp"] = copy_table(font, "maxp");
  tables["glyf"] = glyf.glyf;
  tables["loca"] = glyf.loca;
  tables["hmtx"] = hmtx.hmtx;
  tables["cmap"] = build_cmap(s.glyph_of);
  tables["post"] = build_post(font);
  // Hinting programs and naming are copied whole: the instructions in kept glyphs may call fpgm functions.
  for (const char* tag : {"name", "OS/2", "cvt ", "fpgm", "prep", "gasp"})
    if (font.table(tag)) tables[tag] = copy_table(font, tag);
  s.font_file = write_sfnt(std::move(tables));

  s.base_font = subset_tag(keep) + "+" + font.postscript_name();
  s.metrics = font.metrics();
  const double scale = 1000.0 / font.metrics().units_per_em;
  for (uint16_t g : keep) s.widths[g] = static_cast<int>(std::lround(font.advance_width(g) * scale));
  return s;
}

}  // namespace libsign::appearance
