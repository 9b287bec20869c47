// CAdES B-LT / B-LTA for .p7s/.p7m (ETSI EN 319 122-1): a signature timestamp first where one is
// missing (when a TSA is given), then the chains' certificates into SignedData.certificates and their
// CRLs / OCSP responses into SignedData.crls, then (B-LTA) one archive-time-stamp-v3 per signer with
// its ats-hash-index-v3. Everything is appended: the signed attributes and signature values keep
// their bytes, so the signatures stay valid for any CMS verifier.
#include <chrono>

#include "cms/archive_timestamp.hpp"
#include "cms/armor.hpp"
#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "cms/timestamp.hpp"
#include "core/byte_source.hpp"
#include "core/mapped_file.hpp"
#include "pki/certificate.hpp"
#include "libsign/sign.hpp"
#include "sign/atomic_output.hpp"
#include "sign/ltv_evidence.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign {
namespace {

[[noreturn]] void malformed(const std::string& why) { throw Error(ErrorCategory::format, "CMS_MALFORMED", why); }

cms::SignedDataParts parts_of(std::string_view der) {
  auto parts = cms::read_signed_data_parts(der);
  if (!parts) malformed("not a definite-length DER CMS SignedData (BER indefinite lengths cannot be extended)");
  return *parts;
}

cms::SignerParts signer_parts(const cms::SignedDataParts& parts, int index) {
  auto signer = cms::read_signer_parts(parts.signer_infos.at(static_cast<size_t>(index)));
  if (!signer) malformed("SignerInfo " + std::to_string(index) + " cannot be read");
  return *signer;
}

cms::SignedData parsed(std::string_view der, int signer_index) {
  std::string error;
  auto sd = cms::parse_signed_data(der, &error, signer_index);
  if (!sd) malformed(error);
  return std::move(*sd);
}

// B-T where missing: a signature timestamp over each signer's signature value.
std::string add_signature_timestamps(std::string der, const TsaOptions& tsa) {
  const int signers = parsed(der, 0).signer_count;
  for (int i = 0; i < signers; ++i) {
    cms::SignedData sd = parsed(der, i);
    if (sd.timestamp_token) continue;
    std::string token = sign::request_timestamp(tsa, sd.signature_value);
    cms::SignedDataAdditions add;
    add.signer_index = i;
    add.unsigned_attribute = cms::attribute(cms::kOidSignatureTimestamp, token);
    der = cms::append_to_signed_data(parts_of(der), add);
  }
  return der;
}

// The certificates a signer relies on: its own, the TSA of its signature timestamp and the TSAs of
// its archive timestamps (their chains are validation data too).
std::vector<sign::Leaf> leaves_of(const cms::SignedData& sd, const cms::SignerParts& signer) {
  std::vector<sign::Leaf> leaves;
  if (pki::Cert cert = cms::find_signer(sd, sd.certificates)) leaves.push_back({cert, sd.certificates});
  std::vector<std::string_view> tokens;
  if (sd.timestamp_token) tokens.push_back(*sd.timestamp_token);
  for (const auto& a : signer.unsigned_attributes)
    if (a.is(cms::kOidArchiveTimestampV3)) tokens.insert(tokens.end(), a.values.begin(), a.values.end());
  for (std::string_view token : tokens) {
    cms::TimestampToken t = cms::read_timestamp_token(token);
    if (t.tsa_certificate) leaves.push_back({t.tsa_certificate, t.certificates});
  }
  return leaves;
}

// B-LT: the chains and revocation data of every signer, its timestamps' TSAs included.
std::string add_validation_data(const std::string& der, const ExtendOptions& options) {
  cms::SignedData first = parsed(der, 0);
  // What the signature already carries is reused, not fetched again (and not added twice).
  pki::RevocationEvidence embedded;
  embedded.add("signed-data", first.signed_data_crls, first.signed_data_ocsp);
  embedded.add("revocation-values", first.values_crls, first.values_ocsp);
  embedded.add("adbe-archival", first.archived_crls, first.archived_ocsp);
  sign::EvidenceCollector collector(options.validation, embedded);
  sign::ValidationData data;
  cms::SignedDataParts parts = parts_of(der);
  for (int i = 0; i < first.signer_count; ++i) {
    cms::SignedData sd = parsed(der, i);
    if (!cms::find_signer(sd, sd.certificates))
      throw Error(ErrorCategory::usage, "LTV_EVIDENCE_MISSING", "the signer certificate of SignerInfo " + std::to_string(i) +
                                                                    " is not in the signature");
    for (const auto& leaf : leaves_of(sd, signer_parts(parts, i))) collector.collect(leaf, data);
  }
  cms::SignedDataAdditions add;
  add.certificates = data.certificates;
  add.crls = data.crls;
  add.ocsp_responses = data.ocsp_responses;
  return cms::append_to_signed_data(parts, add);
}

// B-LTA: an archive-time-stamp-v3 for each signer (SHA-256 imprint and hash index).
std::string add_archive_timestamps(std::string der, const core::ByteSource& content, const TsaOptions& tsa) {
  const EVP_MD* md = EVP_sha256();
  const std::string content_digest = cms::digest_ranges(content, {{0, content.bytes.size()}}, md);
  const int signers = parsed(der, 0).signer_count;
  for (int i = 0; i < signers; ++i) {
    cms::SignedDataParts parts = parts_of(der);
    cms::SignerParts signer = signer_parts(parts, i);
    std::string index = cms::make_ats_hash_index_v3(parts, signer, md);
    std::string input = cms::ats_v3_imprint_input(parts, signer, content_digest, index);
    std::string token = sign::request_timestamp_for_digest(tsa, cms::digest_bytes(input, md));
    // The hash index goes into the token's own unsigned attributes (its signature does not cover them).
    cms::SignedDataAdditions index_attr;
    index_attr.unsigned_attribute = cms::attribute(cms::kOidAtsHashIndexV3, index);
    std::string token_with_index = cms::append_to_signed_data(parts_of(token), index_attr);
    cms::SignedDataAdditions ats;
    ats.signer_index = i;
    ats.unsigned_attribute = cms::attribute(cms::kOidArchiveTimestampV3, token_with_index);
    der = cms::append_to_signed_data(parts, ats);
  }
  return der;
}

}  // namespace

std::string extend_cms(std::string_view signature, std::optional<std::string_view> content, const ExtendOptions& options) {
  if (options.to != PadesLevel::b_lt && options.to != PadesLevel::b_lta)
    throw Error(ErrorCategory::usage, "EXTEND_LEVEL_INVALID", "a signature can be extended to B-LT or B-LTA");
  const bool lta = options.to == PadesLevel::b_lta;
  const bool have_tsa = options.tsa && !options.tsa->url.empty();
  if (lta && !have_tsa) throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "CAdES B-LTA needs a time-stamping authority URL");
  std::optional<std::string> input = cms::signed_data_der(signature);
  if (!input) malformed("not a CMS SignedData (DER, PEM or Base64)");
  std::string der = *input;
  cms::SignedData sd = parsed(der, 0);
  if (lta && !sd.has_econtent && !content)
    throw Error(ErrorCategory::usage, "CMS_CONTENT_MISSING", "a detached signature needs its content for B-LTA (--content)");

  if (have_tsa) der = add_signature_timestamps(der, *options.tsa);
  der = add_validation_data(der, options);
  if (lta) {
    // An enclosed content is the one signed, whatever is given beside it (as verification does).
    std::string_view data = sd.has_econtent ? std::string_view(sd.econtent) : *content;
    der = add_archive_timestamps(der, core::ByteSource{data}, *options.tsa);
  }
  parsed(der, 0);  // what we wrote reads back
  const bool pem = !cms::looks_like_signed_data(signature);
  return pem ? cms::to_pem(der) : der;
}

void extend_cms_file(const std::string& input, const std::string& output, const ExtendOptions& options,
                     const std::string& content_path, bool allow_overwrite) {
  sign::write_derived_file(input, output, allow_overwrite, [&](std::string_view signature) {
    if (content_path.empty()) return extend_cms(signature, std::nullopt, options);
    core::MappedFile content(content_path);
    return extend_cms(signature, content.bytes(), options);
  });
}

}  // namespace libsign
