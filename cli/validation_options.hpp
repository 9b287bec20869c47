// The trust and revocation options shared by `verify`, `sign` (B-LT/B-LTA) and `extend`.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "libsign/verify.hpp"

namespace libsign::cli {

struct ValidationArgs {
  std::string trust_profile = "vn-all";
  std::vector<std::string> profile_dirs, trust_paths;
  std::string at;
  bool offline = false;
  std::vector<std::string> allow_hosts;
  bool allow_private = false;
  double request_timeout = 5, deadline = 20;
  std::string cache_dir, revocation = "required";
};

// `with_time`: whether --at is offered (verification only).
void add_validation_options(CLI::App* cmd, ValidationArgs& args, bool with_time);
VerifyOptions to_verify_options(const ValidationArgs& args);

}  // namespace libsign::cli
