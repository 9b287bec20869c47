#include "cms/digests.hpp"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "pki/openssl_ptr.hpp"

namespace libsign::cms {

const EVP_MD* digest_by_nid(int nid) {
  switch (nid) {
    case NID_md5: return EVP_md5();
    case NID_sha1: return EVP_sha1();
    case NID_sha224: return EVP_sha224();
    case NID_sha256: return EVP_sha256();
    case NID_sha384: return EVP_sha384();
    case NID_sha512: return EVP_sha512();
    case NID_sha3_224: return EVP_sha3_224();
    case NID_sha3_256: return EVP_sha3_256();
    case NID_sha3_384: return EVP_sha3_384();
    case NID_sha3_512: return EVP_sha3_512();
    case NID_shake128: return EVP_shake128();
    case NID_shake256: return EVP_shake256();
    default: return nullptr;
  }
}

const EVP_MD* digest_by_object(const ASN1_OBJECT* oid) { return oid ? digest_by_nid(OBJ_obj2nid(oid)) : nullptr; }

const EVP_MD* digest_by_name(const std::string& name) {
  for (int nid : {NID_md5, NID_sha1, NID_sha224, NID_sha256, NID_sha384, NID_sha512, NID_sha3_224, NID_sha3_256,
                  NID_sha3_384, NID_sha3_512, NID_shake128, NID_shake256}) {
    if (digest_name(digest_by_nid(nid)) == name) return digest_by_nid(nid);
  }
  return nullptr;
}

std::string digest_name(const EVP_MD* md) {
  if (!md) return {};
  std::string name = OBJ_nid2sn(EVP_MD_get_type(md));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name.rfind("sha3-", 0) != 0) name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  return name;
}

namespace {

constexpr size_t kChunk = 1u << 20;

// Feeds [offset, offset+length) of the file to the digest with pread(); false if reading failed.
bool update_from_file(EVP_MD_CTX* ctx, int fd, size_t offset, size_t length) {
  thread_local std::vector<char> buffer(kChunk);
  while (length > 0) {
    ssize_t got = ::pread(fd, buffer.data(), std::min(length, kChunk), static_cast<off_t>(offset));
    if (got <= 0) return false;
    EVP_DigestUpdate(ctx, buffer.data(), static_cast<size_t>(got));
    offset += static_cast<size_t>(got);
    length -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

void digest_update(EVP_MD_CTX* ctx, const core::ByteSource& source, size_t offset, size_t length) {
  if (source.fd >= 0 && length >= kChunk) {
    pki::MdCtxPtr attempt(EVP_MD_CTX_new());
    EVP_MD_CTX_copy_ex(attempt.get(), ctx);
    if (update_from_file(attempt.get(), source.fd, offset, length)) {
      EVP_MD_CTX_copy_ex(ctx, attempt.get());
      return;
    }
  }
  EVP_DigestUpdate(ctx, source.bytes.data() + offset, length);  // a short read falls back to the map
}

std::string digest_final(EVP_MD_CTX* ctx) {
  const EVP_MD* md = EVP_MD_CTX_get0_md(ctx);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) {
    // CMS fixes the output length of the SHAKE functions: 256 bits for SHAKE128, 512 for SHAKE256 (RFC 8419, RFC 8702).
    len = EVP_MD_is_a(md, "SHAKE256") ? 64 : 32;
    EVP_DigestFinalXOF(ctx, out, len);
  } else {
    EVP_DigestFinal_ex(ctx, out, &len);
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string digest_ranges(const core::ByteSource& source, const std::vector<std::pair<size_t, size_t>>& ranges,
                          const EVP_MD* md) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  for (const auto& [offset, length] : ranges) digest_update(ctx.get(), source, offset, length);
  return digest_final(ctx.get());
}

}  // namespace libsign::cms
