#include "settings.hpp"

#include "../seconds_option.hpp"

#include <fstream>
#include <limits>
#include <sstream>
#include <thread>
#include <type_traits>

namespace libsign::serve {

void add_flags(CLI::App& app, Settings& s) {
  app.add_option("--config", s.config_file, "JSON config file (keys, TSA, and any flag below by its name without --)")
      ->check(CLI::ExistingFile);
  app.add_option("--listen", s.listen, "HOST:PORT to listen on (plain HTTP only on loopback unless --insecure-listen)")
      ->capture_default_str();
  app.add_option("--token-file", s.token_file, "Bearer tokens: one 'NAME SHA256-HEX [ROUTE,...]' per line")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", s.tls_cert, "TLS certificate chain (PEM)")->check(CLI::ExistingFile);
  app.add_option("--tls-key", s.tls_key, "TLS private key (PEM)")->check(CLI::ExistingFile);
  app.add_flag("--insecure-listen", s.insecure_listen, "Allow plain HTTP on a non-loopback address (behind a TLS proxy)");
  app.add_option("--max-body", s.max_body, "Largest request body in bytes (413 beyond)")->capture_default_str();
  app.add_option("--threads", s.threads, "Worker threads: connections served at once (default: max(8, 2 x cores)); at least the portals' keep-alive pool size");
  app.add_option("--max-queue", s.max_queue, "Accepted connections waiting for a worker before accepting pauses")
      ->capture_default_str();
  app.add_option("--read-timeout", s.read_timeout, "Seconds a read from a client may block")->capture_default_str();
  app.add_option("--write-timeout", s.write_timeout, "Seconds a write to a client may block")->capture_default_str();
  app.add_option("--keep-alive-timeout", s.keep_alive_timeout, "Seconds an idle keep-alive connection is kept")
      ->capture_default_str();
  app.add_option("--keep-alive-requests", s.keep_alive_requests, "Requests per connection")->capture_default_str();
  app.add_option("--access-log", s.access_log, "Access log file (JSON lines); default: stderr");
  app.add_option("--trust-profile", s.trust_profile, "Default trust profile (vn-gov, vn-public, vn-all, none, or from --profiles-dir)")
      ->capture_default_str();
  app.add_option("--profiles-dir", s.profile_dirs, "Folder of extra trust profiles; repeatable");
  app.add_option("--trust", s.trust_paths, "Extra certificates (as verify --trust); repeatable");
  app.add_flag("--offline", s.offline, "Never fetch revocation data or certificates");
  app.add_option("--allow-host", s.allow_hosts, "Only fetch from these hosts; repeatable");
  app.add_flag("--allow-private-hosts", s.allow_private, "Allow fetching from private and link-local addresses");
  app.add_option("--revocation", s.revocation, "Default revocation policy: required or optional")
      ->check(CLI::IsMember({"required", "optional"}))
      ->capture_default_str();
  app.add_option("--revocation-timeout", s.revocation_timeout, "Seconds for each OCSP/CRL/AIA request")->check(libsign::cli::seconds_in_range())->capture_default_str();
  app.add_option("--revocation-deadline", s.revocation_deadline, "Seconds for all fetches of one document")->check(libsign::cli::seconds_in_range())->capture_default_str();
  app.add_option("--revocation-cache", s.revocation_cache, "Folder caching OCSP responses and CRLs")->check(CLI::ExistingDirectory);
  app.add_option("--diagnose-max-unzipped", s.diagnose_max_unzipped, "Largest total uncompressed size of a ZIP sent to /v1/diagnose")
      ->capture_default_str();
}

namespace {

template <typename T>
void take(const CLI::App& app, const nlohmann::json& j, const char* key, T& field) {
  if (!j.contains(key) || app.get_option(std::string("--") + key)->count() > 0) return;
  const nlohmann::json& v = j.at(key);
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // The JSON library converts a float or an out-of-range integer without a check (3e30 for a count
    // would be undefined behaviour): only integers within the field's range are taken.
    const bool fits = v.is_number_unsigned()  ? v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max())
                      : v.is_number_integer() ? std::is_signed_v<T> && v.get<int64_t>() >= static_cast<int64_t>(std::numeric_limits<T>::min())
                                              : false;
    if (!fits) throw Error(ErrorCategory::usage, "USAGE_INVALID", std::string("config file: '") + key + "' must be a whole number in range");
  }
  if constexpr (std::is_floating_point_v<T>) {  // the seconds of revocation-timeout and -deadline
    if (!v.is_number() || !(v.get<double>() > 0 && v.get<double>() <= 3600))
      throw Error(ErrorCategory::usage, "USAGE_INVALID", std::string("config file: '") + key + "' must be 0..3600 seconds");
  }
  try {
    field = v.get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCategory::usage, "USAGE_INVALID", std::string("config file: '") + key + "' has the wrong type");
  }
}

}  // namespace

void apply_config_file(const CLI::App& app, Settings& s) {
  if (s.config_file.empty()) return;
  std::ifstream in(s.config_file);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file '" + s.config_file + "' is not a JSON object");
  static const char* known[] = {"listen", "token-file", "tls-cert", "tls-key", "insecure-listen", "max-body", "threads",
                                "max-queue", "read-timeout", "write-timeout", "keep-alive-timeout", "keep-alive-requests",
                                "access-log", "trust-profile", "profiles-dir", "trust", "offline", "allow-host",
                                "allow-private-hosts", "revocation", "revocation-timeout", "revocation-deadline",
                                "revocation-cache", "diagnose-max-unzipped", "keys", "tsa"};
  for (const auto& item : j.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || item.key() == k;
    if (!ok) throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file: unknown key '" + item.key() + "'");
  }
  take(app, j, "listen", s.listen);
  take(app, j, "token-file", s.token_file);
  take(app, j, "tls-cert", s.tls_cert);
  take(app, j, "tls-key", s.tls_key);
  take(app, j, "insecure-listen", s.insecure_listen);
  take(app, j, "max-body", s.max_body);
  take(app, j, "threads", s.threads);
  take(app, j, "max-queue", s.max_queue);
  take(app, j, "read-timeout", s.read_timeout);
  take(app, j, "write-timeout", s.write_timeout);
  take(app, j, "keep-alive-timeout", s.keep_alive_timeout);
  take(app, j, "keep-alive-requests", s.keep_alive_requests);
  take(app, j, "access-log", s.access_log);
  take(app, j, "trust-profile", s.trust_profile);
  take(app, j, "profiles-dir", s.profile_dirs);
  take(app, j, "trust", s.trust_paths);
  take(app, j, "offline", s.offline);
  take(app, j, "allow-host", s.allow_hosts);
  take(app, j, "allow-private-hosts", s.allow_private);
  take(app, j, "revocation", s.revocation);
  take(app, j, "revocation-timeout", s.revocation_timeout);
  take(app, j, "revocation-deadline", s.revocation_deadline);
  take(app, j, "revocation-cache", s.revocation_cache);
  take(app, j, "diagnose-max-unzipped", s.diagnose_max_unzipped);
  if (j.contains("keys")) s.keys = j["keys"];
  if (j.contains("tsa")) s.tsa = j["tsa"];
  if (!s.keys.is_object()) throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file: 'keys' must be an object");
}

VerifyOptions Settings::verify_options() const {
  VerifyOptions o;
  o.trust_profile = trust_profile;
  o.profile_dirs = profile_dirs;
  o.trust_paths = trust_paths;
  o.revocation.online = !offline;
  o.revocation.allowed_hosts = allow_hosts;
  o.revocation.allow_private = allow_private;
  o.revocation.request_timeout = std::chrono::milliseconds(static_cast<long long>(revocation_timeout * 1000));
  o.revocation.total_timeout = std::chrono::milliseconds(static_cast<long long>(revocation_deadline * 1000));
  o.revocation.cache_dir = revocation_cache;
  o.revocation.require = revocation == "required";
  return o;
}

std::optional<TsaOptions> Settings::tsa_options() const {
  if (!tsa.is_object() || !tsa.contains("url")) return std::nullopt;
  TsaOptions t;
  try {
    t.url = tsa.at("url").get<std::string>();
    t.username = tsa.value("user", "");
    if (tsa.contains("password-env")) t.password_env = tsa["password-env"].get<std::string>();
    if (tsa.contains("password-file")) t.password_file = tsa["password-file"].get<std::string>();
    const double timeout = tsa.value("timeout", 15.0);
    if (!(timeout > 0 && timeout <= 3600))  // also refuses NaN; a cast of 1e300 would be undefined behaviour
      throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file: 'tsa' timeout must be 0..3600 seconds");
    t.timeout = std::chrono::milliseconds(static_cast<long long>(timeout * 1000));
    t.trust_paths = tsa.value("trust", std::vector<std::string>{});
    t.profile_dirs = tsa.value("profiles-dir", std::vector<std::string>{});
    t.trust_profile = tsa.value("trust-profile", std::string("vn-all"));
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file: 'tsa' has a value of the wrong type");
  }
  return t;
}

std::pair<std::string, int> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
    throw Error(ErrorCategory::usage, "USAGE_INVALID", "--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) throw Error(ErrorCategory::usage, "USAGE_INVALID", "--listen: the port is not a number 0-65535");
  return {host, port};
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace libsign::serve
