#include "diagnose_run.hpp"

#include <cmath>

namespace libsign::cli {

namespace {
nlohmann::json by_kind(const VerifierStats::ByKind& k) {
  return {{"ocsp", k.ocsp}, {"crl", k.crl}, {"ca_issuers", k.ca_issuers}};
}
}  // namespace

nlohmann::json verifier_stats_json(const VerifierStats& stats) {
  return {{"revocation_fetches", by_kind(stats.revocation_fetches)},
          {"revocation_fetch_failures", by_kind(stats.revocation_fetch_failures)},
          {"revocation_cache_hits", by_kind(stats.revocation_cache_hits)},
          {"chain_cache_hits", stats.chain_cache_hits},
          {"chain_cache_misses", stats.chain_cache_misses}};
}

nlohmann::json diagnose_run_json(const DiagnoseRun& run) {
  return {{"generated_at", format_time(std::chrono::system_clock::now())},
          {"elapsed_seconds", std::round(run.elapsed_seconds * 1000) / 1000},
          {"jobs", run.jobs},
          {"resumed_files", run.resumed_files},
          {"validation_time", run.validation_time ? format_time(*run.validation_time) : "now"},
          {"verifier_stats", verifier_stats_json(run.stats)}};
}

}  // namespace libsign::cli
