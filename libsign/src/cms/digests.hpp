// Digest algorithms by OID or name, without OpenSSL's global name table: the first
// EVP_get_digestbyobj() call registers every cipher and digest name (about 1 ms), a large share of
// a one-shot CLI run. The digests a signature may use are few; anything else is unsupported.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/byte_source.hpp"

#include <openssl/evp.h>
#include <openssl/objects.h>

namespace libsign::cms {

const EVP_MD* digest_by_nid(int nid);                 // nullptr when not supported
const EVP_MD* digest_by_object(const ASN1_OBJECT* oid);
const EVP_MD* digest_by_name(const std::string& name);  // lower-case short names: "sha256", ...
std::string digest_name(const EVP_MD* md);              // "sha256", "sha1", "sha3-256", "shake256"

// Digest of byte ranges (offset, length) of `source`: ranges of a file of 1 MiB or more are read
// with pread() in chunks (see core/byte_source.hpp); the others straight from memory.
std::string digest_ranges(const core::ByteSource& source, const std::vector<std::pair<size_t, size_t>>& ranges,
                          const EVP_MD* md);
inline std::string digest_bytes(std::string_view bytes, const EVP_MD* md) {
  return digest_ranges(core::ByteSource{bytes}, {{0, bytes.size()}}, md);
}
// Adds ranges of `source` to a running digest, the same way.
void digest_update(EVP_MD_CTX* ctx, const core::ByteSource& source, size_t offset, size_t length);
// Finishes a digest (SHAKE functions at their CMS output length).
std::string digest_final(EVP_MD_CTX* ctx);

}  // namespace libsign::cms
