// Where the parts of a visible signature go inside its box: the graphic (an organisation's seal, the
// signer's signature image, or the seal over the left third of the signature image, as Decree 30/2020
// lays them out) and the text, beside or below the graphic, whichever shows the text larger.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "appearance/text_fit.hpp"

namespace libsign::appearance {

struct Box {
  double x = 0, y = 0, width = 0, height = 0;  // PDF points, from the box's lower-left corner
};

struct PixelSize {
  int width = 0, height = 0;  // 0 × 0: no such image
  bool present() const { return width > 0 && height > 0; }
};

struct BlockRequest {
  double width = 0, height = 0;         // the widget's box, pt
  PixelSize seal, signature;            // the images' sizes, for their proportions
  std::vector<std::string> paragraphs;  // the text, one paragraph per item
  Measure measure;                      // text width at 1 pt
  FitOptions fit;
  double graphic_share = 0.4;  // at most this part of the box's width (beside) or height (below) for the graphic
  bool prefer_graphic = false;  // choose the arrangement with the larger graphic when neither cuts the text
};

struct BlockLayout {
  bool fits = false;  // false: the text cannot be shown at kMinFontSize in any arrangement
  std::optional<Box> seal, signature;
  Box text_area;      // the room the text was fitted into
  FittedText text;
  double first_baseline = 0;  // y of the first line's baseline; lines go down by fit.line_height × size
};

// The signature image's height relative to the seal's (at most: less when the image is so wide that
// its third is wider than the seal), and the part of the signature image's width the seal covers.
constexpr double kSignatureToSeal = 0.7;
constexpr double kSealOverlap = 1.0 / 3.0;

// The padding between the box's edge and its content, and between graphic and text.
double block_padding(double width, double height);

// Tries the text alone (no images), or the graphic on the left with the text on its right, or the
// graphic on top with the text below; keeps the arrangement whose text is not cut, then has no word
// split between letters, then is largest, or with `prefer_graphic` whose graphic is largest (beside
// wins ties). The text block is centred
// vertically in its area, the graphic in its share.
BlockLayout layout_block(const BlockRequest& request);

// The arrangements layout_block chooses from: the text alone without images; else beside, then below.
std::vector<BlockLayout> candidate_layouts(const BlockRequest& request);

// The part of `signature`'s width that `seal` covers horizontally, in [0, 1] (0 without vertical overlap).
double horizontal_overlap(const Box& seal, const Box& signature);

}  // namespace libsign::appearance
