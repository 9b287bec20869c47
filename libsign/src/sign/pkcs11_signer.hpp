// PKCS#11 signer internals (the public API is libsign/pkcs11.hpp). Exposed for unit tests.
#pragma once
#include <string>
#include <string_view>

namespace libsign::sign {

// "CKR_PIN_INCORRECT", ... or "CKR_0x%lx" for values without a name here.
std::string ck_rv_name(unsigned long rv);
// A token's CKM_ECDSA output (r || s, each as long as the order) as a DER ECDSA-Sig-Value.
// Throws Error(token, TOKEN_ERROR) for an empty or odd-length input.
std::string ecdsa_raw_to_der(std::string_view raw);
// DER DigestInfo (RFC 8017 §9.2) for CKM_RSA_PKCS: the digest algorithm by name ("sha256"), the hash.
std::string rsa_digest_info(const std::string& digest_name, std::string_view hash);

}  // namespace libsign::sign
