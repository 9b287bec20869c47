// What a Verifier holds, shared by the PDF and XML front ends.
#pragma once
#include "libsign/verify.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"

namespace libsign {

struct Verifier::Impl {
  VerifyOptions options;
  pki::TrustStore trust;
  mutable pki::RevocationFetcher fetcher;  // thread-safe; its cache is shared by every verification
  explicit Impl(const VerifyOptions& o) : options(o), trust(o), fetcher(o.revocation) {}
};

}  // namespace libsign
