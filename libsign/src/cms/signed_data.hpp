// Reading a CMS SignedData signature (PAdES / PKCS#7 detached) and checking its parts.
// This module knows CMS and OpenSSL; it knows nothing of PDF.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pki/openssl_ptr.hpp"

namespace libsign::cms {

// One certificate reference of an ESS signing-certificate attribute.
struct EssCertId {
  std::string digest_name;  // "sha1" for v1, the hashAlgorithm for v2 (default sha256)
  std::string hash;         // raw bytes
};

enum class EssKind { none, v1, v2 };

struct SignedData {
  pki::CmsPtr cms;
  CMS_SignerInfo* signer_info = nullptr;  // the signer read (parse_signed_data's signer_index); owned by cms
  int signer_count = 0;                   // SignerInfos in the SignedData
  std::vector<pki::Cert> certificates;    // as embedded
  bool has_econtent = false;
  std::string econtent;
  bool has_signed_attributes = false;
  const EVP_MD* digest = nullptr;         // nullptr when unsupported
  std::string digest_name;                // "sha256", "sha1", ... (OpenSSL short name, lower case)
  std::string signature_algorithm;        // long name, e.g. "sha256WithRSAEncryption"
  std::optional<std::string> message_digest;
  std::optional<long long> signing_time;  // unix seconds
  EssKind ess_kind = EssKind::none;
  std::vector<EssCertId> ess_ids;
  std::vector<std::string> archived_crls, archived_ocsp;  // DER, from adbe-revocationInfoArchival
  // Outside the signed attributes (revocation_values.hpp): SignedData.crls (CertificateList and
  // RFC 5940 OCSPResponse), CAdES certValues and revocationValues (OCSP wrapped as OCSPResponse).
  std::vector<std::string> signed_data_crls, signed_data_ocsp;
  std::vector<std::string> values_crls, values_ocsp;
  std::vector<pki::Cert> certificate_values;
  int other_revocation_formats = 0;                       // revocation items of formats not read
  std::optional<std::string> timestamp_token;             // DER ContentInfo of the signature timestamp
  std::string signature_value;
  std::string signed_attributes_as_written;  // SET-tagged bytes as in the file (near_miss.hpp); empty if unread
  std::string econtent_type;                 // eContentType, dotted OID
  std::vector<std::string> content_type_attrs;  // values of the content-type signed attribute(s), dotted OIDs
};

// nullopt (and `error` set) when the bytes are not a CMS SignedData. Trailing zero padding is fine.
// `signer_index` chooses the SignerInfo (parallel signatures of one content, as in co-signed .p7s).
std::optional<SignedData> parse_signed_data(std::string_view der, std::string* error, int signer_index = 0);

// The signer's certificate among `candidates` (issuer+serial or subject key identifier).
pki::Cert find_signer(const SignedData& sd, const std::vector<pki::Cert>& candidates);

// The one certificate among `candidates` whose serial number equals the SignerIdentifier's, ignoring
// the issuer name; nullptr when none or several. Some signing libraries (node-forge, used by
// @signpdf) encode non-ASCII issuer names wrongly, so Vietnamese CA names never match byte for byte.
pki::Cert find_signer_by_serial(const SignedData& sd, const std::vector<pki::Cert>& candidates);

// Whether the ESS attribute's first certificate hash matches `signer`.
bool ess_matches(const SignedData& sd, X509* signer);

enum class SignatureCheck { valid, invalid, unsupported };
// With signed attributes: the signature over them. Without: the signature over `content_digest`
// (the digest of the signed content, computed with sd.digest).
// EdDSA (RFC 8419) is verified here, over the signed attributes as written: OpenSSL's CMS code
// refuses it.
SignatureCheck verify_signature_value(const SignedData& sd, X509* signer, const std::string& content_digest);

// RFC 8419 §3 fixes the digest algorithm of an EdDSA signer: SHA-512 for Ed25519, SHAKE256 for Ed448.
// The digest it requires when the SignerInfo names another one; nullopt otherwise (or not EdDSA).
std::optional<std::string> eddsa_required_digest(const SignedData& sd, X509* signer);

}  // namespace libsign::cms
