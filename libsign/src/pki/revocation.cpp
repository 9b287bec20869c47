#include "pki/revocation.hpp"

#include "pki/certificate.hpp"

namespace libsign::pki {
namespace {

std::string reason_name(int code) {
  switch (code) {
    case 0: return "unspecified";
    case 1: return "keyCompromise";
    case 2: return "cACompromise";
    case 3: return "affiliationChanged";
    case 4: return "superseded";
    case 5: return "cessationOfOperation";
    case 6: return "certificateHold";
    case 8: return "removeFromCRL";
    case 9: return "privilegeWithdrawn";
    case 10: return "aACompromise";
    default: return code < 0 ? "" : std::to_string(code);
  }
}

// Returns true when this CRL is usable for the certificate (and fills `status`).
bool from_crl(const std::string& der, X509* cert, X509* issuer, RevocationStatus& status) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl || X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0 ||
      X509_CRL_verify(crl.get(), X509_get0_pubkey(issuer)) != 1) {
    return false;
  }
  X509_REVOKED* revoked = nullptr;
  status.source = "crl";
  status.produced_at = asn1_time_to_unix(X509_CRL_get0_lastUpdate(crl.get()));
  if (X509_CRL_get0_by_cert(crl.get(), &revoked, cert) == 1 && revoked) {
    status.state = RevocationState::revoked;
    status.revocation_time = asn1_time_to_unix(X509_REVOKED_get0_revocationDate(revoked));
    int crit = 0;
    auto* reason = static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(revoked, NID_crl_reason, &crit, nullptr));
    if (reason) {
      status.reason = reason_name(static_cast<int>(ASN1_ENUMERATED_get(reason)));
      ASN1_ENUMERATED_free(reason);
    }
  } else {
    status.state = RevocationState::good;
  }
  return true;
}

bool from_ocsp(const std::string& der, X509* cert, X509* issuer, RevocationStatus& status) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  OcspRespPtr response(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  if (!response || OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) return false;
  OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
  if (!basic) return false;
  // The responder must be the issuer or a responder the issuer authorised (id-kp-OCSPSigning).
  StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), issuer);
  X509StackPtr extra(sk_X509_new_null());
  X509_up_ref(issuer);
  sk_X509_push(extra.get(), issuer);
  if (OCSP_basic_verify(basic.get(), extra.get(), store.get(), OCSP_PARTIAL_CHAIN) != 1) return false;
  OCSP_CERTID* id = OCSP_cert_to_id(nullptr, cert, issuer);
  int state = -1, reason = -1;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  bool found = OCSP_resp_find_status(basic.get(), id, &state, &reason, &revoked_at, &this_update, &next_update) == 1;
  OCSP_CERTID_free(id);
  if (!found) return false;
  status.source = "ocsp";
  status.produced_at = asn1_time_to_unix(OCSP_resp_get0_produced_at(basic.get()));
  if (state == V_OCSP_CERTSTATUS_GOOD) {
    status.state = RevocationState::good;
  } else if (state == V_OCSP_CERTSTATUS_REVOKED) {
    status.state = RevocationState::revoked;
    status.revocation_time = asn1_time_to_unix(revoked_at);
    status.reason = reason_name(reason);
  } else {
    return false;  // "unknown" decides nothing
  }
  return true;
}

}  // namespace

RevocationStatus check_revocation(X509* cert, X509* issuer, const RevocationEvidence& evidence) {
  RevocationStatus result;
  if (!cert || !issuer) return result;
  // A revoked answer wins over a good one; among good answers the newest is kept.
  auto consider = [&](bool usable, const RevocationStatus& candidate) {
    if (!usable) {
      ++result.unusable;
      return;
    }
    if (result.state == RevocationState::revoked) return;
    if (candidate.state == RevocationState::revoked || candidate.produced_at >= result.produced_at) {
      int unusable = result.unusable;
      result = candidate;
      result.unusable = unusable;
    }
  };
  for (const auto& der : evidence.crls_der) {
    RevocationStatus s;
    consider(from_crl(der, cert, issuer, s), s);
  }
  for (const auto& der : evidence.ocsp_der) {
    RevocationStatus s;
    consider(from_ocsp(der, cert, issuer, s), s);
  }
  ERR_clear_error();
  return result;
}

}  // namespace libsign::pki
