#include "metrics.hpp"

#include <sstream>

namespace libsign::serve {

const std::vector<double>& Metrics::buckets() {
  static const std::vector<double> b = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return b;
}

void Metrics::request(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  Histogram& h = durations_[route];
  if (h.counts.empty()) h.counts.assign(buckets().size(), 0);
  for (size_t i = 0; i < buckets().size(); ++i)
    if (seconds <= buckets()[i]) {
      ++h.counts[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
}

void Metrics::verdict(const std::string& indication) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++verdicts_[indication];
}

void Metrics::diagnosed(const VerifierStats& stats) {
  std::lock_guard<std::mutex> lock(mutex_);
  diagnose_runs_ += stats;
}

namespace {
void by_kind(std::ostream& o, const char* name, const char* help, const VerifierStats::ByKind& k) {
  o << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n";
  o << name << "{kind=\"ocsp\"} " << k.ocsp << "\n" << name << "{kind=\"crl\"} " << k.crl << "\n"
    << name << "{kind=\"ca_issuers\"} " << k.ca_issuers << "\n";
}
void counter(std::ostream& o, const char* name, const char* help, uint64_t value) {
  o << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n" << name << " " << value << "\n";
}
}  // namespace

std::string Metrics::text(const VerifierStats& verifiers) const {
  std::ostringstream o;
  std::lock_guard<std::mutex> lock(mutex_);
  VerifierStats v = verifiers;
  v += diagnose_runs_;
  by_kind(o, "libsign_revocation_fetches_total", "Fetches of revocation data and CA certificates attempted (host-policy refusals included), by kind.",
          v.revocation_fetches);
  by_kind(o, "libsign_revocation_fetch_failures_total", "Of those, the ones without a usable answer.",
          v.revocation_fetch_failures);
  by_kind(o, "libsign_revocation_cache_hits_total", "Answers taken from the revocation cache instead of the network.",
          v.revocation_cache_hits);
  counter(o, "libsign_chain_cache_hits_total", "Certificate paths reused from an earlier signature.", v.chain_cache_hits);
  counter(o, "libsign_chain_cache_misses_total", "Certificate paths built.", v.chain_cache_misses);
  o << "# HELP libsign_http_requests_total HTTP requests answered, by route and status.\n"
    << "# TYPE libsign_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    o << "libsign_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  o << "# HELP libsign_verdicts_total Documents verified, by the worst indication of their signatures.\n"
    << "# TYPE libsign_verdicts_total counter\n";
  for (const auto& [indication, n] : verdicts_) o << "libsign_verdicts_total{indication=\"" << indication << "\"} " << n << "\n";
  o << "# HELP libsign_http_request_duration_seconds Time from the request line to the response, by route.\n"
    << "# TYPE libsign_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    unsigned long long cumulative = 0;
    for (size_t i = 0; i < buckets().size(); ++i) {
      cumulative += h.counts[i];
      o << "libsign_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << buckets()[i] << "\"} " << cumulative
        << "\n";
    }
    o << "libsign_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
      << "libsign_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
      << "libsign_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  o << "# HELP libsign_http_requests_in_flight Requests being handled now.\n"
    << "# TYPE libsign_http_requests_in_flight gauge\n"
    << "libsign_http_requests_in_flight " << in_flight_.load() << "\n";
  return o.str();
}

}  // namespace libsign::serve
