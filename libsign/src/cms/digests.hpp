// Digest algorithms by OID or name, without OpenSSL's global name table: the first
// EVP_get_digestbyobj() call registers every cipher and digest name (about 1 ms), a large share of
// a one-shot CLI run. The digests a signature may use are few; anything else is unsupported.
#pragma once
#include <string>

#include <openssl/evp.h>
#include <openssl/objects.h>

namespace libsign::cms {

const EVP_MD* digest_by_nid(int nid);                 // nullptr when not supported
const EVP_MD* digest_by_object(const ASN1_OBJECT* oid);
const EVP_MD* digest_by_name(const std::string& name);  // lower-case short names: "sha256", ...
std::string digest_name(const EVP_MD* md);              // "sha256", "sha1", "sha3-256", "shake256"

}  // namespace libsign::cms
