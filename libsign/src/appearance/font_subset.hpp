// TrueType fonts for visible signatures: parse a font, subset it to the glyphs a text uses, and give
// everything a PDF Type0 / CIDFontType2 font with Identity-H encoding and CIDToGIDMap /Identity needs.
// Errors: libsign::Error(format, "FONT_INVALID", ...).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace libsign::appearance {

// PDF FontDescriptor values. ascent, descent, cap_height and bbox are in 1/1000 em (glyph space);
// italic_angle in degrees; units_per_em as in the font; flags are the PDF font flags.
struct FontMetrics {
  int units_per_em = 0;
  int ascent = 0, descent = 0, cap_height = 0;
  int italic_angle = 0;
  int bbox[4] = {0, 0, 0, 0};
  int flags = 0;
  int stem_v = 0;  // estimated from OS/2 usWeightClass: TrueType fonts do not record it
};

class TrueTypeFont {
 public:
  // FONT_INVALID on anything unusable: not TrueType outlines (CFF, collections), no Unicode cmap,
  // missing or truncated required tables, glyph locations outside glyf.
  static TrueTypeFont parse(std::string bytes);

  bool has_glyph(uint32_t code_point) const { return glyph_id(code_point) != 0; }
  std::string postscript_name() const;  // from the name table (fallback: "Font")

  // For the subsetter.
  uint16_t glyph_id(uint32_t code_point) const;  // 0 (.notdef) when the font has none
  int num_glyphs() const { return num_glyphs_; }
  const FontMetrics& metrics() const { return metrics_; }
  int advance_width(uint16_t glyph) const;      // font units
  int left_side_bearing(uint16_t glyph) const;  // font units
  std::string_view glyph_data(uint16_t glyph) const;  // the glyph's bytes in glyf (empty for none)
  std::optional<std::string_view> table(std::string_view tag) const;

 private:
  struct Range {
    std::size_t offset = 0, length = 0;
  };
  std::string bytes_;
  std::map<std::string, Range, std::less<>> tables_;
  std::vector<uint32_t> loca_;  // num_glyphs_ + 1 offsets into glyf, validated
  int num_glyphs_ = 0;
  int num_h_metrics_ = 0;
  int cmap_format_ = 0;
  std::size_t cmap_offset_ = 0, cmap_length_ = 0;  // the chosen Unicode subtable in bytes_, bounds checked
  std::string ps_name_;
  FontMetrics metrics_;

  Range require(const char* tag, std::size_t min_length) const;
  std::string_view view(Range r) const { return std::string_view(bytes_).substr(r.offset, r.length); }
  void parse_cmap();
  void parse_loca(int index_to_loc_format);
  void parse_metrics();
  void parse_name();
};

struct FontSubset {
  // A TrueType file for /FontFile2: glyph ids unchanged (CIDToGIDMap /Identity works), only used glyphs
  // keep outlines; head, hhea, maxp, loca, glyf, hmtx, cmap (used code points), post (format 3),
  // name, OS/2, cvt, fpgm, prep and gasp when present; checksums fixed.
  std::string font_file;
  std::string base_font;  // "ABCDEF+<PostScriptName>", tag derived deterministically from the glyph set
  FontMetrics metrics;
  std::map<uint16_t, int> widths;              // glyph id -> advance width in 1/1000 em, for /W
  std::map<uint16_t, std::u32string> unicode;  // glyph id -> code point(s), for ToUnicode
  std::map<char32_t, uint16_t> glyph_of;       // code point (after composition) -> glyph id, 0 if missing

  // Identity-H: 2-byte big-endian glyph ids, one per code point after composing base + combining marks
  // into a precomposed letter where this subset has it. Code points outside the subset -> .notdef (0).
  std::string encode(std::string_view utf8) const;
  double width_of(std::string_view utf8, double font_size) const;  // in text space units
  std::string to_unicode_cmap() const;  // CMap program: bfchar/bfrange, UTF-16BE, surrogate pairs above U+FFFF
  std::string w_array() const;          // e.g. "[3 [600 556] 10 [700]]"

 private:
  std::vector<uint16_t> glyphs(std::string_view utf8) const;
};

// Keeps glyph 0, the glyphs of `utf8_text` (precomposed Latin where the font has it) and all components
// of composite glyphs (a cycle or a nesting deeper than 16 levels is FONT_INVALID).
FontSubset subset_font(const TrueTypeFont& font, std::string_view utf8_text);

}  // namespace libsign::appearance
