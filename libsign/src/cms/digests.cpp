#include "cms/digests.hpp"

#include <algorithm>

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

}  // namespace libsign::cms
