#include "validation_options.hpp"

#include "seconds_option.hpp"

namespace libsign::cli {

void add_validation_options(CLI::App* cmd, ValidationArgs& args, bool with_time) {
  cmd->add_option("--trust-profile", args.trust_profile,
                  "Trusted anchors: vn-gov (government specialised PKI), vn-public (national root), vn-all, none, "
                  "or a profile folder name from --profiles-dir")
      ->capture_default_str();
  cmd->add_option("--profiles-dir", args.profile_dirs,
                  "Folder whose sub-folders are extra trust profiles (anchors + intermediates); repeatable");
  cmd->add_option("--trust", args.trust_paths,
                  "Extra certificates: PEM/DER file, folder, or PKCS#7 bundle; self-signed ones become trusted anchors; repeatable");
  if (with_time) cmd->add_option("--at", args.at, "Validation time, e.g. 2026-06-15T09:00:00+07:00 (default: now)");
  if (with_time)
    cmd->add_flag("--no-cross-check", args.no_cross_check,
                  "Do not re-check each signature with Botan, the second engine (on by default; docs/security.md)");
  cmd->add_flag("--offline", args.offline,
                "No network: revocation status only from what the document embeds (CMS, DSS); missing AIA issuers are not fetched");
  cmd->add_option("--allow-host", args.allow_hosts,
                  "Only fetch from these hosts (repeatable); a listed host may be loopback or private, e.g. 127.0.0.1 for a local mirror");
  cmd->add_flag("--allow-private-hosts", args.allow_private, "Allow fetching from private and link-local addresses (refused by default)");
  cmd->add_option("--revocation", args.revocation,
                  "required: no revocation status for a chain certificate gives INDETERMINATE (TRY_LATER); optional: only a warning")
      ->check(CLI::IsMember({"required", "optional"}))
      ->capture_default_str();
  cmd->add_option("--revocation-timeout", args.request_timeout, "Seconds for each OCSP/CRL/AIA request")->check(seconds_in_range())->capture_default_str();
  cmd->add_option("--revocation-deadline", args.deadline, "Seconds for all fetches of one document")->check(seconds_in_range())->capture_default_str();
  cmd->add_option("--revocation-cache", args.cache_dir, "Folder caching OCSP responses and CRLs until their nextUpdate")
      ->check(CLI::ExistingDirectory);
}

VerifyOptions to_verify_options(const ValidationArgs& args) {
  VerifyOptions options;
  options.trust_profile = args.trust_profile;
  options.profile_dirs = args.profile_dirs;
  options.trust_paths = args.trust_paths;
  if (!args.at.empty()) options.at = parse_time(args.at);
  // The command checks revocation online by default, under a safe host policy, and requires a status.
  options.revocation.online = !args.offline;
  options.revocation.allowed_hosts = args.allow_hosts;
  options.revocation.allow_private = args.allow_private;
  options.revocation.request_timeout = std::chrono::milliseconds(static_cast<long long>(args.request_timeout * 1000));
  options.revocation.total_timeout = std::chrono::milliseconds(static_cast<long long>(args.deadline * 1000));
  options.revocation.cache_dir = args.cache_dir;
  options.revocation.require = args.revocation == "required";
  options.cross_check = !args.no_cross_check;
  return options;
}

void add_tsa_options(CLI::App* cmd, TsaArgs& args, bool with_trust) {
  cmd->add_option("--tsa", args.url, "RFC 3161 time-stamping authority URL (http://...)");
  cmd->add_option("--tsa-user", args.user, "User name for the TSA (HTTP basic authentication)");
  cmd->add_option("--tsa-password-env", args.password_env, "Environment variable holding the TSA password");
  cmd->add_option("--tsa-password-file", args.password_file, "File whose first line is the TSA password")->check(CLI::ExistingFile);
  cmd->add_option("--tsa-timeout", args.timeout, "Seconds to wait for the TSA")->check(seconds_in_range())->capture_default_str();
  if (!with_trust) return;
  cmd->add_option("--tsa-trust", args.trust, "Anchors/CA certificates the TSA certificate must chain to; repeatable");
  cmd->add_option("--tsa-profiles-dir", args.profiles_dir, "Profile folders for the TSA check (as verify --profiles-dir)");
  cmd->add_option("--tsa-trust-profile", args.trust_profile, "Trust profile for the TSA check")->capture_default_str();
}

std::optional<TsaOptions> to_tsa_options(const TsaArgs& args) {
  if (args.url.empty()) return std::nullopt;
  TsaOptions tsa;
  tsa.url = args.url;
  tsa.username = args.user;
  if (!args.password_env.empty()) tsa.password_env = args.password_env;
  if (!args.password_file.empty()) tsa.password_file = args.password_file;
  tsa.timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout * 1000));
  tsa.trust_paths = args.trust;
  tsa.profile_dirs = args.profiles_dir;
  tsa.trust_profile = args.trust_profile;
  return tsa;
}

}  // namespace libsign::cli
