#include "appearance/block_layout.hpp"

#include <algorithm>

namespace libsign::appearance {
namespace {

double aspect(PixelSize s) { return static_cast<double>(s.width) / s.height; }

// The graphic at height 1: its width, and where the seal and the signature image sit in it.
struct Graphic {
  double width = 0;  // for a height of 1
  std::optional<Box> seal, signature;
};

Graphic unit_graphic(PixelSize seal, PixelSize signature) {
  Graphic g;
  if (seal.present() && signature.present()) {
    // The seal covers the left third of the signature image, both centred on the same line; a
    // signature image so wide that its third is wider than the seal is drawn smaller.
    Box s{0, 0, aspect(seal), 1};
    const double sig_h = std::min(kSignatureToSeal, s.width / (kSealOverlap * aspect(signature)));
    const double sig_w = sig_h * aspect(signature);
    Box sig{s.width - kSealOverlap * sig_w, (1 - sig_h) / 2, sig_w, sig_h};
    const double left = std::min(0.0, sig.x);
    s.x -= left;
    sig.x -= left;
    g.width = std::max(s.x + s.width, sig.x + sig.width);
    g.seal = s;
    g.signature = sig;
  } else if (seal.present()) {
    g.seal = Box{0, 0, aspect(seal), 1};
    g.width = g.seal->width;
  } else if (signature.present()) {
    g.signature = Box{0, 0, aspect(signature), 1};
    g.width = g.signature->width;
  }
  return g;
}

Box place(const Box& unit, double x, double y, double scale) {
  return Box{x + unit.x * scale, y + unit.y * scale, unit.width * scale, unit.height * scale};
}

BlockLayout fit_into(const BlockRequest& r, Box area) {
  BlockLayout out;
  out.text_area = area;
  if (area.width <= 0 || area.height <= 0) return out;
  out.text = fit_text(r.paragraphs, area.width, area.height, r.measure, r.fit);
  out.fits = out.text.fits;
  if (out.fits) {
    const double used = block_height(out.text.lines.size(), out.text.size, r.fit);
    out.first_baseline = area.y + area.height - (area.height - used) / 2 - r.fit.ascent * out.text.size;
  }
  return out;
}

double graphic_area(const BlockLayout& l) {
  double area = 0;
  for (const auto& b : {l.seal, l.signature})
    if (b) area += b->width * b->height;
  return area;
}

bool better(const BlockLayout& a, const BlockLayout& b, bool prefer_graphic) {
  if (a.fits != b.fits) return a.fits;
  if (a.text.truncated != b.text.truncated) return !a.text.truncated;
  if (a.text.split != b.text.split) return !a.text.split;
  if (prefer_graphic) return graphic_area(a) > graphic_area(b) + 1e-9;
  return a.text.size > b.text.size + 1e-9;
}

}  // namespace

double block_padding(double width, double height) { return std::min(width, height) * 0.05 + 1; }

std::vector<BlockLayout> candidate_layouts(const BlockRequest& r) {
  const double pad = block_padding(r.width, r.height);
  const double inner_w = r.width - 2 * pad, inner_h = r.height - 2 * pad;
  const Graphic g = unit_graphic(r.seal, r.signature);
  if (g.width <= 0) return {fit_into(r, Box{pad, pad, inner_w, inner_h})};

  // The graphic on the left, as tall as the box allows within its share of the width.
  const double side_h = std::max(0.0, std::min(inner_h, r.graphic_share * inner_w / g.width));
  const double side_w = side_h * g.width;
  BlockLayout side = fit_into(r, Box{pad + side_w + pad, pad, inner_w - side_w - pad, inner_h});
  const double side_y = pad + (inner_h - side_h) / 2;
  if (g.seal) side.seal = place(*g.seal, pad, side_y, side_h);
  if (g.signature) side.signature = place(*g.signature, pad, side_y, side_h);

  // The graphic on top, centred, within its share of the height.
  const double top_h = std::max(0.0, std::min(r.graphic_share * inner_h, inner_w / g.width));
  const double top_w = top_h * g.width;
  BlockLayout top = fit_into(r, Box{pad, pad, inner_w, inner_h - top_h - pad});
  const double top_x = pad + (inner_w - top_w) / 2, top_y = r.height - pad - top_h;
  if (g.seal) top.seal = place(*g.seal, top_x, top_y, top_h);
  if (g.signature) top.signature = place(*g.signature, top_x, top_y, top_h);

  return {side, top};
}

BlockLayout layout_block(const BlockRequest& r) {
  std::vector<BlockLayout> candidates = candidate_layouts(r);
  std::size_t best = 0;
  for (std::size_t i = 1; i < candidates.size(); ++i)
    if (better(candidates[i], candidates[best], r.prefer_graphic)) best = i;
  return candidates[best];
}

double horizontal_overlap(const Box& seal, const Box& signature) {
  if (signature.width <= 0) return 0;
  const double vertical = std::min(seal.y + seal.height, signature.y + signature.height) - std::max(seal.y, signature.y);
  if (vertical <= 0) return 0;
  const double covered = std::min(seal.x + seal.width, signature.x + signature.width) - std::max(seal.x, signature.x);
  return std::max(0.0, covered) / signature.width;
}

}  // namespace libsign::appearance
