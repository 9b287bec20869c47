#include "cms/timestamp.hpp"

#include <algorithm>

#include <openssl/x509v3.h>

#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "pki/certificate.hpp"

namespace libsign::cms {

TimestampToken read_timestamp_token(std::string_view der) {
  TimestampToken token;
  std::string error;
  auto sd = parse_signed_data(der, &error);
  if (!sd) {
    token.error = "timestamp token is not CMS: " + error;
    return token;
  }
  if (OBJ_obj2nid(CMS_get0_eContentType(sd->cms.get())) != NID_id_smime_ct_TSTInfo || !sd->has_econtent) {
    token.error = "timestamp token does not hold a TSTInfo";
    return token;
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(sd->econtent.data());
  pki::TstInfoPtr info(d2i_TS_TST_INFO(nullptr, &p, static_cast<long>(sd->econtent.size())));
  if (!info) {
    token.error = "TSTInfo is malformed";
    ERR_clear_error();
    return token;
  }
  token.parsed = true;
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
  const ASN1_OBJECT* alg = nullptr;
  X509_ALGOR_get0(&alg, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
  token.imprint_md = digest_by_object(alg);
  token.imprint_digest_name = digest_name(token.imprint_md);
  ASN1_OCTET_STRING* msg = TS_MSG_IMPRINT_get_msg(imprint);
  token.imprint.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(msg)), static_cast<size_t>(ASN1_STRING_length(msg)));
  token.gen_time = pki::asn1_time_to_unix(TS_TST_INFO_get_time(info.get()));
  token.certificates = sd->certificates;

  token.tsa_certificate = find_signer(*sd, sd->certificates);
  if (!token.tsa_certificate) {
    token.error = "the TSA certificate is not in the token";
    return token;
  }
  // Signature over the signed attributes, and messageDigest over the TSTInfo.
  const EVP_MD* md = sd->digest;
  if (!md || !sd->message_digest) {
    token.error = "the token has no usable digest";
    return token;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(sd->econtent.data(), sd->econtent.size(), digest, &len, md, nullptr);
  bool content_ok = sd->message_digest->size() == len && std::equal(digest, digest + len, sd->message_digest->begin(),
                                                                   [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
  bool signature_ok = verify_signature_value(*sd, token.tsa_certificate.get(), "") == SignatureCheck::valid;
  token.signature_valid = content_ok && signature_ok;
  if (!token.signature_valid) token.error = content_ok ? "the token's signature does not verify" : "the token's content digest does not match";
  X509_check_purpose(token.tsa_certificate.get(), -1, 0);
  token.tsa_key_usage_ok = (X509_get_extension_flags(token.tsa_certificate.get()) & EXFLAG_XKUSAGE) &&
                           (X509_get_extended_key_usage(token.tsa_certificate.get()) & XKU_TIMESTAMP);
  ERR_clear_error();
  return token;
}

}  // namespace libsign::cms
