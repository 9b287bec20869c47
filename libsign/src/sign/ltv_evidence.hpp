// Validation data for long-term signatures (PAdES DSS, XAdES B-LT values): a certificate's chain to a
// trusted anchor, and a revocation status for every certificate of it but the anchor — reused from the
// evidence already embedded, else fetched (OCSP first, then CRLs).
#pragma once
#include <string>
#include <vector>

#include "libsign/verify.hpp"
#include "pki/chain.hpp"
#include "pki/revocation.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"
#include "sign/dss_writer.hpp"

namespace libsign::sign {

// A certificate whose chain a signature relies on (its signer, a TSA) and the certificates that came with it.
struct Leaf {
  pki::Cert cert;
  std::vector<pki::Cert> pool;
};

class EvidenceCollector {
 public:
  EvidenceCollector(const VerifyOptions& validation, const pki::RevocationEvidence& embedded);

  // Adds the chain and the revocation data of `leaf` to `data`. Throws Error(usage|network,
  // LTV_EVIDENCE_MISSING) when the chain cannot be built or a status cannot be had.
  void collect(const Leaf& leaf, ValidationData& data);

 private:
  void revocation_of(X509* cert, X509* issuer, long long now, ValidationData& data);

  pki::TrustStore trust_;
  pki::RevocationFetcher fetcher_;
  pki::RevocationEvidence embedded_;
  pki::Deadline deadline_;
};

}  // namespace libsign::sign
