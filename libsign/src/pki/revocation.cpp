#include "pki/revocation.hpp"

#include <openssl/x509v3.h>

#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/der_writer.hpp"
#include "pki/certificate.hpp"

namespace libsign::pki {
namespace {

constexpr long long kClockSkew = 5 * 60;

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

bool fresh_enough(const RevocationStatus& s, const RevocationTimes& t) {
  auto covers = [&](long long when) {
    return when > 0 && s.this_update <= when + kClockSkew && (s.next_update == 0 || when <= s.next_update + kClockSkew);
  };
  bool after_signing = t.signature_time > 0 && s.this_update + kClockSkew >= t.signature_time;
  // Current at the validation time; or issued after the signature; or current when a timestamp
  // proves the signature existed (the validity window the CA published covered that moment).
  return covers(t.validation_time) || after_signing || (t.signature_time_proven && covers(t.signature_time));
}

enum class Outcome { not_about_this_cert, rejected, decided };

Outcome from_crl(const std::string& der, X509* cert, X509* issuer, RevocationStatus& status, std::string& problem) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl) {
    problem = "REVOCATION_DATA_INVALID";
    return Outcome::rejected;
  }
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0) return Outcome::not_about_this_cert;
  EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);
  if (!issuer_key || X509_CRL_verify(crl.get(), issuer_key) != 1) {
    ERR_clear_error();
    problem = "REVOCATION_DATA_INVALID";
    return Outcome::rejected;
  }
  status.source = "crl";
  status.this_update = status.produced_at = asn1_time_to_unix(X509_CRL_get0_lastUpdate(crl.get()));
  status.next_update = X509_CRL_get0_nextUpdate(crl.get()) ? asn1_time_to_unix(X509_CRL_get0_nextUpdate(crl.get())) : 0;
  X509_REVOKED* revoked = nullptr;
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
  return Outcome::decided;
}

Outcome from_ocsp(const std::string& der, X509* cert, X509* issuer, RevocationStatus& status, std::string& problem) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  OcspRespPtr response(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  if (!response) {
    problem = "REVOCATION_DATA_INVALID";
    return Outcome::rejected;
  }
  int response_status = OCSP_response_status(response.get());
  if (response_status == OCSP_RESPONSE_STATUS_TRYLATER) {
    problem = "REVOCATION_TRY_LATER";
    return Outcome::rejected;
  }
  if (response_status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    problem = "REVOCATION_DATA_INVALID";
    return Outcome::rejected;
  }
  OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
  if (!basic) {
    problem = "REVOCATION_DATA_INVALID";
    return Outcome::rejected;
  }
  OCSP_CERTID* id = OCSP_cert_to_id(nullptr, cert, issuer);
  int state = -1, reason = -1;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  bool found = OCSP_resp_find_status(basic.get(), id, &state, &reason, &revoked_at, &this_update, &next_update) == 1;
  OCSP_CERTID_free(id);
  if (!found) return Outcome::not_about_this_cert;
  // The responder must be the CA, or a responder the CA authorised (id-kp-OCSPSigning), checked at
  // the time the response was produced.
  long long produced = asn1_time_to_unix(OCSP_resp_get0_produced_at(basic.get()));
  StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), issuer);
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(produced));
  X509StackPtr extra(sk_X509_new_null());
  X509_up_ref(issuer);
  sk_X509_push(extra.get(), issuer);
  if (OCSP_basic_verify(basic.get(), extra.get(), store.get(), OCSP_PARTIAL_CHAIN) != 1) {
    unsigned long err = ERR_peek_last_error();
    int why = ERR_GET_REASON(err);
    problem = why == OCSP_R_SIGNATURE_FAILURE ? "REVOCATION_DATA_INVALID" : "OCSP_RESPONDER_UNAUTHORIZED";
    ERR_clear_error();
    return Outcome::rejected;
  }
  status.source = "ocsp";
  status.produced_at = produced;
  status.this_update = asn1_time_to_unix(this_update);
  status.next_update = next_update ? asn1_time_to_unix(next_update) : 0;
  if (state == V_OCSP_CERTSTATUS_GOOD) {
    status.state = RevocationState::good;
  } else if (state == V_OCSP_CERTSTATUS_REVOKED) {
    status.state = RevocationState::revoked;
    status.revocation_time = asn1_time_to_unix(revoked_at);
    status.reason = reason_name(reason);
  } else {
    problem = "OCSP_STATUS_UNKNOWN";
    return Outcome::rejected;
  }
  return Outcome::decided;
}

// Judging an item (parsing, verifying the CRL's or the response's signature, the responder's chain)
// costs more than the rest of a verification, and a batch judges the same items over and over:
// the outcome for (item, certificate, issuer) is remembered. Freshness is still decided per call.
struct Judged {
  Outcome outcome;
  RevocationStatus status;
  std::string problem;
};

class JudgementCache {
 public:
  using Key = std::string;
  static Key key(char kind, const std::string& der, X509* cert, X509* issuer) {
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(der.data(), der.size(), md, &len, EVP_sha256(), nullptr);
    Key k(1, kind);
    k.append(reinterpret_cast<char*>(md), len);
    // X509_digest caches nothing for SHA-256, but the certificates' own SHA-1 hashes are cached by OpenSSL.
    unsigned char c[EVP_MAX_MD_SIZE];
    unsigned int clen = 0;
    X509_digest(cert, EVP_sha1(), c, &clen);
    k.append(reinterpret_cast<char*>(c), clen);
    X509_digest(issuer, EVP_sha1(), c, &clen);
    k.append(reinterpret_cast<char*>(c), clen);
    return k;
  }
  std::optional<Judged> find(const Key& k) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(k);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void store(const Key& k, const Judged& j) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // crude bound: batches see few distinct items
    entries_.emplace(k, j);
  }

 private:
  static constexpr size_t kMaxEntries = 4096;
  std::mutex mutex_;
  std::unordered_map<Key, Judged> entries_;
};

JudgementCache& judgements() {
  static JudgementCache cache;
  return cache;
}

template <typename Judge>
Outcome judged(char kind, const std::string& der, X509* cert, X509* issuer, RevocationStatus& status, std::string& problem, Judge judge) {
  JudgementCache::Key k = JudgementCache::key(kind, der, cert, issuer);
  if (auto hit = judgements().find(k)) {
    status = hit->status;
    problem = hit->problem;
    return hit->outcome;
  }
  Outcome outcome = judge(der, cert, issuer, status, problem);
  judgements().store(k, {outcome, status, problem});
  return outcome;
}

std::vector<std::string> access_urls(X509* cert, int method_nid) {
  std::vector<std::string> out;
  auto* info = static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr));
  for (int i = 0; info && i < sk_ACCESS_DESCRIPTION_num(info); ++i) {
    ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(info, i);
    if (OBJ_obj2nid(ad->method) == method_nid && ad->location->type == GEN_URI)
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ad->location->d.uniformResourceIdentifier)),
                       static_cast<size_t>(ASN1_STRING_length(ad->location->d.uniformResourceIdentifier)));
  }
  AUTHORITY_INFO_ACCESS_free(info);
  return out;
}

}  // namespace

void RevocationEvidence::add(const std::string& origin, const std::vector<std::string>& crls, const std::vector<std::string>& ocsp) {
  crl_origins.resize(crls_der.size());  // earlier unlabelled items stay unlabelled
  ocsp_origins.resize(ocsp_der.size());
  crls_der.insert(crls_der.end(), crls.begin(), crls.end());
  crl_origins.insert(crl_origins.end(), crls.size(), origin);
  ocsp_der.insert(ocsp_der.end(), ocsp.begin(), ocsp.end());
  ocsp_origins.insert(ocsp_origins.end(), ocsp.size(), origin);
}

RevocationStatus check_revocation(X509* cert, X509* issuer, const RevocationEvidence& evidence, const RevocationTimes& times) {
  RevocationStatus result;
  if (!cert || !issuer) return result;
  // A revoked answer wins over a good one; among good answers the newest is kept.
  auto consider = [&](Outcome outcome, const RevocationStatus& candidate, const std::string& problem) {
    if (outcome == Outcome::not_about_this_cert) return;
    if (outcome == Outcome::rejected) {
      ++result.unusable;
      result.problems.push_back(problem);
      return;
    }
    if (candidate.state == RevocationState::good && !fresh_enough(candidate, times)) {
      ++result.unusable;
      result.problems.push_back("REVOCATION_STALE");
      return;
    }
    if (result.state == RevocationState::revoked) return;
    if (candidate.state == RevocationState::revoked || candidate.this_update >= result.this_update) {
      auto problems = result.problems;
      int unusable = result.unusable;
      result = candidate;
      result.problems = problems;
      result.unusable = unusable;
    }
  };
  auto label = [](const std::vector<std::string>& origins, size_t i) { return i < origins.size() ? origins[i] : std::string(); };
  for (size_t i = 0; i < evidence.crls_der.size(); ++i) {
    RevocationStatus s;
    std::string problem;
    Outcome o = judged('c', evidence.crls_der[i], cert, issuer, s, problem, from_crl);
    s.origin = label(evidence.crl_origins, i);
    consider(o, s, problem);
  }
  for (size_t i = 0; i < evidence.ocsp_der.size(); ++i) {
    RevocationStatus s;
    std::string problem;
    Outcome o = judged('o', evidence.ocsp_der[i], cert, issuer, s, problem, from_ocsp);
    s.origin = label(evidence.ocsp_origins, i);
    consider(o, s, problem);
  }
  ERR_clear_error();
  return result;
}

std::string ocsp_response_from_basic(std::string_view basic_der) {
  namespace der = core::der;
  // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes }
  // ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
  std::string bytes = der::sequence({der::oid("1.3.6.1.5.5.7.48.1.1"), der::octet_string(basic_der)});
  return der::sequence({der::tlv(0x0a, std::string(1, '\0')), der::context(0, bytes)});
}

std::string ocsp_request(X509* cert, X509* issuer) {
  OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free> req(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
  if (!req || !id || !OCSP_request_add0_id(req.get(), id)) {
    OCSP_CERTID_free(id);
    return {};
  }
  unsigned char* der = nullptr;
  int len = i2d_OCSP_REQUEST(req.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len > 0 ? len : 0));
  OPENSSL_free(der);
  return out;
}

std::vector<std::string> ocsp_urls(X509* cert) { return access_urls(cert, NID_ad_OCSP); }
std::vector<std::string> ca_issuer_urls(X509* cert) { return access_urls(cert, NID_ad_ca_issuers); }

std::vector<std::string> crl_urls(X509* cert) {
  std::vector<std::string> out;
  auto* points = static_cast<STACK_OF(DIST_POINT)*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
  for (int i = 0; points && i < sk_DIST_POINT_num(points); ++i) {
    DIST_POINT* dp = sk_DIST_POINT_value(points, i);
    if (!dp->distpoint || dp->distpoint->type != 0) continue;
    GENERAL_NAMES* names = dp->distpoint->name.fullname;
    for (int k = 0; k < sk_GENERAL_NAME_num(names); ++k) {
      GENERAL_NAME* name = sk_GENERAL_NAME_value(names, k);
      if (name->type == GEN_URI)
        out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.uniformResourceIdentifier)),
                         static_cast<size_t>(ASN1_STRING_length(name->d.uniformResourceIdentifier)));
    }
  }
  sk_DIST_POINT_pop_free(points, DIST_POINT_free);
  return out;
}

}  // namespace libsign::pki
