#include "sign/appearance.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "appearance/block_layout.hpp"
#include "appearance/font_subset.hpp"
#include "appearance/png.hpp"
#include "core/encoding.hpp"
#include "core/read_file.hpp"
#include "sign/pdf_form.hpp"

namespace libsign::sign {
namespace {

// The look of each preset (libsign/include/libsign/sign.hpp, AppearancePreset).
struct Style {
  const char* font;      // default font file
  const char* colour;    // text and frame, PDF DeviceRGB operands
  double graphic_share;  // at most this part of the box for the seal / signature image
  bool prefer_graphic;   // the images matter more than the text's size
  bool reason_and_location;
};

Style style_of(AppearancePreset preset) {
  if (preset == AppearancePreset::decree30)
    return {"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "0 0 0", 0.55, true, false};
  return {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "0 0 0.55", 0.4, false, true};
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

constexpr const char* kNoBreakSpace = "\u00A0";

// Spaces that must not break a line (the wrapper keeps them; they are drawn as plain spaces).
std::string keep_together(std::string text) {
  for (size_t at = text.find(' '); at != std::string::npos; at = text.find(' ', at)) text.replace(at, 1, kNoBreakSpace);
  return text;
}

std::string as_drawn(std::string text) {
  for (size_t at = text.find(kNoBreakSpace); at != std::string::npos; at = text.find(kNoBreakSpace, at)) text.replace(at, 2, " ");
  return text;
}

// The paragraphs of the block, as Vietnamese administrative documents show a digital signature.
std::vector<std::string> paragraphs_of(const AppearanceText& text, const Style& style) {
  std::vector<std::string> lines = {"Ký bởi: " + text.signer_name};
  if (!text.organization.empty()) lines.push_back("Cơ quan: " + text.organization);
  lines.push_back("Thời gian ký: " + keep_together(vietnam_time(text.signing_time)));
  if (style.reason_and_location && !text.reason.empty()) lines.push_back("Lý do: " + text.reason);
  if (style.reason_and_location && !text.location.empty()) lines.push_back("Nơi ký: " + text.location);
  return lines;
}

appearance::Image load_png(const std::string& path) {
  return appearance::decode_png(core::read_file(path, "image", ErrorCategory::usage, "IMAGE_INVALID"));
}

std::string draw_image(const appearance::Box& box, const char* name) {
  return "q " + num(box.width) + " 0 0 " + num(box.height) + " " + num(box.x) + " " + num(box.y) + " cm /" + name + " Do Q\n";
}

// Type0 font with an embedded TrueType subset (Identity-H), so any Vietnamese text renders and
// extracts (ToUnicode) the same everywhere.
pdf::Ref add_font(pdf::IncrementalUpdate& update, const appearance::FontSubset& subset) {
  pdf::Ref file = update.allocate(), descriptor = update.allocate(), cid = update.allocate(), to_unicode = update.allocate(),
           font = update.allocate();
  update.put_stream(file, "/Filter /FlateDecode /Length1 " + std::to_string(subset.font_file.size()), deflate(subset.font_file));
  const auto& m = subset.metrics;
  update.put(descriptor, "<</Type /FontDescriptor /FontName /" + subset.base_font + " /Flags " + std::to_string(m.flags) +
                             " /FontBBox [" + std::to_string(m.bbox[0]) + " " + std::to_string(m.bbox[1]) + " " +
                             std::to_string(m.bbox[2]) + " " + std::to_string(m.bbox[3]) + "] /ItalicAngle " +
                             std::to_string(m.italic_angle) + " /Ascent " + std::to_string(m.ascent) + " /Descent " +
                             std::to_string(m.descent) + " /CapHeight " + std::to_string(m.cap_height) + " /StemV " +
                             std::to_string(m.stem_v) + " /FontFile2 " + pdf::to_string(file) + ">>");
  update.put(cid, "<</Type /Font /Subtype /CIDFontType2 /BaseFont /" + subset.base_font +
                      " /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor " +
                      pdf::to_string(descriptor) + " /DW 1000 /W " + subset.w_array() + " /CIDToGIDMap /Identity>>");
  update.put_stream(to_unicode, "/Filter /FlateDecode", deflate(subset.to_unicode_cmap()));
  update.put(font, "<</Type /Font /Subtype /Type0 /BaseFont /" + subset.base_font + " /Encoding /Identity-H /DescendantFonts [" +
                       pdf::to_string(cid) + "] /ToUnicode " + pdf::to_string(to_unicode) + ">>");
  return font;
}

// The seal: an image XObject, its transparency as a soft mask.
pdf::Ref add_image(pdf::IncrementalUpdate& update, const appearance::Image& image) {
  pdf::Ref ref = update.allocate();
  std::string size = " /Width " + std::to_string(image.width) + " /Height " + std::to_string(image.height) + " /BitsPerComponent 8";
  std::string mask;
  if (!image.alpha.empty()) {
    pdf::Ref smask = update.allocate();
    update.put_stream(smask, "/Type /XObject /Subtype /Image /ColorSpace /DeviceGray" + size + " /Filter /FlateDecode",
                      deflate(image.alpha));
    mask = " /SMask " + pdf::to_string(smask);
  }
  update.put_stream(ref, std::string("/Type /XObject /Subtype /Image /ColorSpace ") +
                             (image.components == 1 ? "/DeviceGray" : "/DeviceRGB") + size + " /Filter /FlateDecode" + mask,
                    deflate(image.pixels));
  return ref;
}

}  // namespace

std::string vietnam_time(long long unix_seconds) {
  return core::format_unix(unix_seconds + 7 * 3600, "%d/%m/%Y %H:%M:%S +07:00");
}

pdf::Ref add_appearance(pdf::IncrementalUpdate& update, double width, double height, const AppearanceText& text,
                        const VisibleSignature* visible) {
  pdf::Ref ref = update.allocate();
  if (!visible || width <= 0 || height <= 0) {
    update.put_stream(ref, "/Type /XObject /Subtype /Form /BBox [0 0 0 0]", "");
    return ref;
  }
  const Style style = style_of(visible->preset);
  std::string font_path = visible->font_path.empty() ? style.font : visible->font_path;
  appearance::TrueTypeFont font = appearance::TrueTypeFont::parse(core::read_file(font_path, "font", ErrorCategory::usage, "FONT_NOT_FOUND"));
  const std::vector<std::string> paragraphs = paragraphs_of(text, style);
  const std::string ellipsis = font.has_glyph(0x2026) ? "\u2026" : "...";
  std::string all = ellipsis + "\n";
  for (const auto& p : paragraphs) all += as_drawn(p) + "\n";
  const appearance::FontSubset subset = appearance::subset_font(font, all);

  std::optional<appearance::Image> seal, signature;
  if (!visible->image_path.empty()) seal = load_png(visible->image_path);
  if (!visible->signature_image_path.empty()) signature = load_png(visible->signature_image_path);

  appearance::BlockRequest request;
  request.width = width;
  request.height = height;
  if (seal) request.seal = {seal->width, seal->height};
  if (signature) request.signature = {signature->width, signature->height};
  request.paragraphs = paragraphs;
  request.measure = [&subset](std::string_view t) { return subset.width_of(as_drawn(std::string(t)), 1.0); };
  request.fit.ascent = subset.metrics.ascent / 1000.0;
  request.fit.descent = -subset.metrics.descent / 1000.0;
  request.fit.ellipsis = ellipsis;
  request.graphic_share = style.graphic_share;
  request.prefer_graphic = style.prefer_graphic;
  const appearance::BlockLayout layout = appearance::layout_block(request);
  if (!layout.fits)
    throw Error(ErrorCategory::usage, "RECTANGLE_TOO_SMALL",
                "the visible signature box (" + num(width) + " x " + num(height) + " pt) cannot hold its text at " +
                    num(appearance::kMinFontSize) + " pt");

  std::string content = "q\n";
  std::string resources = "/Font <</F1 " + pdf::to_string(add_font(update, subset)) + ">>";
  if (visible->frame)  // 0.5 pt wide, drawn just inside the box
    content += std::string("q 0.5 w ") + style.colour + " RG 0.25 0.25 " + num(width - 0.5) + " " + num(height - 0.5) + " re S Q\n";
  std::string xobjects;
  // The signature image first: the seal is stamped over it.
  if (signature && layout.signature) {
    content += draw_image(*layout.signature, "Im2");
    xobjects += " /Im2 " + pdf::to_string(add_image(update, *signature));
  }
  if (seal && layout.seal) {
    content += draw_image(*layout.seal, "Im1");
    xobjects += " /Im1 " + pdf::to_string(add_image(update, *seal));
  }
  if (!xobjects.empty()) resources += " /XObject <<" + xobjects + ">>";
  const double size = layout.text.size, leading = size * request.fit.line_height;
  content += "BT /F1 " + num(size) + " Tf " + style.colour + " rg " + num(leading) + " TL " + num(layout.text_area.x) + " " +
             num(layout.first_baseline) + " Td\n";
  for (size_t i = 0; i < layout.text.lines.size(); ++i)
    content += (i ? "T* " : "") + pdf::hex_string(subset.encode(as_drawn(layout.text.lines[i]))) + " Tj\n";
  content += "ET\nQ\n";
  update.put_stream(ref, "/Type /XObject /Subtype /Form /BBox [0 0 " + num(width) + " " + num(height) + "] /Resources <<" +
                             resources + ">>",
                    content);
  return ref;
}

}  // namespace libsign::sign
