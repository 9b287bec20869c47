// Why a CMS signature value that does not verify would verify: faults of signing software that
// leave the content intact but break the encoding rules conforming verifiers apply. Naming them
// tells a clerk "the signer's software is at fault, the document is as signed" instead of
// "the signature is invalid". They stay failures (FORMAT_FAILURE): libsign never accepts them.
#pragma once
#include <string>
#include <string_view>

#include "cms/signed_data.hpp"

namespace libsign::cms {

// The signed attributes [0] of SignerInfo `signer_index` exactly as written in `content_info_der`,
// with the tag turned into SET (0x31) — the bytes a signer hashes. Empty when the walk fails
// (BER indefinite lengths, malformed input).
std::string signed_attributes_as_written(std::string_view content_info_der, int signer_index);

// Each flag is a fault that had to be undone for the value to verify.
struct NearMiss {
  bool signed_attributes_not_der = false;  // verifies over the attributes as written, not their DER encoding
  bool rsa_length_wrong = false;           // an RSA value with leading zero bytes dropped or added
  bool ecdsa_value_not_der = false;        // an ECDSA-Sig-Value with non-minimal or negative INTEGERs
  size_t value_bytes = 0;                  // the signature value as written
  size_t key_bytes = 0;                    // RSA: what the key's modulus requires
  bool verifies = false;                   // the value verifies once the flagged faults are undone (maybe none)
  bool any() const { return signed_attributes_not_der || rsa_length_wrong || ecdsa_value_not_der; }
};

// Called after the signature was found invalid. Only RSA PKCS#1 v1.5 and ECDSA with signed attributes.
// `verifies` false when no such fault explains it (a wrong value, another key, a changed attribute);
// true with nothing flagged when the value is fine and OpenSSL refused the attribute set itself.
NearMiss explain_invalid_signature(const SignedData& sd, X509* signer);

// An RSA value brought to `key_bytes` (leading zeros added or removed); "" when that is not possible
// (extra leading bytes that are not zero) or the value already has that length.
std::string rsa_value_adjusted(std::string_view value, size_t key_bytes);

// An ECDSA-Sig-Value read leniently (any length form, r and s as unsigned numbers) and written in DER;
// "" when it is not two INTEGERs in a SEQUENCE or is DER already.
std::string ecdsa_value_as_der(std::string_view value);

}  // namespace libsign::cms
