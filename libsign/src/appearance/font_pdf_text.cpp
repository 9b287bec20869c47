// FontSubset's PDF-facing text: Identity-H strings, widths, the ToUnicode CMap and the /W array.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "appearance/font_subset.hpp"
#include "appearance/latin_compose.hpp"
#include "appearance/utf8.hpp"

namespace libsign::appearance {
namespace {

constexpr std::size_t kMaxCMapBlock = 100;  // PDF limit on entries per bfchar/bfrange block

std::string hex4(uint32_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(v & 0xFFFF));
  return buf;
}

std::string utf16_hex(const std::u32string& text) {
  std::string out;
  for (char32_t c : text) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
    if (c > 0xFFFF) {
      out += hex4(0xD800 + ((c - 0x10000) >> 10));
      out += hex4(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      out += hex4(c);
    }
  }
  return out;
}

struct Run {
  uint16_t first_glyph, last_glyph;
  std::u32string first_text;
};

// bfrange needs a single BMP code point incrementing with the glyph, neither crossing a 256 boundary.
bool extends(const Run& run, uint16_t glyph, const std::u32string& text) {
  if (run.first_text.size() != 1 || text.size() != 1 || run.first_text[0] > 0xFFFF) return false;
  const uint32_t step = glyph - run.first_glyph;
  return glyph == run.last_glyph + 1 && (glyph >> 8) == (run.first_glyph >> 8) && text[0] == run.first_text[0] + step &&
         (text[0] >> 8) == (run.first_text[0] >> 8);
}

void emit_blocks(std::string& out, const std::vector<std::string>& lines, const char* kind) {
  for (std::size_t i = 0; i < lines.size(); i += kMaxCMapBlock) {
    const std::size_t n = std::min(kMaxCMapBlock, lines.size() - i);
    out += std::to_string(n) + " begin" + kind + "\n";
    for (std::size_t k = i; k < i + n; ++k) out += lines[k];
    out += std::string("end") + kind + "\n";
  }
}

}  // namespace

std::vector<uint16_t> FontSubset::glyphs(std::string_view utf8) const {
  const auto glyph = [&](char32_t c) -> uint16_t {
    const auto it = glyph_of.find(c);
    return it == glyph_of.end() ? 0 : it->second;
  };
  const std::u32string text = compose_latin(decode_utf8(utf8), [&](char32_t c) { return glyph(c) != 0; });
  std::vector<uint16_t> out;
  out.reserve(text.size());
  for (char32_t c : text) out.push_back(glyph(c));
  return out;
}

std::string FontSubset::encode(std::string_view utf8) const {
  std::string out;
  for (uint16_t g : glyphs(utf8)) {
    out.push_back(static_cast<char>(g >> 8));
    out.push_back(static_cast<char>(g & 0xFF));
  }
  return out;
}

double FontSubset::width_of(std::string_view utf8, double font_size) const {
  double total = 0;
  for (uint16_t g : glyphs(utf8)) {
    const auto it = widths.find(g);
    if (it != widths.end()) total += it->second;
  }
  return total * font_size / 1000.0;
}

std::string FontSubset::to_unicode_cmap() const {
  std::vector<Run> runs;
  for (const auto& [glyph, text] : unicode) {
    if (text.empty()) continue;
    if (!runs.empty() && extends(runs.back(), glyph, text)) runs.back().last_glyph = glyph;
    else runs.push_back({glyph, glyph, text});
  }
  std::vector<std::string> chars, ranges;
  for (const Run& r : runs) {
    if (r.first_glyph == r.last_glyph)
      chars.push_back("<" + hex4(r.first_glyph) + "> <" + utf16_hex(r.first_text) + ">\n");
    else
      ranges.push_back("<" + hex4(r.first_glyph) + "> <" + hex4(r.last_glyph) + "> <" + utf16_hex(r.first_text) + ">\n");
  }
  std::string out =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  emit_blocks(out, chars, "bfchar");
  emit_blocks(out, ranges, "bfrange");
  out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return out;
}

std::string FontSubset::w_array() const {
  std::string out = "[";
  int next = -1;  // glyph id that would continue the current group
  for (const auto& [glyph, width] : widths) {
    if (glyph != next) {
      if (next != -1) out += "] ";
      out += std::to_string(glyph) + " [";
    } else {
      out += " ";
    }
    out += std::to_string(width);
    next = glyph + 1;
  }
  if (next != -1) out += "]";
  return out + "]";
}

}  // namespace libsign::appearance
