// The look of a visible signature in `libsign sign` (seal and signature images, font, preset, frame),
// kept here so that sign_cmd.cpp only carries two small hooks.
#pragma once
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "libsign/sign.hpp"

namespace libsign::cli {

struct AppearanceArgs {
  std::string seal_image, signature_image, font;
  std::string preset = "standard";
  bool frame = false;
};

void add_appearance_options(CLI::App* cmd, AppearanceArgs& args);

// Puts the look on `visible`. Look options without --visible create an empty placement, to be filled
// from the rectangle of an existing field (--field); without one, signing reports RECTANGLE_INVALID.
void apply_appearance_options(const AppearanceArgs& args, std::optional<VisibleSignature>& visible);

}  // namespace libsign::cli
