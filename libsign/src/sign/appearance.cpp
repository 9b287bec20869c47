#include "sign/appearance.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "appearance/font_subset.hpp"
#include "appearance/png.hpp"
#include "core/encoding.hpp"
#include "core/read_file.hpp"
#include "sign/pdf_form.hpp"

namespace libsign::sign {
namespace {

constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The lines of the block, as Vietnamese administrative documents show a digital signature.
std::vector<std::string> lines_of(const AppearanceText& text) {
  std::vector<std::string> lines = {"Ký bởi: " + text.signer_name};
  if (!text.organization.empty()) lines.push_back("Cơ quan: " + text.organization);
  lines.push_back("Thời gian ký: " + vietnam_time(text.signing_time));
  if (!text.reason.empty()) lines.push_back("Lý do: " + text.reason);
  if (!text.location.empty()) lines.push_back("Nơi ký: " + text.location);
  return lines;
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
  std::string font_path = visible->font_path.empty() ? kDefaultFont : visible->font_path;
  appearance::TrueTypeFont font = appearance::TrueTypeFont::parse(core::read_file(font_path, "font", ErrorCategory::usage, "FONT_NOT_FOUND"));
  std::vector<std::string> lines = lines_of(text);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  appearance::FontSubset subset = appearance::subset_font(font, all);

  const double pad = std::min(width, height) * 0.05 + 1;
  std::string content = "q\n";
  std::string resources = "/Font <</F1 " + pdf::to_string(add_font(update, subset)) + ">>";
  double text_x = pad;
  if (!visible->image_path.empty()) {
    appearance::Image image = appearance::decode_png(core::read_file(visible->image_path, "image", ErrorCategory::usage, "IMAGE_INVALID"));
    // The seal on the left, as tall as the block, keeping its proportions (at most 40 % of the width).
    double h = height - 2 * pad, w = h * image.width / std::max(1, image.height);
    if (w > width * 0.4) {
      w = width * 0.4;
      h = w * image.height / std::max(1, image.width);
    }
    content += "q " + num(w) + " 0 0 " + num(h) + " " + num(pad) + " " + num((height - h) / 2) + " cm /Im1 Do Q\n";
    resources += " /XObject <</Im1 " + pdf::to_string(add_image(update, image)) + ">>";
    text_x = pad * 2 + w;
  }
  // The largest font size (at most 10 pt) at which every line fits the box.
  double available_w = width - text_x - pad, available_h = height - 2 * pad;
  double size = std::min(10.0, available_h / (lines.size() * 1.25));
  for (const auto& l : lines) {
    double w = subset.width_of(l, 1.0);
    if (w > 0) size = std::min(size, available_w / w);
  }
  size = std::max(size, 2.0);
  double leading = size * 1.25;
  double top = height - pad - size;
  content += "BT /F1 " + num(size) + " Tf 0 0 0.55 rg " + num(leading) + " TL " + num(text_x) + " " + num(top) + " Td\n";
  for (size_t i = 0; i < lines.size(); ++i) content += (i ? "T* " : "") + pdf::hex_string(subset.encode(lines[i])) + " Tj\n";
  content += "ET\nQ\n";
  update.put_stream(ref, "/Type /XObject /Subtype /Form /BBox [0 0 " + num(width) + " " + num(height) + "] /Resources <<" +
                             resources + ">>",
                    content);
  return ref;
}

}  // namespace libsign::sign
