// CAdES archive timestamps (ETSI EN 319 122-1 §5.5.2-5.5.3): the parts of a SignedData an
// archive-time-stamp-v3 covers, sliced from its DER in their original encoding; the ATSHashIndexV3
// (and the older ats-hash-index) that lists them; the bytes whose digest is the timestamp's imprint;
// and a rewrite of the SignedData that only appends (certificates, crls, one unsigned attribute),
// leaving every signed byte as it was.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

namespace libsign::cms {

constexpr const char* kOidArchiveTimestampV3 = "0.4.0.1733.2.4";   // archive-time-stamp-v3
constexpr const char* kOidAtsHashIndexV3 = "0.4.0.19122.1.5";      // ats-hash-index-v3
constexpr const char* kOidAtsHashIndex = "0.4.0.1733.2.5";         // ats-hash-index (older, whole attributes)
constexpr const char* kOidArchiveTimestampV2 = "1.2.840.113549.1.9.16.2.48";
constexpr const char* kOidArchiveTimestampV1 = "1.2.840.113549.1.9.16.2.27";
constexpr const char* kOidSignatureTimestamp = "1.2.840.113549.1.9.16.2.14";
constexpr const char* kOidOcspResponseInfo = "1.3.6.1.5.5.7.16.2";  // id-ri-ocsp-response (RFC 5940)

// One unsigned attribute: its type (OID TLV) and each AttributeValue TLV. Views into the DER read.
struct AttributeParts {
  std::string_view type;
  std::vector<std::string_view> values;
  std::string_view whole;
  bool is(const char* dotted_oid) const;
};

struct SignerParts {
  std::string_view signed_fields;  // version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature
  std::vector<AttributeParts> unsigned_attributes;
};

// A ContentInfo of a SignedData, cut into its parts. Views into the DER given to read_signed_data_parts.
struct SignedDataParts {
  std::string_view content_info_type;  // OID TLV
  int version = 1;
  std::string_view digest_algorithms;  // SET TLV
  std::string_view encap_content_info; // SEQUENCE TLV
  std::string_view content_type;       // eContentType OID TLV
  std::vector<std::string_view> certificates;  // each CertificateChoices TLV
  std::vector<std::string_view> crls;          // each RevocationInfoChoice TLV
  std::vector<std::string_view> signer_infos;  // each SignerInfo TLV
};

// nullopt when `der` is not a definite-length ContentInfo of a SignedData (BER indefinite lengths included).
std::optional<SignedDataParts> read_signed_data_parts(std::string_view der);
std::optional<SignerParts> read_signer_parts(std::string_view signer_info);

// What to append. Items already present (same bytes) are not added twice.
struct SignedDataAdditions {
  std::vector<std::string> certificates;  // DER certificates
  std::vector<std::string> crls;          // DER CertificateLists
  std::vector<std::string> ocsp_responses;  // DER OCSPResponses, written as RFC 5940 other revocation info
  int signer_index = 0;
  std::optional<std::string> unsigned_attribute;  // a whole Attribute TLV appended to that signer's unsignedAttrs
};
// The ContentInfo with the additions (SignedData version 5 once an "other" revocation format is present).
std::string append_to_signed_data(const SignedDataParts& parts, const SignedDataAdditions& additions);

// An Attribute TLV: type and one value.
std::string attribute(const char* dotted_oid, std::string_view value_der);

struct AtsHashIndex {
  bool v3 = true;                  // ats-hash-index-v3 (attribute values) or ats-hash-index (whole attributes)
  const EVP_MD* md = nullptr;      // hashIndAlgorithm (default SHA-256); nullptr when unsupported
  std::vector<std::string> certificates, crls, unsigned_attributes;  // raw hashes
  std::string_view der;            // the ATSHashIndex(V3) value as encoded in the token
};

// The ATSHashIndexV3 value DER (hashIndAlgorithm left out for SHA-256, its DEFAULT).
std::string make_ats_hash_index_v3(const SignedDataParts& parts, const SignerParts& signer, const EVP_MD* md);
std::optional<AtsHashIndex> parse_ats_hash_index(std::string_view value_der, bool v3);
// The index of an archive timestamp token: its ats-hash-index-v3 (or, failing that, ats-hash-index)
// unsigned attribute. nullopt when the token carries neither.
std::optional<AtsHashIndex> ats_hash_index_of(std::string_view token_der);

// The first entry of `index` that matches nothing present in `parts`/`signer`, described as
// "certificate 2", "crl 0" or "unsigned attribute 1"; nullopt when every entry is found.
// Elements present but not in the index are fine (added after the timestamp).
std::optional<std::string> unmatched_index_entry(const AtsHashIndex& index, const SignedDataParts& parts,
                                                 const SignerParts& signer);

// The input of the archive-time-stamp-v3 imprint: eContentType, the content digest (with the imprint's
// algorithm), the signer's signed fields, then the hash index value, all in their encoded form.
std::string ats_v3_imprint_input(const SignedDataParts& parts, const SignerParts& signer, std::string_view content_digest,
                                 std::string_view hash_index_der);

}  // namespace libsign::cms
