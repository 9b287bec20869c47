// One Verifier per trust configuration, shared by every worker thread (verify calls are const and
// thread-safe). A request chooses among configurations with its parameters (trust profile, time,
// offline, revocation policy); the host policy and the trust folders are the operator's. The
// cache is bounded: the least recently used configuration is dropped (requests using it keep it), its
// counters kept for /metrics.
#pragma once
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "libsign/verify.hpp"

namespace libsign::serve {

class Verifiers {
 public:
  Verifiers(VerifyOptions defaults, size_t capacity = 32) : defaults_(std::move(defaults)), capacity_(capacity) {}

  const VerifyOptions& defaults() const { return defaults_; }
  // Throws Error(usage) for an unknown profile (a 400).
  std::shared_ptr<const Verifier> get(const VerifyOptions& options);
  size_t size() const;
  // The counters of every Verifier held since start, dropped ones included (so they only grow).
  VerifierStats stats() const;

 private:
  static std::string key_of(const VerifyOptions& o);
  void retire_unused() const;  // under mutex_
  VerifyOptions defaults_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::list<std::pair<std::string, std::shared_ptr<const Verifier>>> entries_;  // most recent first
  // Dropped verifiers that a request may still be using (their counters can still grow), and the sum
  // of those no request holds any more.
  mutable std::vector<std::shared_ptr<const Verifier>> dropped_;
  mutable VerifierStats retired_;
};

}  // namespace libsign::serve
