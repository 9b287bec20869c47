// RFC 5280 path building and validation at a chosen time (OpenSSL's verifier), with the outcome
// explained in terms a report can use.
#pragma once
#include <string>
#include <vector>

#include "pki/openssl_ptr.hpp"
#include "pki/trust_store.hpp"

namespace libsign::pki {

enum class ChainStatus {
  ok,              // a path to a trusted anchor exists (time problems are reported separately)
  incomplete,      // an issuer certificate is missing
  untrusted_root,  // the path ends at a self-signed root that is not trusted and not known
  wrong_pki,       // the path ends at an anchor of another known profile
  invalid,         // anything else (bad CA signature, not a CA, path length, ...)
};

struct ChainResult {
  ChainStatus status = ChainStatus::invalid;
  std::vector<Cert> chain;  // leaf first, as built (possibly partial)
  bool leaf_expired = false, leaf_not_yet_valid = false;
  bool ca_time_invalid = false;  // a CA certificate is out of its validity period
  std::string anchor_profile;    // profile of the anchor (ok / wrong_pki)
  int error = 0;                 // OpenSSL X509_V_ERR_* of the failure
  int error_depth = -1;
  std::string detail;            // one line for people
};

// `extra` are the certificates that came with the signature (untrusted).
ChainResult validate_chain(const TrustStore& store, X509* leaf, const std::vector<Cert>& extra, long long at_unix);

}  // namespace libsign::pki
