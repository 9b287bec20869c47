// RFC 3161 timestamp tokens (signature timestamps and PDF document timestamps).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "pki/openssl_ptr.hpp"

namespace libsign::cms {

struct TimestampToken {
  bool parsed = false;
  std::string error;               // why it could not be read or verified
  const EVP_MD* imprint_md = nullptr;
  std::string imprint_digest_name;
  std::string imprint;             // raw digest bytes the token vouches for
  long long gen_time = 0;          // unix seconds
  bool signature_valid = false;    // the token's CMS signature and its content digest
  pki::Cert tsa_certificate;       // the signer of the token (when found)
  std::vector<pki::Cert> certificates;
  bool tsa_key_usage_ok = false;   // extendedKeyUsage timeStamping (RFC 3161 §2.3)
};

TimestampToken read_timestamp_token(std::string_view der);

}  // namespace libsign::cms
