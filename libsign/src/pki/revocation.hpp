// Revocation status from evidence in hand: CRLs and OCSP responses (embedded in the CMS or the PDF
// DSS, or fetched by pki/revocation_fetcher). This module only judges evidence; it never fetches.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "pki/openssl_ptr.hpp"

namespace libsign::pki {

// CRLs and OCSP responses (OCSPResponse DER, as RFC 6960 and the PDF DSS carry them). Each item may
// be labelled with where it was read from ("signed-data", "revocation-values", "adbe-archival",
// "dss", "online", ...): `crl_origins`/`ocsp_origins` run parallel to the items when set.
struct RevocationEvidence {
  std::vector<std::string> crls_der, ocsp_der;
  std::vector<std::string> crl_origins{}, ocsp_origins{};

  // Appends items, all labelled `origin`.
  void add(const std::string& origin, const std::vector<std::string>& crls, const std::vector<std::string>& ocsp);
  bool empty() const { return crls_der.empty() && ocsp_der.empty(); }
};

enum class RevocationState { unknown, good, revoked };

struct RevocationStatus {
  RevocationState state = RevocationState::unknown;
  std::string source;           // which evidence decided: "crl" or "ocsp"
  std::string origin;           // where the deciding item was read from (its label; "" when unlabelled)
  long long produced_at = 0;    // CRL thisUpdate or OCSP producedAt
  long long this_update = 0, next_update = 0;  // of the deciding item (next_update 0: none given)
  long long revocation_time = 0;
  std::string reason;           // e.g. "keyCompromise"
  int unusable = 0;             // items that could not be used for this certificate
  // Why items about this certificate were rejected: finding codes such as OCSP_RESPONDER_UNAUTHORIZED,
  // REVOCATION_DATA_INVALID, REVOCATION_STALE, OCSP_STATUS_UNKNOWN, REVOCATION_TRY_LATER.
  std::vector<std::string> problems;
};

// When evidence counts. A "good" answer is accepted when it is current at `validation_time`
// (thisUpdate ≤ validation time ≤ nextUpdate), or was issued after `signature_time` (it then proves the
// certificate was not revoked when the signature was made), or — when a timestamp proves the
// signature time — was current at that time. A "revoked" answer always counts.
struct RevocationTimes {
  long long validation_time = 0;
  long long signature_time = 0;        // best known: proven by a timestamp, else claimed
  bool signature_time_proven = false;
};

// The status of `cert` (issued by `issuer`) according to the evidence.
RevocationStatus check_revocation(X509* cert, X509* issuer, const RevocationEvidence& evidence, const RevocationTimes& times);

// An OCSPResponse (status successful, type id-pkix-ocsp-basic) around a BasicOCSPResponse, the form
// CAdES/XAdES revocation values carry: evidence is judged in one form.
std::string ocsp_response_from_basic(std::string_view basic_der);

// The OCSP request DER for `cert` (SHA-1 CertID, as responders expect), and the URLs a certificate
// names: OCSP (AIA), CRL distribution points, CA issuers (AIA).
std::string ocsp_request(X509* cert, X509* issuer);
std::vector<std::string> ocsp_urls(X509* cert);
std::vector<std::string> crl_urls(X509* cert);
std::vector<std::string> ca_issuer_urls(X509* cert);

}  // namespace libsign::pki
