// What a Verifier holds, shared by the verifiers of each format (PDF, CMS, XML).
#pragma once
#include "libsign/report.hpp"
#include "libsign/verify.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"

namespace libsign {

struct Verifier::Impl {
  VerifyOptions options;
  pki::TrustStore trust;
  mutable pki::RevocationFetcher fetcher;  // thread-safe; its cache is shared by every verification
  explicit Impl(const VerifyOptions& o) : options(o), trust(o), fetcher(o.revocation) {}

  long long validation_time() const;  // unix seconds: options.at or now
};

namespace validate {
// A document's verdict is its worst signature's; no signature at all is never a pass.
void settle_document(DocumentReport& doc);
}  // namespace validate

}  // namespace libsign
