// Parsing a TrueType font: table directory, Unicode cmap, glyph locations, metrics, PostScript name.
// Every offset read from the file is checked against the table it points into.
#include <algorithm>
#include <cmath>

#include "appearance/font_error.hpp"
#include "appearance/font_subset.hpp"
#include "appearance/sfnt_bytes.hpp"

namespace libsign::appearance {
namespace {

constexpr uint32_t kTrueTypeVersion = 0x00010000, kAppleTrue = 0x74727565, kOtto = 0x4F54544F, kTtcf = 0x74746366;
constexpr std::size_t kMaxTables = 256;

int per_mille(int value, int units_per_em) {
  return static_cast<int>(std::lround(value * 1000.0 / units_per_em));
}

}  // namespace

TrueTypeFont TrueTypeFont::parse(std::string bytes) {
  TrueTypeFont f;
  f.bytes_ = std::move(bytes);
  const std::string_view b = f.bytes_;
  if (b.size() < 12) font_invalid("file too short");
  const uint32_t version = be32(b, 0);
  if (version == kOtto) font_invalid("CFF (PostScript) outlines are not supported");
  if (version == kTtcf) font_invalid("font collections are not supported");
  if (version != kTrueTypeVersion && version != kAppleTrue) font_invalid("not a TrueType file");
  const std::size_t num_tables = be16(b, 4);
  if (num_tables == 0 || num_tables > kMaxTables || 12 + 16 * num_tables > b.size()) font_invalid("bad table directory");
  for (std::size_t i = 0; i < num_tables; ++i) {
    const std::size_t rec = 12 + 16 * i;
    const std::string tag(b.substr(rec, 4));
    const uint64_t offset = be32(b, rec + 8), length = be32(b, rec + 12);
    if (offset + length > b.size()) font_invalid("table '" + tag + "' lies outside the file");
    if (!f.tables_.emplace(tag, Range{static_cast<std::size_t>(offset), static_cast<std::size_t>(length)}).second)
      font_invalid("table '" + tag + "' appears twice");
  }

  const std::string_view head = f.view(f.require("head", 54));
  if (be32(head, 12) != 0x5F0F3CF5) font_invalid("bad head magic number");
  f.metrics_.units_per_em = be16(head, 18);
  if (f.metrics_.units_per_em < 16 || f.metrics_.units_per_em > 16384) font_invalid("bad unitsPerEm");
  const int loc_format = sbe16(head, 50);
  if (loc_format != 0 && loc_format != 1) font_invalid("bad indexToLocFormat");

  f.num_glyphs_ = be16(f.view(f.require("maxp", 6)), 4);
  if (f.num_glyphs_ < 1) font_invalid("no glyphs");
  f.num_h_metrics_ = be16(f.view(f.require("hhea", 36)), 34);
  if (f.num_h_metrics_ < 1 || f.num_h_metrics_ > f.num_glyphs_) font_invalid("bad numberOfHMetrics");
  f.require("hmtx", 4 * static_cast<std::size_t>(f.num_h_metrics_) + 2 * static_cast<std::size_t>(f.num_glyphs_ - f.num_h_metrics_));

  f.parse_loca(loc_format);
  f.parse_cmap();
  f.parse_metrics();
  f.parse_name();
  return f;
}

TrueTypeFont::Range TrueTypeFont::require(const char* tag, std::size_t min_length) const {
  const auto it = tables_.find(tag);
  if (it == tables_.end()) font_invalid(std::string("missing table '") + tag + "'");
  if (it->second.length < min_length) font_invalid(std::string("table '") + tag + "' is truncated");
  return it->second;
}

std::optional<std::string_view> TrueTypeFont::table(std::string_view tag) const {
  const auto it = tables_.find(tag);
  if (it == tables_.end()) return std::nullopt;
  return view(it->second);
}

void TrueTypeFont::parse_loca(int index_to_loc_format) {
  const std::size_t entry = index_to_loc_format == 0 ? 2 : 4;
  const std::string_view loca = view(require("loca", entry * (static_cast<std::size_t>(num_glyphs_) + 1)));
  const std::size_t glyf_length = require("glyf", 0).length;
  loca_.resize(static_cast<std::size_t>(num_glyphs_) + 1);
  for (std::size_t i = 0; i <= static_cast<std::size_t>(num_glyphs_); ++i)
    loca_[i] = entry == 2 ? 2u * be16(loca, 2 * i) : be32(loca, 4 * i);
  for (std::size_t i = 0; i < static_cast<std::size_t>(num_glyphs_); ++i) {
    if (loca_[i] > loca_[i + 1] || loca_[i + 1] > glyf_length) font_invalid("glyph " + std::to_string(i) + " lies outside glyf");
    const uint32_t size = loca_[i + 1] - loca_[i];
    if (size != 0 && size < 10) font_invalid("glyph " + std::to_string(i) + " is truncated");
  }
}

void TrueTypeFont::parse_cmap() {
  const Range cmap = require("cmap", 4);
  const std::string_view c = view(cmap);
  const std::size_t count = be16(c, 2);
  if (4 + 8 * count > c.size()) font_invalid("cmap is truncated");
  int best = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const uint16_t platform = be16(c, 4 + 8 * i), encoding = be16(c, 6 + 8 * i);
    const std::size_t off = be32(c, 8 + 8 * i);
    if (off + 4 > c.size()) continue;
    const uint16_t format = be16(c, off);
    const bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
    if (!unicode || (format != 4 && format != 12)) continue;
    // Prefer full-repertoire format 12 over the BMP-only format 4.
    const int score = format == 12 ? 2 : 1;
    if (score <= best) continue;
    // Lookups read at most up to the cmap table's end (the 16-bit length of format 4 overflows in big fonts).
    const std::size_t length = c.size() - off;
    if (format == 4) {
      if (length < 14) continue;
      const std::size_t seg_count = be16(c, off + 6) / 2;
      if (seg_count == 0 || 16 + 8 * seg_count > length) continue;
    } else {
      if (length < 16 || 16 + 12 * static_cast<uint64_t>(be32(c, off + 12)) > length) continue;
    }
    best = score, cmap_format_ = format, cmap_offset_ = cmap.offset + off, cmap_length_ = length;
  }
  if (best == 0) font_invalid("no usable Unicode cmap (format 4 or 12)");
}

uint16_t TrueTypeFont::glyph_id(uint32_t cp) const {
  const std::string_view t = std::string_view(bytes_).substr(cmap_offset_, cmap_length_);
  uint32_t glyph = 0;
  if (cmap_format_ == 4) {
    if (cp > 0xFFFF) return 0;
    const std::size_t segs = be16(t, 6) / 2;
    std::size_t lo = 0, hi = segs;  // first segment whose endCode >= cp
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (be16(t, 14 + 2 * mid) < cp) lo = mid + 1; else hi = mid;
    }
    if (lo == segs) return 0;
    const uint16_t start = be16(t, 16 + 2 * segs + 2 * lo), delta = be16(t, 16 + 4 * segs + 2 * lo);
    const std::size_t range_at = 16 + 6 * segs + 2 * lo;
    const uint16_t range_offset = be16(t, range_at);
    if (cp < start) return 0;
    if (range_offset == 0) {
      glyph = (cp + delta) & 0xFFFF;
    } else {
      const std::size_t at = range_at + range_offset + 2 * (cp - start);
      if (at + 2 > t.size()) return 0;
      glyph = be16(t, at);
      if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
    }
  } else {
    const std::size_t groups = be32(t, 12);
    std::size_t lo = 0, hi = groups;  // first group whose endCharCode >= cp
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (be32(t, 16 + 12 * mid + 4) < cp) lo = mid + 1; else hi = mid;
    }
    if (lo == groups) return 0;
    const uint32_t start = be32(t, 16 + 12 * lo);
    if (cp < start) return 0;
    const uint64_t g = static_cast<uint64_t>(be32(t, 16 + 12 * lo + 8)) + (cp - start);
    glyph = g > 0xFFFF ? 0 : static_cast<uint32_t>(g);
  }
  return glyph < static_cast<uint32_t>(num_glyphs_) ? static_cast<uint16_t>(glyph) : 0;
}

int TrueTypeFont::advance_width(uint16_t glyph) const {
  const std::string_view hmtx = view(tables_.at("hmtx"));
  const int i = std::min<int>(glyph, num_h_metrics_ - 1);
  return be16(hmtx, 4 * static_cast<std::size_t>(i));
}

int TrueTypeFont::left_side_bearing(uint16_t glyph) const {
  const std::string_view hmtx = view(tables_.at("hmtx"));
  if (glyph >= num_glyphs_) return 0;
  if (glyph < num_h_metrics_) return sbe16(hmtx, 4 * static_cast<std::size_t>(glyph) + 2);
  return sbe16(hmtx, 4 * static_cast<std::size_t>(num_h_metrics_) + 2 * static_cast<std::size_t>(glyph - num_h_metrics_));
}

std::string_view TrueTypeFont::glyph_data(uint16_t glyph) const {
  if (glyph >= num_glyphs_) return {};
  const Range glyf = tables_.at("glyf");
  return std::string_view(bytes_).substr(glyf.offset + loca_[glyph], loca_[glyph + 1] - loca_[glyph]);
}

void TrueTypeFont::parse_metrics() {
  FontMetrics& m = metrics_;
  const int upem = m.units_per_em;
  const std::string_view head = *table("head"), hhea = *table("hhea");
  for (int i = 0; i < 4; ++i) m.bbox[i] = per_mille(sbe16(head, 36 + 2 * i), upem);
  m.ascent = per_mille(sbe16(hhea, 4), upem);
  m.descent = per_mille(sbe16(hhea, 6), upem);
  int weight = 400, cap_height = 0;
  if (const auto os2 = table("OS/2")) {
    if (os2->size() >= 6) weight = be16(*os2, 4);
    if (os2->size() >= 78 && m.ascent == 0 && m.descent == 0) {
      m.ascent = per_mille(sbe16(*os2, 68), upem);
      m.descent = per_mille(sbe16(*os2, 70), upem);
    }
    if (be16(*os2, 0) >= 2 && os2->size() >= 90) cap_height = sbe16(*os2, 88);
  }
  if (cap_height <= 0) {
    const std::string_view h = glyph_data(glyph_id('H'));
    cap_height = h.size() >= 10 ? sbe16(h, 8) : sbe16(hhea, 4);
  }
  m.cap_height = per_mille(cap_height, upem);
  bool fixed_pitch = false;
  if (const auto post = table("post"); post && post->size() >= 16) {
    m.italic_angle = static_cast<int>(std::lround(static_cast<int32_t>(be32(*post, 4)) / 65536.0));
    fixed_pitch = be32(*post, 12) != 0;
  }
  const bool italic = m.italic_angle != 0 || (be16(head, 44) & 0x2) != 0;
  // Symbolic (4): the font has glyphs outside Adobe's standard Latin set, which Vietnamese needs.
  m.flags = 4 | (fixed_pitch ? 1 : 0) | (italic ? 64 : 0);
  weight = std::clamp(weight, 100, 900);
  m.stem_v = 10 + 220 * (weight - 50) / 900;
}

void TrueTypeFont::parse_name() {
  const auto name = table("name");
  if (!name || name->size() < 6) return;
  const std::string_view n = *name;
  const std::size_t count = be16(n, 2), strings = be16(n, 4);
  int best = 0;
  for (std::size_t i = 0; i < count && 6 + 12 * i + 12 <= n.size(); ++i) {
    const std::size_t rec = 6 + 12 * i;
    const uint16_t platform = be16(n, rec), encoding = be16(n, rec + 2), id = be16(n, rec + 6);
    const std::size_t length = be16(n, rec + 8), offset = strings + be16(n, rec + 10);
    if (id != 6 || offset + length > n.size()) continue;
    const bool utf16 = platform == 0 || (platform == 3 && (encoding == 0 || encoding == 1));
    const bool mac_roman = platform == 1 && encoding == 0;
    const int score = utf16 ? 2 : mac_roman ? 1 : 0;
    if (score <= best) continue;
    std::string text;
    const std::size_t step = utf16 ? 2 : 1;
    for (std::size_t k = 0; k + step <= length; k += step) {
      const unsigned c = utf16 ? be16(n, offset + k) : static_cast<unsigned char>(n[offset + k]);
      // Only the characters PostScript names may contain, so base_font stays a safe PDF name.
      if (c > 32 && c < 127 && std::string_view("[](){}<>/%#").find(static_cast<char>(c)) == std::string_view::npos)
        text.push_back(static_cast<char>(c));
    }
    if (text.empty()) continue;
    best = score;
    ps_name_ = text.substr(0, 63);
  }
}

std::string TrueTypeFont::postscript_name() const { return ps_name_.empty() ? "Font" : ps_name_; }

}  // namespace libsign::appearance
