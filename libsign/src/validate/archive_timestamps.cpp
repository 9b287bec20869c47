// CAdES B-LTA: archive-time-stamp-v3 (ETSI EN 319 122-1 §5.5.3). The imprint is recomputed from the
// SignedData as it is now, with the token's hash index saying which certificates, crls and unsigned
// attribute values existed when it was made (later additions are allowed, removals or changes are not).
#include <algorithm>

#include "cms/archive_timestamp.hpp"
#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "validate/archive_timestamps.hpp"
#include "validate/timestamp_judge.hpp"

namespace libsign::validate {
namespace {

std::string iso(long long t) { return core::iso_utc_unix(t); }

struct ArchiveToken {
  std::string_view der;
  cms::TimestampToken token;
};

// The bytes `ats` must vouch for, or why they cannot be had (its hash index lists an element no longer
// present, or cannot be read).
struct ImprintInput {
  std::string data, problem;
};

ImprintInput imprint_input(const SignatureContext& ctx, const ArchiveToken& ats, const cms::SignedDataParts& parts,
                           const cms::SignerParts& signer) {
  auto index = cms::ats_hash_index_of(ats.der);
  if (!index) return {"", "the archive timestamp has no readable ats-hash-index-v3"};
  if (!index->md) return {"", "unsupported hash index algorithm"};
  if (auto missing = cms::unmatched_index_entry(*index, parts, signer))
    return {"", "the hash index lists an element no longer present (" + *missing + ")"};
  if (!ats.token.imprint_md) return {"", "unsupported imprint algorithm"};
  std::string content_digest = digest_ranges(*ctx.source, ctx.ranges, ats.token.imprint_md);
  return {cms::ats_v3_imprint_input(parts, signer, content_digest, index->der), ""};
}

void set_level(SignatureContext& ctx, const cms::SignedDataParts& parts, const cms::SignerParts& signer, bool has_ats) {
  if (has_ats) {
    ctx.report.subfilter = "CAdES-B-LTA";
    return;
  }
  bool values = std::any_of(signer.unsigned_attributes.begin(), signer.unsigned_attributes.end(),
                            [](const cms::AttributeParts& a) { return a.is("1.2.840.113549.1.9.16.2.24"); });
  if (ctx.timestamp_token && (!parts.crls.empty() || values)) ctx.report.subfilter = "CAdES-B-LT";
}

// Whether OpenSSL sees an archive timestamp attribute of any kind (for encodings our slicer cannot cut).
bool has_archive_attribute(const SignatureContext& ctx) {
  if (!ctx.signed_data) return false;
  for (const char* oid : {cms::kOidArchiveTimestampV3, cms::kOidArchiveTimestampV2, cms::kOidArchiveTimestampV1}) {
    pki::OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free> obj(OBJ_txt2obj(oid, 1));
    if (obj && CMS_unsigned_get_attr_by_OBJ(ctx.signed_data->signer_info, obj.get(), -1) >= 0) return true;
  }
  return false;
}

}  // namespace

void check_archive_timestamps(SignatureContext& ctx, std::string_view signed_data_der, int signer_index) {
  auto parts = cms::read_signed_data_parts(signed_data_der);
  std::optional<cms::SignerParts> signer;
  if (parts && signer_index >= 0 && static_cast<size_t>(signer_index) < parts->signer_infos.size())
    signer = cms::read_signer_parts(parts->signer_infos[static_cast<size_t>(signer_index)]);
  if (!signer) {
    if (has_archive_attribute(ctx))
      ctx.add("ARCHIVE_TIMESTAMP_NOT_EVALUATED", {{"reason", "the SignedData is not definite-length DER (BER)"}});
    return;
  }

  std::vector<ArchiveToken> tokens;
  for (const auto& a : signer->unsigned_attributes) {
    if (a.is(cms::kOidArchiveTimestampV3)) {
      for (const auto& v : a.values) tokens.push_back({v, cms::read_timestamp_token(v)});
    } else if (a.is(cms::kOidArchiveTimestampV2) || a.is(cms::kOidArchiveTimestampV1)) {
      ctx.add("ARCHIVE_TIMESTAMP_NOT_EVALUATED",
              {{"kind", a.is(cms::kOidArchiveTimestampV2) ? "archive-time-stamp-v2" : "archive-time-stamp (v1)"}});
    }
  }
  set_level(ctx, *parts, *signer, !tokens.empty());
  if (tokens.empty()) return;
  if (ctx.ranges.empty()) {
    ctx.add("ARCHIVE_TIMESTAMP_NOT_EVALUATED", {{"kind", "archive-time-stamp-v3"}, {"reason", "the signed content is not available"}});
    ctx.check("archive_timestamp", CheckStatus::skipped, "detached signature without its content");
    return;
  }

  // Latest first: it must hold at the validation time; each earlier one at the time of the next valid one.
  std::stable_sort(tokens.begin(), tokens.end(), [](const ArchiveToken& a, const ArchiveToken& b) { return a.token.gen_time > b.token.gen_time; });
  std::optional<long long> poe;
  std::vector<TimestampInfo> infos;
  for (const auto& ats : tokens) {
    TimestampInfo info;
    info.present = true;
    std::map<std::string, std::string> evidence;
    if (ats.token.parsed) evidence["gen_time"] = info.gen_time = iso(ats.token.gen_time);
    ImprintInput input = ats.token.parsed ? imprint_input(ctx, ats, *parts, *signer) : ImprintInput{"", ats.token.error};
    std::string problem = input.problem;
    if (problem.empty()) {
      TokenVerdict v = judge_timestamp(ctx.trust, ats.token, input.data, poe ? *poe : ctx.validation_time);
      if (!v.valid) problem = v.why;
    }
    if (ats.token.tsa_certificate) {
      CertificateInfo tsa = pki::describe(ats.token.tsa_certificate.get());
      tsa.trust_profile = ctx.trust.profile_of(ats.token.tsa_certificate.get());
      evidence["tsa"] = tsa.common_name;
      info.tsa = tsa;
    }
    info.valid = problem.empty();
    info.detail = info.valid ? "valid" : problem;
    infos.push_back(info);
    if (!problem.empty()) {
      evidence["detail"] = problem;
      ctx.add("ARCHIVE_TIMESTAMP_INVALID", evidence);
      continue;
    }
    ctx.add("ARCHIVE_TIMESTAMP_VALID", evidence);
    poe = ats.token.gen_time;
  }
  // Proof of existence of the signature and the validation data covered (a valid signature timestamp,
  // earlier, replaces it in check_timestamp), as for XAdES.
  ctx.archive_poe = poe;
  if (poe && !ctx.proven_time) ctx.proven_time = poe;
  ctx.report.archive_timestamps.assign(infos.rbegin(), infos.rend());  // oldest first, as for XAdES
  const bool all_valid = std::all_of(infos.begin(), infos.end(), [](const TimestampInfo& i) { return i.valid; });
  ctx.check("archive_timestamp", all_valid ? CheckStatus::passed : CheckStatus::failed,
            all_valid ? std::to_string(infos.size()) + " archive timestamp(s) cover the signature and its validation data"
                      : "an archive timestamp does not hold (see findings)" +
                            std::string(poe ? "; the earliest valid one is proof of existence at " + iso(*poe) : ""));
}

}  // namespace libsign::validate
