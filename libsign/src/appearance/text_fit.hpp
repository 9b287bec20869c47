// Wrapping and fitting the text of a visible signature into its box: by words, with the font's real
// advance widths, never below 6 pt; what still does not fit is cut with an ellipsis.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace libsign::appearance {

// The width of a UTF-8 text drawn at 1 pt, in points (e.g. FontSubset::width_of(text, 1.0)).
using Measure = std::function<double(std::string_view utf8)>;

constexpr double kMinFontSize = 6;  // pt: below this a printed signature block is not readable

struct FitOptions {
  double max_size = 10;          // pt, the size used when everything fits
  double min_size = kMinFontSize;  // pt, raised to kMinFontSize if lower
  double step = 0.25;            // pt, sizes tried from max_size down
  double line_height = 1.2;      // baseline-to-baseline distance as a multiple of the size
  double ascent = 0.9, descent = 0.25;  // of the font, in em: the first line's top, the last line's bottom
  std::string ellipsis = "\u2026";      // "..." when the font has no U+2026
};

struct FittedText {
  bool fits = false;  // false: not even one line with an ellipsis fits at min_size
  double size = 0;    // pt
  std::vector<std::string> lines;
  bool truncated = false;  // some text was cut; its last visible line ends with the ellipsis
  bool split = false;      // some word had to be split between letters
};

// Height of `lines` lines at `size` pt: the first line's ascent, the leading between lines and the
// last line's descent.
double block_height(std::size_t lines, double size, const FitOptions& options);

// Breaks a paragraph into lines no wider than `width` pt at `size` pt: at spaces (U+00A0 does not
// break: it holds e.g. a date and a time together); a word longer than a line is split between
// characters, never between a letter and its combining marks (or left whole and too wide when
// `split_long_words` is false). Runs of spaces collapse to one; no line starts or ends with a space.
std::vector<std::string> wrap_paragraph(std::string_view utf8, double width, double size, const Measure& measure,
                                        bool split_long_words = true);

// The largest size in [min_size, max_size] (in `step`s) at which every paragraph, wrapped, fits
// `width` × `height` pt; a size that needs no word split between letters is preferred to any that
// does. If none fits, min_size is used and lines are dropped: first from the paragraph
// with the most lines (the later one on a tie), then whole paragraphs from the end; each cut paragraph's
// last visible line ends with the ellipsis.
FittedText fit_text(const std::vector<std::string>& paragraphs, double width, double height, const Measure& measure,
                    const FitOptions& options = {});

}  // namespace libsign::appearance
