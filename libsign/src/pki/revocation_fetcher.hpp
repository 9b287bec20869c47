// Fetching revocation data and missing CA certificates over the network, for a Verifier: OCSP
// (RFC 6960, POST) from the certificate's AIA, CRLs from its distribution points, issuers from AIA
// caIssuers. Every fetch obeys the host policy, a per-request timeout and the caller's deadline, and a
// size cap. Answers are cached (in memory, optionally on disk) until their nextUpdate, so a batch of
// documents under one CA costs one fetch per distinct certificate. Thread-safe.
#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "libsign/verify.hpp"
#include "net/http.hpp"
#include "pki/openssl_ptr.hpp"

namespace libsign::pki {

struct FetchFailure {
  std::string url;
  std::string code;    // NETWORK_UNREACHABLE, NETWORK_TIMEOUT, HOST_NOT_ALLOWED, NETWORK_BAD_RESPONSE, ...
  std::string detail;
};

using Deadline = std::chrono::steady_clock::time_point;

enum class FetchKind { ocsp, crl, ca_issuers };

class RevocationFetcher {
 public:
  explicit RevocationFetcher(const RevocationOptions& options);

  bool enabled() const { return options_.online; }
  // The DER OCSP response for `cert` from its responder, or nullopt (failures appended).
  std::optional<std::string> ocsp(X509* cert, X509* issuer, Deadline deadline, std::vector<FetchFailure>& failures);
  // The DER CRLs for `cert` from its distribution points.
  std::vector<std::string> crls(X509* cert, Deadline deadline, std::vector<FetchFailure>& failures);
  // The issuer certificates named by `cert`'s AIA caIssuers (DER, PKCS#7 or PEM).
  std::vector<Cert> issuers(X509* cert, Deadline deadline, std::vector<FetchFailure>& failures);

  Deadline deadline_from_now() const;
  // Adds this fetcher's counters to `stats` (the Verifier's snapshot).
  void add_counts(VerifierStats& stats) const;

 private:
  std::optional<std::string> get(FetchKind kind, const std::string& cache_key, const net::HttpRequest& request,
                                 Deadline deadline, std::vector<FetchFailure>& failures);
  std::optional<std::string> cached(FetchKind kind, const std::string& key);
  void remember(const std::string& key, const std::string& body);

  RevocationOptions options_;
  net::HostPolicy policy_;
  std::mutex mutex_;
  struct Entry {
    std::string body;
    long long expires = 0;  // unix seconds
  };
  std::map<std::string, Entry> cache_;
  std::map<std::string, std::shared_ptr<std::mutex>> in_flight_;  // one fetch per key at a time
  struct Counters {
    std::atomic<uint64_t> fetches{0}, failures{0}, cache_hits{0};
  };
  Counters counters_[3];  // by FetchKind
  Counters& counters(FetchKind kind) { return counters_[static_cast<int>(kind)]; }
};

}  // namespace libsign::pki
