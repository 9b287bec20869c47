#include "cms/signed_data.hpp"

#include <algorithm>
#include <cstring>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "cms/digests.hpp"
#include "cms/near_miss.hpp"
#include "cms/revocation_values.hpp"
#include "core/der_reader.hpp"
#include "pki/certificate.hpp"

namespace libsign::cms {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

std::string asn1_string_bytes(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
}

// ESS SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT sha256, certHash OCTET STRING, ... }
// ESSCertID   ::= SEQUENCE { certHash OCTET STRING (SHA-1), ... }
void parse_ess(std::string_view der, EssKind kind, std::vector<EssCertId>& out) {
  core::DerReader top(der);
  auto outer = top.next();
  if (!outer || outer->tag != 0x30) return;
  core::DerReader fields(outer->content);
  auto certs = fields.next();
  if (!certs || certs->tag != 0x30) return;
  core::DerReader ids(certs->content);
  while (!ids.empty()) {
    auto id = ids.next();
    if (!id || id->tag != 0x30) return;
    core::DerReader parts(id->content);
    auto first = parts.next();
    if (!first) return;
    EssCertId cert_id;
    cert_id.digest_name = kind == EssKind::v1 ? "sha1" : "sha256";
    if (first->tag == 0x30) {  // v2 with an explicit hashAlgorithm
      core::DerReader alg(first->content);
      auto oid = alg.next();
      if (!oid || oid->tag != 0x06) return;
      const unsigned char* p = reinterpret_cast<const unsigned char*>(oid->whole.data());
      ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(oid->whole.size()));
      if (!obj) return;
      const EVP_MD* md = digest_by_object(obj);
      ASN1_OBJECT_free(obj);
      cert_id.digest_name = digest_name(md);
      first = parts.next();
      if (!first) return;
    }
    if (first->tag != 0x04) return;
    cert_id.hash = std::string(first->content);
    out.push_back(std::move(cert_id));
  }
}

// RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
//   ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] ... OPTIONAL }
void parse_revocation_archival(std::string_view der, SignedData& sd) {
  core::DerReader top(der);
  auto outer = top.next();
  if (!outer || outer->tag != 0x30) return;
  core::DerReader fields(outer->content);
  while (!fields.empty()) {
    auto field = fields.next();
    if (!field) return;
    if (field->tag != 0xa0 && field->tag != 0xa1) continue;
    core::DerReader wrapper(field->content);
    auto list = wrapper.next();
    if (!list || list->tag != 0x30) continue;
    core::DerReader items(list->content);
    while (!items.empty()) {
      auto item = items.next();
      if (!item) break;
      (field->tag == 0xa0 ? sd.archived_crls : sd.archived_ocsp).emplace_back(item->whole);
    }
  }
}

std::string sequence_der(const ASN1_TYPE* value) {
  if (!value || value->type != V_ASN1_SEQUENCE || !value->value.sequence) return {};
  return asn1_string_bytes(value->value.sequence);
}

std::string oid_text(const ASN1_OBJECT* obj) {
  char buf[80];
  return obj && OBJ_obj2txt(buf, sizeof buf, obj, 1) > 0 ? std::string(buf) : std::string("?");
}

void read_signed_attributes(SignedData& sd) {
  CMS_SignerInfo* si = sd.signer_info;
  sd.has_signed_attributes = CMS_signed_get_attr_count(si) > 0;
  static const int adbe_nid = [] {
    int nid = OBJ_txt2nid("1.2.840.113583.1.1.8");
    return nid != NID_undef ? nid : OBJ_create("1.2.840.113583.1.1.8", "adbe-revocationInfoArchival", "Adobe revocation info archival");
  }();
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, i);
    int nid = OBJ_obj2nid(X509_ATTRIBUTE_get0_object(attr));
    ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
    if (!value) continue;
    if (nid == NID_pkcs9_contentType) {
      sd.content_type_attrs.push_back(value->type == V_ASN1_OBJECT ? oid_text(value->value.object) : std::string("?"));
    } else if (nid == NID_pkcs9_messageDigest && value->type == V_ASN1_OCTET_STRING) {
      sd.message_digest = asn1_string_bytes(value->value.octet_string);
    } else if (nid == NID_pkcs9_signingTime && (value->type == V_ASN1_UTCTIME || value->type == V_ASN1_GENERALIZEDTIME)) {
      sd.signing_time = pki::asn1_time_to_unix(reinterpret_cast<const ASN1_TIME*>(value->value.asn1_string));
    } else if (nid == NID_id_smime_aa_signingCertificateV2) {
      sd.ess_kind = EssKind::v2;
      parse_ess(sequence_der(value), EssKind::v2, sd.ess_ids);
    } else if (nid == NID_id_smime_aa_signingCertificate) {
      sd.ess_kind = EssKind::v1;
      parse_ess(sequence_der(value), EssKind::v1, sd.ess_ids);
    } else if (nid == adbe_nid) {
      parse_revocation_archival(sequence_der(value), sd);
    }
  }
  int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (idx >= 0) {
    std::string token = sequence_der(X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0));
    if (!token.empty()) sd.timestamp_token = token;
  }
}

// CAdES validation data in the unsigned attributes: certificate-values and revocation-values.
void read_cades_values(SignedData& sd) {
  CMS_SignerInfo* si = sd.signer_info;
  for (int i = -1; (i = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_ets_certValues, i)) >= 0;) {
    for (const auto& der : certificate_values(sequence_der(X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, i), 0)))) {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      if (X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()))) sd.certificate_values.emplace_back(cert, X509_free);
    }
  }
  for (int i = -1; (i = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_ets_revocationValues, i)) >= 0;) {
    RevocationLists values = revocation_values(sequence_der(X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, i), 0)));
    sd.values_crls.insert(sd.values_crls.end(), values.crls.begin(), values.crls.end());
    sd.values_ocsp.insert(sd.values_ocsp.end(), values.ocsp.begin(), values.ocsp.end());
    sd.other_revocation_formats += values.other_formats;
  }
}

// SignedData.crls: walked in the bytes as given, or in OpenSSL's re-encoding when those are BER.
void read_signed_data_revocation(SignedData& sd, std::string_view der) {
  RevocationLists lists = signed_data_revocation(der);
  if (!lists.walked) {
    unsigned char* reencoded = nullptr;
    int len = i2d_CMS_ContentInfo(sd.cms.get(), &reencoded);
    if (len > 0) lists = signed_data_revocation(std::string_view(reinterpret_cast<char*>(reencoded), static_cast<size_t>(len)));
    OPENSSL_free(reencoded);
  }
  sd.signed_data_crls = std::move(lists.crls);
  sd.signed_data_ocsp = std::move(lists.ocsp);
  sd.other_revocation_formats += lists.other_formats;
}

}  // namespace

std::optional<SignedData> parse_signed_data(std::string_view der, std::string* error, int signer_index) {
  auto fail = [&](const std::string& why) -> std::optional<SignedData> {
    if (error) *error = why;
    ERR_clear_error();
    return std::nullopt;
  };
  if (der.empty()) return fail("empty signature value");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  SignedData sd;
  sd.cms.reset(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!sd.cms) return fail("not DER-encoded CMS: " + pki::openssl_error());
  if (OBJ_obj2nid(CMS_get0_type(sd.cms.get())) != NID_pkcs7_signed) return fail("CMS is not SignedData");
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(sd.cms.get());
  sd.signer_count = sk_CMS_SignerInfo_num(infos);
  if (sd.signer_count < 1) return fail("CMS SignedData has no SignerInfo");
  if (signer_index < 0 || signer_index >= sd.signer_count) return fail("no SignerInfo " + std::to_string(signer_index));
  sd.signer_info = sk_CMS_SignerInfo_value(infos, signer_index);

  if (STACK_OF(X509)* certs = CMS_get1_certs(sd.cms.get())) {
    for (int i = 0; i < sk_X509_num(certs); ++i) sd.certificates.push_back(pki::share_up_ref(sk_X509_value(certs, i)));
    sk_X509_pop_free(certs, X509_free);
  }
  sd.econtent_type = oid_text(CMS_get0_eContentType(sd.cms.get()));
  ASN1_OCTET_STRING** content = CMS_get0_content(sd.cms.get());
  if (content && *content) {
    sd.has_econtent = true;
    sd.econtent = asn1_string_bytes(*content);
  }

  X509_ALGOR* digest_alg = nullptr;
  X509_ALGOR* signature_alg = nullptr;
  CMS_SignerInfo_get0_algs(sd.signer_info, nullptr, nullptr, &digest_alg, &signature_alg);
  if (digest_alg) {
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, digest_alg);
    sd.digest = digest_by_object(obj);
    if (sd.digest) {
      sd.digest_name = digest_name(sd.digest);
    } else {
      char buf[80];
      OBJ_obj2txt(buf, sizeof buf, obj, 0);
      sd.digest_name = lower(buf);
    }
  }
  if (signature_alg) {
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, signature_alg);
    char buf[80];
    OBJ_obj2txt(buf, sizeof buf, obj, 0);
    sd.signature_algorithm = buf;
  }
  if (ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(sd.signer_info)) sd.signature_value = asn1_string_bytes(sig);
  read_signed_attributes(sd);
  if (sd.has_signed_attributes) sd.signed_attributes_as_written = signed_attributes_as_written(der, signer_index);
  read_cades_values(sd);
  read_signed_data_revocation(sd, der);
  ERR_clear_error();
  return sd;
}

pki::Cert find_signer(const SignedData& sd, const std::vector<pki::Cert>& candidates) {
  for (const auto& c : candidates) {
    if (CMS_SignerInfo_cert_cmp(sd.signer_info, c.get()) == 0) return c;
  }
  return nullptr;
}

pki::Cert find_signer_by_serial(const SignedData& sd, const std::vector<pki::Cert>& candidates) {
  ASN1_OCTET_STRING* key_id = nullptr;
  X509_NAME* issuer = nullptr;
  ASN1_INTEGER* serial = nullptr;
  if (CMS_SignerInfo_get0_signer_id(sd.signer_info, &key_id, &issuer, &serial) != 1 || !serial) return nullptr;
  pki::Cert found;
  for (const auto& c : candidates) {
    if (ASN1_INTEGER_cmp(X509_get0_serialNumber(c.get()), serial) != 0) continue;
    if (found) return nullptr;  // ambiguous: refuse to guess
    found = c;
  }
  return found;
}

bool ess_matches(const SignedData& sd, X509* signer) {
  if (sd.ess_ids.empty()) return false;
  const EssCertId& id = sd.ess_ids.front();  // the first entry identifies the signer (RFC 5035)
  const EVP_MD* md = digest_by_name(id.digest_name);
  if (!md) return false;
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!X509_digest(signer, md, hash, &len)) return false;
  return id.hash.size() == len && std::memcmp(id.hash.data(), hash, len) == 0;
}

namespace {
bool is_eddsa(EVP_PKEY* key) {
  const int id = key ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE;
  return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448;
}

// EdDSA signs the message itself (no digest step): with signed attributes, their SET encoding.
SignatureCheck verify_eddsa(const SignedData& sd, EVP_PKEY* key) {
  if (!sd.has_signed_attributes || sd.signed_attributes_as_written.empty()) return SignatureCheck::unsupported;
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  const auto* message = reinterpret_cast<const unsigned char*>(sd.signed_attributes_as_written.data());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sd.signature_value.data()),
                                   sd.signature_value.size(), message, sd.signed_attributes_as_written.size()) == 1;
  ERR_clear_error();
  return ok ? SignatureCheck::valid : SignatureCheck::invalid;
}
}  // namespace

std::optional<std::string> eddsa_required_digest(const SignedData& sd, X509* signer) {
  EVP_PKEY* key = signer ? X509_get0_pubkey(signer) : nullptr;
  if (!is_eddsa(key)) return std::nullopt;
  const std::string required = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? "sha512" : "shake256";
  if (sd.digest_name == required) return std::nullopt;
  return required;
}

SignatureCheck verify_signature_value(const SignedData& sd, X509* signer, const std::string& content_digest) {
  if (EVP_PKEY* key = X509_get0_pubkey(signer); is_eddsa(key)) return verify_eddsa(sd, key);
  if (sd.has_signed_attributes) {
    CMS_SignerInfo_set1_signer_cert(sd.signer_info, signer);
    int rc = CMS_SignerInfo_verify(sd.signer_info);
    ERR_clear_error();
    if (rc == 1) return SignatureCheck::valid;
    if (rc == 0) return SignatureCheck::invalid;
    // An error: an algorithm OpenSSL lacks, or a value it cannot decode (a malformed ECDSA-Sig-Value
    // fails this way). With an RSA or EC key and a known digest it is the value, not the algorithm.
    EVP_PKEY* key = X509_get0_pubkey(signer);
    const int id = key ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE;
    return (id == EVP_PKEY_RSA || id == EVP_PKEY_EC) && sd.digest ? SignatureCheck::invalid : SignatureCheck::unsupported;
  }
  // No signed attributes: the signature is over the content digest directly.
  EVP_PKEY* key = X509_get0_pubkey(signer);
  if (!key || !sd.digest) return SignatureCheck::unsupported;
  int id = EVP_PKEY_get_base_id(key);
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC) return SignatureCheck::unsupported;
  if (sd.signature_algorithm == "1.2.840.113549.1.1.10") return SignatureCheck::unsupported;  // PSS without attributes
  pki::PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) <= 0) return SignatureCheck::unsupported;
  if (id == EVP_PKEY_RSA) EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), sd.digest) <= 0) return SignatureCheck::unsupported;
  int rc = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sd.signature_value.data()),
                           sd.signature_value.size(), reinterpret_cast<const unsigned char*>(content_digest.data()),
                           content_digest.size());
  ERR_clear_error();
  return rc == 1 ? SignatureCheck::valid : SignatureCheck::invalid;
}

}  // namespace libsign::cms
