// Wrapping, fitting and arranging the text and images of a visible signature (appearance/text_fit,
// appearance/block_layout), with a fixed-width measure and with DejaVu Sans' real advance widths.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "appearance/block_layout.hpp"
#include "appearance/font_subset.hpp"
#include "appearance/text_fit.hpp"
#include "appearance/utf8.hpp"

namespace libsign::appearance {
namespace {

// Every character 0.5 em wide, spaces 0.25 em, combining marks 0: easy to reason about.
double fixed_measure(std::string_view utf8) {
  double w = 0;
  for (char32_t c : decode_utf8(utf8)) w += c == ' ' ? 0.25 : (c >= 0x300 && c <= 0x36F) ? 0 : 0.5;
  return w;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : " ") + l;
  return out;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

const std::vector<std::string> kParagraphs = {
    "Ký bởi: Nguyễn Văn An", "Cơ quan: Sở Thông tin và Truyền thông tỉnh Bắc Ninh", "Thời gian ký: 20/06/2026 10:00:00 +07:00",
    "Lý do: Phê duyệt hồ sơ đề nghị cấp giấy phép xây dựng công trình nhà ở riêng lẻ tại xã Tân Chi, huyện Tiên Du, "
    "kèm theo bản vẽ thiết kế và giấy tờ chứng minh quyền sử dụng đất đã được thẩm định",
    "Nơi ký: Bắc Ninh"};

TEST(AppearanceWrap, BreaksAtSpacesWithinTheWidth) {
  const std::string text = "Phê duyệt hồ sơ   cấp phép xây dựng";
  const auto lines = wrap_paragraph(text, 30, 10, fixed_measure);  // 6 letters, or 5 letters and a space, per line
  ASSERT_GT(lines.size(), 1u);
  for (const auto& l : lines) {
    EXPECT_LE(fixed_measure(l) * 10, 30 + 1e-9) << l;
    EXPECT_NE(l.front(), ' ');
    EXPECT_NE(l.back(), ' ');
  }
  EXPECT_EQ(joined(lines), "Phê duyệt hồ sơ cấp phép xây dựng");
  EXPECT_EQ(lines[0], "Phê");  // "Phê duyệt" (9 letters wide) does not fit
}

TEST(AppearanceWrap, SplitsALongWordBetweenLettersNotMarks) {
  // "ế" typed as e + circumflex + acute: the marks stay with their letter.
  const std::string word = "nghie\u0302\u0301ngnghie\u0302\u0301ngnghie\u0302\u0301ng";
  const auto lines = wrap_paragraph(word, 20, 10, fixed_measure);  // 4 letters per line
  ASSERT_EQ(lines.size(), 6u);
  std::string all;
  for (const auto& l : lines) {
    EXPECT_LE(fixed_measure(l) * 10, 20 + 1e-9);
    EXPECT_NE(decode_utf8(l)[0], U'\u0302');
    EXPECT_NE(decode_utf8(l)[0], U'\u0301');
    all += l;
  }
  EXPECT_EQ(all, word);
}

TEST(AppearanceWrap, NoBreakSpaceHoldsWordsTogether) {
  const auto lines = wrap_paragraph("Thời gian ký: 20/06/2026\u00A010:00:00", 60, 10, fixed_measure, false);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "Thời gian ký:");
  EXPECT_EQ(lines[1], "20/06/2026\u00A010:00:00");  // 10 em: too wide, left whole
  EXPECT_EQ(wrap_paragraph("20/06/2026\u00A010:00:00", 60, 10, fixed_measure, true).size(), 2u);  // split between letters
}

TEST(AppearanceFit, PrefersASmallerSizeToSplittingAWord) {
  const FittedText t = fit_text({"abcdefghij"}, 40, 100, fixed_measure);  // 5 em: whole at 8 pt, split at 10 pt
  ASSERT_TRUE(t.fits);
  EXPECT_DOUBLE_EQ(t.size, 8);
  EXPECT_EQ(t.lines, std::vector<std::string>{"abcdefghij"});
  EXPECT_FALSE(t.split);
  const FittedText split = fit_text({"abcdefghijklmnopqrstuvwxyz"}, 40, 100, fixed_measure);  // 13 em > 40 pt at 6 pt
  ASSERT_TRUE(split.fits);
  EXPECT_GT(split.lines.size(), 1u);
  EXPECT_TRUE(split.split);
}

TEST(AppearanceFit, UsesTheLargestSizeThatFits) {
  FitOptions options;
  const FittedText small = fit_text({"Ký bởi: An"}, 200, 40, fixed_measure, options);
  ASSERT_TRUE(small.fits);
  EXPECT_DOUBLE_EQ(small.size, 10);
  EXPECT_FALSE(small.truncated);

  const FittedText all = fit_text(kParagraphs, 200, 80, fixed_measure, options);
  ASSERT_TRUE(all.fits);
  EXPECT_LT(all.size, 10);
  EXPECT_GE(all.size, kMinFontSize);
  EXPECT_FALSE(all.truncated);
  EXPECT_LE(block_height(all.lines.size(), all.size, options), 80 + 1e-9);
  // One step larger would not fit.
  const FittedText bigger = fit_text(kParagraphs, 200, 80, fixed_measure, FitOptions{all.size + 0.25, all.size + 0.25});
  EXPECT_TRUE(!bigger.fits || bigger.truncated);
}

TEST(AppearanceFit, NeverBelowTheMinimumCutsTheLongestParagraphWithAnEllipsis) {
  FitOptions options;
  options.min_size = 2;  // raised to 6
  const FittedText t = fit_text(kParagraphs, 180, 45, fixed_measure, options);
  ASSERT_TRUE(t.fits);
  EXPECT_DOUBLE_EQ(t.size, kMinFontSize);
  EXPECT_TRUE(t.truncated);
  EXPECT_LE(block_height(t.lines.size(), t.size, options), 45 + 1e-9);
  for (const auto& l : t.lines) EXPECT_LE(fixed_measure(l) * t.size, 180 + 1e-9) << l;
  // The signer, the organisation, the time and the place stay whole; the long reason is cut.
  EXPECT_EQ(t.lines.front(), "Ký bởi: Nguyễn Văn An");
  EXPECT_EQ(t.lines.back(), "Nơi ký: Bắc Ninh");
  const std::string text = joined(t.lines);
  EXPECT_NE(text.find("Thời gian ký: 20/06/2026 10:00:00 +07:00"), std::string::npos);
  EXPECT_NE(text.find("Lý do: Phê duyệt"), std::string::npos);
  EXPECT_NE(text.find("\u2026 Nơi ký"), std::string::npos) << text;
  EXPECT_EQ(text.find("thẩm định"), std::string::npos);
}

TEST(AppearanceFit, DropsTrailingParagraphsWhenOneLineEachIsTooMuch) {
  const FittedText t = fit_text(kParagraphs, 400, 16, fixed_measure);  // room for 2 lines at 6 pt
  ASSERT_TRUE(t.fits);
  ASSERT_EQ(t.lines.size(), 2u);
  EXPECT_EQ(t.lines[0], "Ký bởi: Nguyễn Văn An");
  EXPECT_TRUE(ends_with(t.lines[1], "\u2026")) << t.lines[1];
}

TEST(AppearanceFit, TooSmallForOneLine) {
  FitOptions options;
  EXPECT_FALSE(fit_text(kParagraphs, 200, block_height(1, kMinFontSize, options) - 0.1, fixed_measure, options).fits);
  EXPECT_FALSE(fit_text({"W"}, 2, 40, fixed_measure, options).fits);  // one letter is 3 pt wide at 6 pt
  EXPECT_TRUE(fit_text({"W"}, 3, block_height(1, kMinFontSize, options), fixed_measure, options).fits);
}

TEST(AppearanceLayout, SealCoversTheLeftThirdOfTheSignatureImage) {
  BlockRequest r;
  r.width = 260;
  r.height = 90;
  r.seal = {200, 200};
  r.signature = {300, 120};
  r.paragraphs = {kParagraphs[0], kParagraphs[1], kParagraphs[2]};
  r.measure = fixed_measure;
  r.graphic_share = 0.55;
  const BlockLayout l = layout_block(r);
  ASSERT_TRUE(l.fits);
  ASSERT_TRUE(l.seal && l.signature);
  EXPECT_NEAR(horizontal_overlap(*l.seal, *l.signature), 1.0 / 3.0, 1e-9);
  EXPECT_LT(l.seal->x, l.signature->x);  // the seal is on the left
  EXPECT_NEAR(l.seal->y + l.seal->height / 2, l.signature->y + l.signature->height / 2, 1e-9);
  for (const Box& b : {*l.seal, *l.signature, l.text_area}) {
    EXPECT_GE(b.x, 0);
    EXPECT_GE(b.y, 0);
    EXPECT_LE(b.x + b.width, r.width + 1e-9);
    EXPECT_LE(b.y + b.height, r.height + 1e-9);
  }
  // Wide box: the graphic on the left, the text on its right, not overlapping.
  EXPECT_GE(l.text_area.x, l.signature->x + l.signature->width);
  EXPECT_LE(l.seal->height, r.height - 2 * block_padding(r.width, r.height) + 1e-9);
  EXPECT_LE(l.signature->x + l.signature->width - l.seal->x, r.graphic_share * r.width + 1e-9);
}

TEST(AppearanceLayout, TallBoxPutsTheGraphicOnTop) {
  BlockRequest r;
  r.width = 120;
  r.height = 260;
  r.seal = {100, 100};
  r.paragraphs = kParagraphs;
  r.measure = fixed_measure;
  const std::vector<BlockLayout> candidates = candidate_layouts(r);
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_GT(candidates[1].text.size, candidates[0].text.size);  // below beats beside here
  const BlockLayout l = layout_block(r);
  EXPECT_DOUBLE_EQ(l.text.size, candidates[1].text.size);
  r.prefer_graphic = true;  // the larger seal wins while the text is whole
  ASSERT_FALSE(candidates[0].text.truncated);
  const double beside = candidates[0].seal->width, below = candidates[1].seal->width;
  EXPECT_DOUBLE_EQ(layout_block(r).seal->width, std::max(beside, below));
  ASSERT_TRUE(l.fits && l.seal);
  EXPECT_FALSE(l.signature);
  EXPECT_GE(l.seal->y, l.text_area.y + l.text_area.height);  // above the text
  EXPECT_NEAR(l.seal->x + l.seal->width / 2, r.width / 2, 1e-9);
  EXPECT_DOUBLE_EQ(l.text_area.width, r.width - 2 * block_padding(r.width, r.height));
}

TEST(AppearanceLayout, TextOnlyUsesTheWholeBoxAndIsCentredVertically) {
  BlockRequest r;
  r.width = 300;
  r.height = 100;
  r.paragraphs = {kParagraphs[0]};
  r.measure = fixed_measure;
  const BlockLayout l = layout_block(r);
  ASSERT_TRUE(l.fits);
  const double pad = block_padding(r.width, r.height);
  EXPECT_DOUBLE_EQ(l.text_area.x, pad);
  EXPECT_DOUBLE_EQ(l.text_area.width, r.width - 2 * pad);
  const double top = l.first_baseline + r.fit.ascent * l.text.size;
  const double bottom = top - block_height(l.text.lines.size(), l.text.size, r.fit);
  EXPECT_NEAR(r.height - top, bottom, 1e-9);
}

// Random words, boxes and images: whatever is laid out keeps every promise.
TEST(AppearanceLayout, RandomBlocksKeepTheirPromises) {
  std::mt19937 rng(20260620);
  const std::vector<std::string> words = {"Ký", "bởi:", "Nguyễn", "Văn", "An", "Sở", "Thông", "tin", "và", "Truyền",
                                          "thông", "20/06/2026\u00A010:00:00\u00A0+07:00", "nghie\u0302\u0301ng",
                                          "Supercalifragilisticexpialidocious", "x"};
  int fitted = 0, cut = 0;
  for (int round = 0; round < 400; ++round) {
    BlockRequest r;
    r.width = std::uniform_real_distribution<double>(20, 400)(rng);
    r.height = std::uniform_real_distribution<double>(8, 200)(rng);
    if (rng() % 2) r.seal = {static_cast<int>(rng() % 200 + 1), static_cast<int>(rng() % 200 + 1)};
    if (rng() % 2) r.signature = {static_cast<int>(rng() % 300 + 1), static_cast<int>(rng() % 100 + 1)};
    for (int p = static_cast<int>(rng() % 6); p >= 0; --p) {
      std::string paragraph;
      for (int w = static_cast<int>(rng() % 30); w >= 0; --w) paragraph += words[rng() % words.size()] + " ";
      r.paragraphs.push_back(paragraph);
    }
    r.measure = fixed_measure;
    r.graphic_share = rng() % 2 ? 0.4 : 0.55;
    r.prefer_graphic = rng() % 2;
    const BlockLayout l = layout_block(r);
    if (!l.fits) continue;
    ++fitted;
    cut += l.text.truncated;
    ASSERT_GE(l.text.size, kMinFontSize);
    ASSERT_LE(l.text.size, 10);
    ASSERT_LE(block_height(l.text.lines.size(), l.text.size, r.fit), l.text_area.height + 1e-6);
    for (const auto& line : l.text.lines) ASSERT_LE(fixed_measure(line) * l.text.size, l.text_area.width + 1e-6) << line;
    const double top = l.first_baseline + r.fit.ascent * l.text.size;
    ASSERT_LE(top, r.height + 1e-6);
    ASSERT_GE(top - block_height(l.text.lines.size(), l.text.size, r.fit), -1e-6);
    for (const auto& b : {l.seal, l.signature}) {
      if (!b) continue;
      ASSERT_GE(b->x, -1e-6);
      ASSERT_GE(b->y, -1e-6);
      ASSERT_LE(b->x + b->width, r.width + 1e-6);
      ASSERT_LE(b->y + b->height, r.height + 1e-6);
    }
    if (l.seal && l.signature) ASSERT_NEAR(horizontal_overlap(*l.seal, *l.signature), kSealOverlap, 1e-9);
  }
  EXPECT_GT(fitted, 200);  // the random boxes exercise both outcomes
  EXPECT_GT(cut, 20);
}

TEST(AppearanceFit, RealWidthsOfDejaVuSans) {
  std::ifstream in("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", std::ios::binary);
  if (!in) GTEST_SKIP() << "fonts-dejavu-core absent";
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const TrueTypeFont font = TrueTypeFont::parse(bytes.str());
  std::string all = "\u2026";
  for (const auto& p : kParagraphs) all += p;
  all += "Vie\u0323\u0302t";  // "Việt" typed with combining marks
  const FontSubset subset = subset_font(font, all);
  const Measure measure = [&](std::string_view t) { return subset.width_of(t, 1.0); };
  EXPECT_DOUBLE_EQ(measure("Vie\u0323\u0302t"), measure("Việt"));
  EXPECT_GT(measure("WWW"), measure("iii"));  // proportional, not fixed
  FitOptions options;
  options.ascent = subset.metrics.ascent / 1000.0;
  options.descent = -subset.metrics.descent / 1000.0;
  const FittedText t = fit_text(kParagraphs, 170, 60, measure, options);
  ASSERT_TRUE(t.fits);
  EXPECT_GE(t.size, kMinFontSize);
  for (const auto& l : t.lines) EXPECT_LE(measure(l) * t.size, 170 + 1e-9) << l;
  EXPECT_LE(block_height(t.lines.size(), t.size, options), 60 + 1e-9);
}

}  // namespace
}  // namespace libsign::appearance
