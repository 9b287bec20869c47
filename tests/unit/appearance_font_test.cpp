// TrueType subsetting with DejaVu Sans (Debian fonts-dejavu-core) and Vietnamese text.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "appearance/font_subset.hpp"
#include "appearance/utf8.hpp"
#include "libsign/error.hpp"

namespace libsign::appearance {
namespace {

const char* const kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const char* const kText = "Ký bởi: Nguyễn Văn An — Thời gian ký: 15/06/2026 09:00:00 +07:00, Sở Thông tin và Truyền thông";

std::string read_font() {
  std::ifstream in(kFontPath, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

#define LOAD_FONT_OR_SKIP(var)                                             \
  const std::string var = read_font();                                     \
  if (var.empty()) GTEST_SKIP() << kFontPath << " absent (fonts-dejavu-core)"

uint32_t be32(const std::string& b, std::size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}
uint32_t checksum(const std::string& b, std::size_t at, std::size_t length) {
  uint32_t sum = 0;
  for (std::size_t i = 0; i < length; i += 4) {
    uint32_t w = 0;
    for (std::size_t k = 0; k < 4; ++k) w = (w << 8) | (i + k < length ? static_cast<unsigned char>(b[at + i + k]) : 0u);
    sum += w;
  }
  return sum;
}

std::u32string code_points(const std::string& utf8) { return decode_utf8(utf8); }

// gid -> UTF-16BE hex, read back from the CMap's bfchar ("<g> <u>") and bfrange ("<g1> <g2> <u>") lines.
std::map<uint16_t, std::string> read_to_unicode(const std::string& cmap) {
  std::map<uint16_t, std::string> out;
  std::istringstream in(cmap);
  std::string line;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.find("beginbf") != std::string::npos) in_block = true;
    if (line.find("endbf") != std::string::npos) in_block = false;
    if (!in_block || line.empty() || line[0] != '<') continue;
    std::vector<std::string> hex;
    for (std::size_t open = line.find('<'); open != std::string::npos; open = line.find('<', open + 1))
      hex.push_back(line.substr(open + 1, line.find('>', open) - open - 1));
    if (hex.size() == 2) {
      out[static_cast<uint16_t>(std::stoi(hex[0], nullptr, 16))] = hex[1];
    } else if (hex.size() == 3) {
      const int first = std::stoi(hex[0], nullptr, 16), last = std::stoi(hex[1], nullptr, 16), dst = std::stoi(hex[2], nullptr, 16);
      for (int g = first; g <= last; ++g) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04X", dst + g - first);
        out[static_cast<uint16_t>(g)] = buf;
      }
    }
  }
  return out;
}

bool is_subset_name(const std::string& name, const std::string& postscript) {
  if (name.size() != 7 + postscript.size() || name[6] != '+' || name.substr(7) != postscript) return false;
  for (int i = 0; i < 6; ++i)
    if (name[i] < 'A' || name[i] > 'Z') return false;
  return true;
}

std::string utf16_hex(char32_t c) {
  char buf[16];
  if (c > 0xFFFF) std::snprintf(buf, sizeof buf, "%04X%04X", 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
  else std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
  return buf;
}

void expect_font_invalid(std::string bytes, const char* what) {
  try {
    TrueTypeFont::parse(std::move(bytes));
    ADD_FAILURE() << "accepted: " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "FONT_INVALID") << what;
  }
}

TEST(AppearanceUtf8, InvalidSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(decode_utf8("Vi\xE1\xBB\x87t"), U"Việt");
  EXPECT_EQ(decode_utf8("\xF0\x9F\x98\x80"), U"\U0001F600");
  EXPECT_EQ(decode_utf8("a\xFF" "b"), U"a\uFFFDb");
  EXPECT_EQ(decode_utf8("\xC0\xAF"), U"\uFFFD\uFFFD");      // overlong
  EXPECT_EQ(decode_utf8("\xED\xA0\x80"), U"\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_EQ(decode_utf8("\xE1\xBB"), U"\uFFFD");             // truncated
  EXPECT_EQ(decode_utf8("\xE1\xBB" "A"), U"\uFFFDA");
  EXPECT_EQ(decode_utf8("\xF4\x90\x80\x80"), U"\uFFFD\uFFFD\uFFFD\uFFFD");  // above U+10FFFF
}

TEST(AppearanceFont, ParsesDejaVuSans) {
  LOAD_FONT_OR_SKIP(bytes);
  const TrueTypeFont font = TrueTypeFont::parse(bytes);
  EXPECT_EQ(font.postscript_name(), "DejaVuSans");
  for (char32_t c : code_points(kText)) EXPECT_TRUE(font.has_glyph(c)) << std::hex << static_cast<uint32_t>(c);
  for (char32_t c = 0x1EA0; c <= 0x1EF9; ++c) EXPECT_TRUE(font.has_glyph(c)) << std::hex << static_cast<uint32_t>(c);
  EXPECT_TRUE(font.has_glyph(0x0303));  // combining tilde
  EXPECT_FALSE(font.has_glyph(0x4E00));
  const FontMetrics& m = font.metrics();
  EXPECT_EQ(m.units_per_em, 2048);
  EXPECT_GT(m.ascent, 700);
  EXPECT_LT(m.descent, -150);
  EXPECT_GT(m.cap_height, 600);
  EXPECT_LT(m.cap_height, m.ascent);
  EXPECT_LT(m.bbox[0], 0);
  EXPECT_GT(m.bbox[2], 1000);
  EXPECT_EQ(m.italic_angle, 0);
  EXPECT_EQ(m.flags, 4);
}

TEST(AppearanceFont, SubsetsVietnameseText) {
  LOAD_FONT_OR_SKIP(bytes);
  const TrueTypeFont font = TrueTypeFont::parse(bytes);
  const FontSubset s = subset_font(font, kText);

  EXPECT_LT(s.font_file.size(), bytes.size() / 4);
  EXPECT_TRUE(is_subset_name(s.base_font, "DejaVuSans")) << s.base_font;
  const FontSubset again = subset_font(font, kText);
  EXPECT_EQ(again.font_file, s.font_file);
  EXPECT_EQ(again.base_font, s.base_font);
  EXPECT_NE(subset_font(font, "khác").base_font, s.base_font);

  // Checksums: every table's, and the whole file sums to 0xB1B0AFBA through head.checkSumAdjustment.
  const std::string& f = s.font_file;
  const std::size_t tables = (static_cast<unsigned char>(f[4]) << 8) | static_cast<unsigned char>(f[5]);
  for (std::size_t i = 0; i < tables; ++i) {
    const std::size_t rec = 12 + 16 * i, at = be32(f, rec + 8);
    // head's own checksum is taken with checkSumAdjustment (its third word) set to 0.
    const uint32_t adjustment = f.compare(rec, 4, "head") == 0 ? be32(f, at + 8) : 0;
    EXPECT_EQ(be32(f, rec + 4), checksum(f, at, be32(f, rec + 12)) - adjustment) << f.substr(rec, 4);
    EXPECT_EQ(be32(f, rec + 8) % 4, 0u);
  }
  EXPECT_EQ(checksum(f, 0, f.size()), 0xB1B0AFBAu);

  // Re-parses; glyph ids unchanged; each text code point maps to its glyph in both fonts.
  const TrueTypeFont sub = TrueTypeFont::parse(f);
  EXPECT_EQ(sub.num_glyphs(), font.num_glyphs());
  EXPECT_EQ(sub.postscript_name(), "DejaVuSans");
  for (char32_t c : code_points(kText)) {
    const uint16_t g = font.glyph_id(c);
    ASSERT_NE(g, 0);
    EXPECT_EQ(sub.glyph_id(c), g);
    ASSERT_TRUE(s.unicode.count(g));
    EXPECT_EQ(s.unicode.at(g), std::u32string(1, c));
  }
  for (const auto& [g, text] : s.unicode) EXPECT_EQ(font.glyph_id(text[0]), g);

  // Used glyphs (the text's, .notdef, composite components) keep their outlines, the rest are empty.
  int outlines = 0;
  for (int g = 0; g < font.num_glyphs(); ++g) {
    const auto id = static_cast<uint16_t>(g);
    const std::string_view orig = font.glyph_data(id), kept = sub.glyph_data(id);
    if (s.widths.count(id)) {
      EXPECT_EQ(kept.substr(0, orig.size()), orig) << g;
      EXPECT_LT(kept.size(), orig.size() + 4) << g;
      EXPECT_EQ(sub.advance_width(id), font.advance_width(id)) << g;
      outlines += !orig.empty();
    } else {
      EXPECT_TRUE(kept.empty()) << g;
    }
  }
  EXPECT_GT(outlines, 30);
  for (const char* word : {"ễ", "ở", "ờ", "ý", "ă"}) EXPECT_FALSE(sub.glyph_data(sub.glyph_id(code_points(word)[0])).empty()) << word;
  EXPECT_GT(s.widths.size(), s.unicode.size());  // composite components and .notdef too
  EXPECT_TRUE(s.widths.count(0));

  // Identity-H: two bytes per code point.
  const std::u32string cps = code_points(kText);
  const std::string encoded = s.encode(kText);
  ASSERT_EQ(encoded.size(), 2 * cps.size());
  for (std::size_t i = 0; i < cps.size(); ++i)
    EXPECT_EQ((static_cast<unsigned char>(encoded[2 * i]) << 8) | static_cast<unsigned char>(encoded[2 * i + 1]), font.glyph_id(cps[i]));
  EXPECT_EQ(s.encode("字"), std::string(2, '\0'));  // not in the subset: .notdef

  double width = 0;
  for (char32_t c : cps) width += font.advance_width(font.glyph_id(c)) * 1000.0 / 2048;
  EXPECT_NEAR(s.width_of(kText, 10), width / 100, cps.size() * 0.5 / 100);  // widths are rounded to 1/1000 em
  EXPECT_EQ(s.widths.at(font.glyph_id('A')), 684);  // 1401 / 2048 em

  // ToUnicode covers every glyph of the text.
  const auto to_unicode = read_to_unicode(s.to_unicode_cmap());
  EXPECT_EQ(to_unicode.size(), s.unicode.size());
  for (char32_t c : cps) EXPECT_EQ(to_unicode.at(font.glyph_id(c)), utf16_hex(c));
  EXPECT_NE(s.to_unicode_cmap().find("/CMapName /Adobe-Identity-UCS def"), std::string::npos);

  EXPECT_EQ(s.w_array().rfind("[0 [", 0), 0u) << s.w_array();
}

TEST(AppearanceFont, ComposesCombiningMarks) {
  LOAD_FONT_OR_SKIP(bytes);
  const TrueTypeFont font = TrueTypeFont::parse(bytes);
  // "Nguyễn" typed with combining marks, and "ậ" with its marks out of canonical order.
  const std::string decomposed = "Nguye\xCC\x82\xCC\x83n a\xCC\x82\xCC\xA3";
  const FontSubset s = subset_font(font, decomposed);
  EXPECT_EQ(s.encode(decomposed), s.encode("Nguyễn ậ"));
  EXPECT_EQ(s.encode(decomposed).size(), 2u * 8);
  EXPECT_TRUE(s.glyph_of.count(U'ễ'));
  EXPECT_TRUE(s.glyph_of.count(U'ậ'));
  EXPECT_FALSE(s.glyph_of.count(0x0302));
  // A mark that has no precomposed letter stays a separate glyph.
  const FontSubset q = subset_font(font, "q\xCC\x83");
  EXPECT_EQ(q.encode("q\xCC\x83").size(), 4u);
  EXPECT_NE(q.glyph_of.at(0x0303), 0);
}

TEST(AppearanceFont, ToUnicodeUsesSurrogatesAndRanges) {
  FontSubset s;
  s.unicode = {{5, U"\U0001F600"}, {10, U"a"}, {11, U"b"}, {12, U"c"}, {20, U"ffi"}};
  s.widths = {{0, 500}, {1, 600}, {2, 700}, {7, 250}};
  const std::string cmap = s.to_unicode_cmap();
  EXPECT_NE(cmap.find("<0005> <D83DDE00>"), std::string::npos) << cmap;
  EXPECT_NE(cmap.find("<000A> <000C> <0061>"), std::string::npos) << cmap;
  EXPECT_NE(cmap.find("<0014> <006600660069>"), std::string::npos) << cmap;
  EXPECT_EQ(s.w_array(), "[0 [500 600 700] 7 [250]]");
  EXPECT_EQ(FontSubset{}.w_array(), "[]");
}

TEST(AppearanceFont, RejectsUnusableFonts) {
  expect_font_invalid("", "empty");
  expect_font_invalid("OTTO" + std::string(100, '\0'), "CFF");
  expect_font_invalid("ttcf" + std::string(100, '\0'), "collection");
  expect_font_invalid(std::string(200, 'x'), "garbage");
  LOAD_FONT_OR_SKIP(bytes);
  for (std::size_t cut : {12u, 100u, 1000u, 60000u, 700000u}) expect_font_invalid(bytes.substr(0, cut), "truncated");
}

// A composite glyph that contains itself must be refused, not followed forever.
TEST(AppearanceFont, RejectsCompositeLoops) {
  LOAD_FONT_OR_SKIP(bytes);
  const TrueTypeFont font = TrueTypeFont::parse(bytes);
  const uint16_t g = font.glyph_id(U'ễ');
  const std::string_view data = font.glyph_data(g);
  ASSERT_GE(data.size(), 14u);
  ASSERT_LT(static_cast<int16_t>((static_cast<unsigned char>(data[0]) << 8) | static_cast<unsigned char>(data[1])), 0) << "not composite";
  // Locate the glyph in the file through the table directory: glyf offset + (glyph - glyf start).
  std::string patched = bytes;
  const std::size_t in_glyf = static_cast<std::size_t>(data.data() - font.table("glyf")->data());
  std::size_t glyf_offset = 0;
  for (std::size_t i = 0; i < 64; ++i)
    if (bytes.compare(12 + 16 * i, 4, "glyf") == 0) glyf_offset = be32(bytes, 12 + 16 * i + 8);
  ASSERT_NE(glyf_offset, 0u);
  const std::size_t component = glyf_offset + in_glyf + 12;  // first component's glyphIndex
  patched[component] = static_cast<char>(g >> 8);
  patched[component + 1] = static_cast<char>(g & 0xFF);
  const TrueTypeFont looped = TrueTypeFont::parse(patched);
  try {
    subset_font(looped, "ễ");
    ADD_FAILURE() << "loop accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "FONT_INVALID");
  }
}

// Random byte flips in a (small) subset font: parse and subset throw FONT_INVALID or work, never crash.
TEST(AppearanceFont, FuzzedFontsNeverCrash) {
  LOAD_FONT_OR_SKIP(bytes);
  const std::string small = subset_font(TrueTypeFont::parse(bytes), "Ký bởi ễ").font_file;
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string f = small;
    for (int k = 0; k < 1 + i % 8; ++k) f[rng() % f.size()] = static_cast<char>(rng());
    try {
      const TrueTypeFont font = TrueTypeFont::parse(f);
      const FontSubset s = subset_font(font, "Ký bởi ễ — xyz");
      TrueTypeFont::parse(s.font_file);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "FONT_INVALID");
    }
  }
}

}  // namespace
}  // namespace libsign::appearance
