// Revocation status from evidence already in hand (CRLs and OCSP responses embedded in the CMS or
// the PDF DSS). Nothing is fetched here: online checking is a separate, explicit module.
#pragma once
#include <string>
#include <vector>

#include "pki/openssl_ptr.hpp"

namespace libsign::pki {

struct RevocationEvidence {
  std::vector<std::string> crls_der, ocsp_der;
};

enum class RevocationState { unknown, good, revoked };

struct RevocationStatus {
  RevocationState state = RevocationState::unknown;
  std::string source;           // which evidence decided: "crl" or "ocsp"
  long long produced_at = 0;    // CRL thisUpdate or OCSP producedAt
  long long revocation_time = 0;
  std::string reason;           // e.g. "keyCompromise"
  int unusable = 0;             // items that could not be used (unreadable, other issuer, bad signature)
};

// The status of `cert` (issued by `issuer`) according to the evidence.
RevocationStatus check_revocation(X509* cert, X509* issuer, const RevocationEvidence& evidence);

}  // namespace libsign::pki
