// The trust and revocation options shared by `verify`, `sign` (B-LT/B-LTA) and `extend`.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "libsign/sign.hpp"
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
  bool no_cross_check = false;
};

// The time-stamping authority options shared by `sign` and `extend`.
struct TsaArgs {
  std::string url, user, password_env, password_file, trust_profile = "vn-all";
  std::vector<std::string> trust, profiles_dir;
  double timeout = 15;
};

// `with_trust`: whether the TSA has trust options of its own (--tsa-trust, ...).
void add_tsa_options(CLI::App* cmd, TsaArgs& args, bool with_trust);
std::optional<TsaOptions> to_tsa_options(const TsaArgs& args);  // nullopt without --tsa

// `with_time`: whether --at and --no-cross-check are offered (verification only).
void add_validation_options(CLI::App* cmd, ValidationArgs& args, bool with_time);
VerifyOptions to_verify_options(const ValidationArgs& args);

}  // namespace libsign::cli
