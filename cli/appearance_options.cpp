#include "appearance_options.hpp"

namespace libsign::cli {

void add_appearance_options(CLI::App* cmd, AppearanceArgs& a) {
  cmd->add_option("--image,--seal-image", a.seal_image,
                  "The organisation's seal for the visible signature (PNG, transparency kept); drawn over the left third of "
                  "--signature-image when both are given")
      ->check(CLI::ExistingFile);
  cmd->add_option("--signature-image", a.signature_image, "The signer's handwritten signature for the visible signature (PNG)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--font", a.font, "TrueType font for the visible text (default: DejaVu Sans; DejaVu Serif for decree30)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--visible-preset", a.preset,
                  "Look of the visible signature: standard (signer, organisation, time, reason, place) or decree30 "
                  "(Decree 30/2020/ND-CP: seal over the signature image; signer, organisation, time with +07:00)")
      ->check(CLI::IsMember({"standard", "decree30"}))
      ->capture_default_str();
  cmd->add_flag("--frame", a.frame, "Draw a thin frame around the visible signature");
}

void apply_appearance_options(const AppearanceArgs& a, std::optional<VisibleSignature>& visible) {
  const bool any = !a.seal_image.empty() || !a.signature_image.empty() || !a.font.empty() || a.frame || a.preset != "standard";
  if (!any) return;
  if (!visible) visible = VisibleSignature{};
  visible->image_path = a.seal_image;
  visible->signature_image_path = a.signature_image;
  visible->font_path = a.font;
  visible->frame = a.frame;
  visible->preset = a.preset == "decree30" ? AppearancePreset::decree30 : AppearancePreset::standard;
}

}  // namespace libsign::cli
