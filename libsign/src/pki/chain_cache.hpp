// Path validation results kept per Verifier: the same signer certificate with the same other
// certificates at the same validation time gives the same path, so a batch of dossiers signed by
// one official builds it once. Keyed by the SHA-256 of every certificate involved and the time;
// bounded; guarded by a mutex (a Verifier is shared by threads). The trust store is the Verifier's
// own and never changes, so it is not part of the key.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "libsign/report.hpp"
#include "pki/chain.hpp"

namespace libsign::pki {

class ChainCache {
 public:
  struct Entry {
    ChainResult result;
    std::vector<CertificateInfo> described;  // filled by the first caller that describes the chain
  };
  // validate_chain, or the result of an earlier identical call; `key` receives the entry's key.
  Entry validate(const TrustStore& store, X509* leaf, const std::vector<Cert>& extra, long long at_unix, std::string* key);
  // Remembers how the chain of that entry was described for the report.
  void remember_description(const std::string& key, const std::vector<CertificateInfo>& described);
  uint64_t hits() const { return hits_.load(); }
  uint64_t misses() const { return misses_.load(); }

 private:
  static std::string key(X509* leaf, const std::vector<Cert>& extra, long long at_unix);
  static constexpr size_t kMaxEntries = 1024;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

}  // namespace libsign::pki
