// What the operator configures: flags of `libsign serve` and the JSON config file (--config).
// A flag given on the command line wins over the same key in the file.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "libsign/sign.hpp"
#include "libsign/verify.hpp"

namespace libsign::serve {

struct Settings {
  std::string listen = "127.0.0.1:8080";
  std::string token_file, config_file;
  std::string tls_cert, tls_key;
  bool insecure_listen = false;
  size_t max_body = 64u << 20;        // request bodies (413 beyond)
  // Worker threads = connections served at once (0: max(8, 2 x cores); verification waits on
  // revocation fetches too). A keep-alive connection holds its worker until it closes or idles out:
  // keep --threads at least the connection pool size of the portals in front.
  size_t threads = 0;
  size_t max_queue = 256;             // accepted connections waiting for a worker; accept pauses beyond
  int read_timeout = 30, write_timeout = 30;  // seconds, per socket operation
  int keep_alive_timeout = 2;
  size_t keep_alive_requests = 20;
  std::string access_log;             // empty: stderr
  // Verification defaults (the CLI's verify options); requests may only narrow them.
  std::string trust_profile = "vn-all";
  std::vector<std::string> profile_dirs, trust_paths, allow_hosts;
  bool offline = false, allow_private = false;
  std::string revocation = "required";
  double revocation_timeout = 5, revocation_deadline = 20;
  std::string revocation_cache;
  uint64_t diagnose_max_unzipped = 1ull << 30;  // all members of one ZIP sent to /v1/diagnose
  nlohmann::json keys = nlohmann::json::object();  // name -> key description (config file only)
  nlohmann::json tsa;                               // optional TSA (config file only)

  VerifyOptions verify_options() const;
  std::optional<TsaOptions> tsa_options() const;
};

// Registers the flags on `app`, writing into `s`.
void add_flags(CLI::App& app, Settings& s);
// Fills every setting whose flag was not given from the JSON config file. Throws Error(usage).
void apply_config_file(const CLI::App& app, Settings& s);
// Host and port of --listen; throws Error(usage, USAGE_INVALID).
std::pair<std::string, int> split_listen(const std::string& listen);
bool is_loopback(const std::string& host);

}  // namespace libsign::serve
