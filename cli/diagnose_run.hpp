// The "run" object of a libsign-diagnose/1 report (docs/diagnose.md): when and how the run was made and
// what it cost in network fetches. One builder for `libsign diagnose` and libsign serve's /v1/diagnose.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "libsign/verify.hpp"

namespace libsign::cli {

struct DiagnoseRun {
  double elapsed_seconds = 0;
  unsigned jobs = 1;
  uint64_t resumed_files = 0;
  std::optional<std::chrono::system_clock::time_point> validation_time;  // empty: "now"
  VerifierStats stats;
};

nlohmann::json diagnose_run_json(const DiagnoseRun& run);

// {"fetches": n, "fetch_failures": n, "cache_hits": n} of the revocation fetcher, each {"ocsp", "crl",
// "ca_issuers"}, and the certificate-path cache's hits and misses.
nlohmann::json verifier_stats_json(const VerifierStats& stats);

}  // namespace libsign::cli
