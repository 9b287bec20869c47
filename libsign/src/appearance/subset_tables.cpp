#include "appearance/subset_tables.hpp"

#include <vector>

#include "appearance/font_subset.hpp"
#include "appearance/sfnt_bytes.hpp"

namespace libsign::appearance {

GlyfLoca build_glyf_loca(const TrueTypeFont& font, const std::set<uint16_t>& keep) {
  GlyfLoca out;
  std::vector<uint32_t> offsets;
  offsets.reserve(static_cast<std::size_t>(font.num_glyphs()) + 1);
  for (int g = 0; g < font.num_glyphs(); ++g) {
    offsets.push_back(static_cast<uint32_t>(out.glyf.size()));
    if (!keep.count(static_cast<uint16_t>(g))) continue;
    out.glyf += font.glyph_data(static_cast<uint16_t>(g));
    out.glyf.append((4 - out.glyf.size() % 4) % 4, '\0');  // keeps offsets even (short loca) and aligned
  }
  offsets.push_back(static_cast<uint32_t>(out.glyf.size()));
  out.index_to_loc_format = out.glyf.size() <= 0x1FFFE ? 0 : 1;
  for (uint32_t o : offsets) {
    if (out.index_to_loc_format == 0) put16(out.loca, o / 2);
    else put32(out.loca, o);
  }
  return out;
}

Hmtx build_hmtx(const TrueTypeFont& font, const std::set<uint16_t>& keep) {
  Hmtx out;
  out.number_of_h_metrics = keep.empty() ? 1 : *keep.rbegin() + 1;
  for (int g = 0; g < out.number_of_h_metrics; ++g) {
    const bool used = keep.count(static_cast<uint16_t>(g)) != 0;
    put16(out.hmtx, used ? font.advance_width(static_cast<uint16_t>(g)) : 0);
    put16(out.hmtx, used ? static_cast<uint16_t>(font.left_side_bearing(static_cast<uint16_t>(g))) : 0);
  }
  out.hmtx.append(2 * static_cast<std::size_t>(font.num_glyphs() - out.number_of_h_metrics), '\0');
  return out;
}

namespace {

struct Segment {
  char32_t start, end;
  uint16_t first_glyph;
};

// Runs of consecutive code points mapped to consecutive glyphs.
std::vector<Segment> segments(const std::map<char32_t, uint16_t>& glyph_of, char32_t limit) {
  std::vector<Segment> out;
  for (const auto& [cp, glyph] : glyph_of) {
    if (glyph == 0 || cp > limit) continue;
    if (!out.empty() && out.back().end + 1 == cp && out.back().first_glyph + (cp - out.back().start) == glyph)
      out.back().end = cp;
    else
      out.push_back({cp, cp, glyph});
  }
  return out;
}

std::string format4(const std::map<char32_t, uint16_t>& glyph_of) {
  std::vector<Segment> segs = segments(glyph_of, 0xFFFE);
  segs.push_back({0xFFFF, 0xFFFF, 0});  // the required last segment, mapping to .notdef
  const uint32_t n = static_cast<uint32_t>(segs.size());
  uint32_t power = 1, log2 = 0;
  while (power * 2 <= n) power *= 2, ++log2;
  std::string t;
  put16(t, 4);
  put16(t, 16 + 8 * n);
  put16(t, 0);  // language
  put16(t, 2 * n);
  put16(t, 2 * power);
  put16(t, log2);
  put16(t, 2 * n - 2 * power);
  for (const Segment& s : segs) put16(t, s.end);
  put16(t, 0);  // reservedPad
  for (const Segment& s : segs) put16(t, s.start);
  for (const Segment& s : segs) put16(t, s.start == 0xFFFF ? 1 : (s.first_glyph - s.start) & 0xFFFF);
  for (std::size_t i = 0; i < segs.size(); ++i) put16(t, 0);  // idRangeOffset
  return t;
}

std::string format12(const std::map<char32_t, uint16_t>& glyph_of) {
  const std::vector<Segment> segs = segments(glyph_of, 0x10FFFF);
  std::string t;
  put16(t, 12);
  put16(t, 0);
  put32(t, static_cast<uint32_t>(16 + 12 * segs.size()));
  put32(t, 0);  // language
  put32(t, static_cast<uint32_t>(segs.size()));
  for (const Segment& s : segs) {
    put32(t, s.start);
    put32(t, s.end);
    put32(t, s.first_glyph);
  }
  return t;
}

}  // namespace

std::string build_cmap(const std::map<char32_t, uint16_t>& glyph_of) {
  const bool astral = !glyph_of.empty() && glyph_of.rbegin()->first > 0xFFFF;
  const std::string bmp = format4(glyph_of);
  std::string t;
  put16(t, 0);
  put16(t, astral ? 2 : 1);
  const uint32_t header = astral ? 20 : 12;
  put16(t, 3), put16(t, 1), put32(t, header);
  if (astral) put16(t, 3), put16(t, 10), put32(t, header + static_cast<uint32_t>(bmp.size()));
  t += bmp;
  if (astral) t += format12(glyph_of);
  return t;
}

std::string build_post(const TrueTypeFont& font) {
  std::string t;
  put32(t, 0x00030000);
  const auto post = font.table("post");
  if (post && post->size() >= 32) t += post->substr(4, 28);
  else t.append(28, '\0');
  return t;
}

}  // namespace libsign::appearance
