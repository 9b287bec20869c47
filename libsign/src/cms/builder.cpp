#include "cms/builder.hpp"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include "cms/digests.hpp"
#include "core/der_writer.hpp"
#include "libsign/error.hpp"
#include "pki/certificate.hpp"

namespace libsign::cms {
namespace der = core::der;
namespace {

constexpr const char* kIdData = "1.2.840.113549.1.7.1";
constexpr const char* kIdSignedData = "1.2.840.113549.1.7.2";
constexpr const char* kContentType = "1.2.840.113549.1.9.3";
constexpr const char* kMessageDigest = "1.2.840.113549.1.9.4";
constexpr const char* kSigningTime = "1.2.840.113549.1.9.5";
constexpr const char* kSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
constexpr const char* kTimeStampToken = "1.2.840.113549.1.9.16.2.14";
constexpr const char* kRsaEncryption = "1.2.840.113549.1.1.1";

const EVP_MD* require_digest(const std::string& name) {
  const EVP_MD* md = digest_by_name(name);
  if (!md) throw Error(ErrorCategory::usage, "DIGEST_ALGORITHM_UNSUPPORTED", "unsupported digest " + name);
  return md;
}

std::string oid_text(int nid) {
  char buf[80];
  OBJ_obj2txt(buf, sizeof buf, OBJ_nid2obj(nid), 1);
  return buf;
}

std::string attribute(const char* oid, const std::string& value) { return der::sequence({der::oid(oid), der::set({value})}); }

// issuer Name and serial INTEGER of the signer certificate, as DER.
struct IssuerSerial {
  std::string issuer, serial;
};

IssuerSerial parse_issuer_serial(const std::string& cert_der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(cert_der.data());
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
  if (!cert) throw Error(ErrorCategory::format, "KEY_FILE_INVALID", "the signer certificate cannot be read");
  auto encode = [](auto* value, auto i2d) {
    unsigned char* out = nullptr;
    int len = i2d(value, &out);
    std::string s(reinterpret_cast<char*>(out), static_cast<size_t>(len > 0 ? len : 0));
    OPENSSL_free(out);
    return s;
  };
  return {encode(X509_get_issuer_name(cert.get()), i2d_X509_NAME),
          encode(X509_get0_serialNumber(cert.get()), i2d_ASN1_INTEGER)};
}

// Decoding a certificate costs as much as an RSA signature with OpenSSL 3.0 (its public-key
// decoder): a signer signing many documents reuses the last answer.
IssuerSerial issuer_serial(const std::string& cert_der) {
  thread_local std::string last_der;
  thread_local IssuerSerial last;
  if (cert_der != last_der) {
    last = parse_issuer_serial(cert_der);
    last_der = cert_der;
  }
  return last;
}

}  // namespace

std::string signed_attributes(const SignedDataInput& input) {
  if (input.certificates.empty()) throw Error(ErrorCategory::usage, "KEY_FILE_INVALID", "no signer certificate");
  const std::string& signer = input.certificates.front();
  IssuerSerial is = issuer_serial(signer);
  // ESSCertIDv2 with the default hash (SHA-256, so hashAlgorithm is omitted) and issuerSerial.
  std::string general_names = der::sequence({der::context(4, is.issuer)});
  std::string cert_id = der::sequence({der::octet_string(digest_bytes(signer, EVP_sha256())), der::sequence({general_names, is.serial})});
  std::string signing_certificate_v2 = der::sequence({der::sequence({cert_id})});
  std::vector<std::string> attrs = {
      attribute(kContentType, der::oid(kIdData)),
      attribute(kMessageDigest, der::octet_string(input.content_digest)),
      attribute(kSigningCertificateV2, signing_certificate_v2),
  };
  if (input.signing_time) attrs.push_back(attribute(kSigningTime, der::utc_time(*input.signing_time)));
  return der::set_of(attrs);
}

std::string assemble_signed_data(const SignedDataInput& input, const std::string& signed_attributes_der,
                                 const std::string& signature_value, const std::string& key_type,
                                 const std::optional<std::string>& timestamp_token) {
  const EVP_MD* md = require_digest(input.digest_name);
  std::string digest_algorithm = der::algorithm(oid_text(EVP_MD_get_type(md)), false);
  std::string signature_algorithm;
  if (key_type == "ec") {
    int nid = NID_undef;
    OBJ_find_sigid_by_algs(&nid, EVP_MD_get_type(md), NID_X9_62_id_ecPublicKey);
    signature_algorithm = der::algorithm(oid_text(nid), false);
  } else {
    signature_algorithm = der::algorithm(kRsaEncryption, true);
  }
  IssuerSerial is = issuer_serial(input.certificates.front());
  // The signed attributes appear as [0] IMPLICIT: the same bytes with the SET tag replaced.
  std::string implicit_attrs = signed_attributes_der;
  implicit_attrs[0] = static_cast<char>(0xa0);
  std::vector<std::string> signer_info = {der::integer(1), der::sequence({is.issuer, is.serial}), digest_algorithm,
                                          implicit_attrs, signature_algorithm, der::octet_string(signature_value)};
  if (timestamp_token)
    signer_info.push_back(der::context(1, der::sequence({der::oid(kTimeStampToken), der::set({*timestamp_token})})));
  std::string certificates;
  for (const auto& c : input.certificates) certificates += c;
  std::string encapsulated = input.encapsulated_content
                                 ? der::sequence({der::oid(kIdData), der::context(0, der::octet_string(*input.encapsulated_content))})
                                 : der::sequence({der::oid(kIdData)});
  std::string signed_data = der::sequence({der::integer(1), der::set({digest_algorithm}), encapsulated,
                                           der::context(0, certificates), der::set({der::sequence(signer_info)})});
  return der::sequence({der::oid(kIdSignedData), der::context(0, signed_data)});
}

}  // namespace libsign::cms
