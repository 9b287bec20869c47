// Prometheus metrics (text exposition format 0.0.4): requests by route and status, verdicts by
// indication, a request duration histogram per route, the requests in flight, and the verifiers'
// revocation fetches and cache use. Routes are the
// service's fixed names ("other" for anything else), so label values stay few.
#pragma once
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "libsign/verify.hpp"

namespace libsign::serve {

class Metrics {
 public:
  void request(const std::string& route, int status, double seconds);
  void verdict(const std::string& indication);
  void enter() { in_flight_.fetch_add(1); }
  void leave() { in_flight_.fetch_sub(1); }
  long in_flight() const { return in_flight_.load(); }
  // A /v1/diagnose run's counters (its Verifier lives only for the run).
  void diagnosed(const VerifierStats& stats);
  // `verifiers`: the counters of the shared Verifiers now (Verifiers::stats).
  std::string text(const VerifierStats& verifiers) const;

  static const std::vector<double>& buckets();

 private:
  struct Histogram {
    std::vector<unsigned long long> counts;  // one per bucket (cumulative when printed)
    unsigned long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, unsigned long long> requests_;
  std::map<std::string, unsigned long long> verdicts_;
  std::map<std::string, Histogram> durations_;
  std::atomic<long> in_flight_{0};
  VerifierStats diagnose_runs_;
};

// The RAII form of enter/leave for a handler.
class InFlight {
 public:
  explicit InFlight(Metrics& m) : m_(m) { m_.enter(); }
  ~InFlight() { m_.leave(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  Metrics& m_;
};

}  // namespace libsign::serve
