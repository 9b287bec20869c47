// Step 6 (part): RFC 3161 tokens — the signature timestamp of a CMS signature, and PDF document
// timestamps (/SubFilter /ETSI.RFC3161). A token is valid when its own signature verifies, its
// imprint matches, and its TSA chains to a trusted anchor with the timeStamping key purpose.
#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "validate/context.hpp"
#include "validate/timestamp_judge.hpp"

namespace libsign::validate {
namespace {

// `imprint_of` computes the digest the token should vouch for, with the token's own algorithm; the
// TSA chain is validated at `at`.
template <typename ImprintOf>
TokenVerdict judge_token(const pki::TrustStore& trust, long long at, const cms::TimestampToken& token, ImprintOf imprint_of) {
  TokenVerdict v;
  if (!token.parsed || !token.signature_valid) {
    v.why = token.error.empty() ? "unreadable token" : token.error;
    return v;
  }
  if (!token.imprint_md) {
    v.why = "unsupported imprint algorithm";
    return v;
  }
  if (imprint_of(token.imprint_md) != token.imprint) {
    v.why = "the token's message imprint does not match the timestamped data";
    return v;
  }
  if (!token.tsa_key_usage_ok) {
    v.why = "the TSA certificate lacks the timeStamping extended key usage";
    return v;
  }
  v.chain = pki::validate_chain(trust, token.tsa_certificate.get(), token.certificates, at);
  if (v.chain.status != pki::ChainStatus::ok || v.chain.leaf_expired || v.chain.leaf_not_yet_valid || v.chain.ca_time_invalid) {
    v.why = "the TSA certificate does not chain to a trusted anchor at " + core::iso_utc_unix(at) + ": " + v.chain.detail;
    v.untrusted = true;
    return v;
  }
  v.valid = true;
  return v;
}

void fill_timestamp_info(SignatureContext& ctx, const cms::TimestampToken& token, const TokenVerdict& v) {
  TimestampInfo& info = ctx.report.timestamp;
  info.present = true;
  info.valid = v.valid;
  info.detail = v.valid ? "valid" : v.why;
  if (token.parsed) info.gen_time = core::iso_utc_unix(token.gen_time);
  if (token.tsa_certificate) {
    CertificateInfo tsa = pki::describe(token.tsa_certificate.get());
    tsa.trust_profile = ctx.trust.profile_of(token.tsa_certificate.get());
    info.tsa = tsa;
  }
}

}  // namespace

TokenVerdict judge_timestamp(const pki::TrustStore& trust, const cms::TimestampToken& token, std::string_view data, long long at) {
  return judge_token(trust, at, token, [&](const EVP_MD* md) { return digest_bytes(data, md); });
}

void check_timestamp(SignatureContext& ctx) {
  if (!ctx.timestamp_token) return;  // the time step records that there is none
  cms::TimestampToken token = cms::read_timestamp_token(*ctx.timestamp_token);
  TokenVerdict v = judge_timestamp(ctx.trust, token, ctx.timestamped_data, ctx.validation_time);
  // An archive timestamp proves the token existed earlier: its TSA chain is then judged at that time.
  if (v.untrusted && ctx.archive_poe) v = judge_timestamp(ctx.trust, token, ctx.timestamped_data, *ctx.archive_poe);
  fill_timestamp_info(ctx, token, v);
  if (v.valid) {
    ctx.proven_time = token.gen_time;
    ctx.add("TIMESTAMP_VALID", {{"gen_time", ctx.report.timestamp.gen_time}, {"tsa", ctx.report.timestamp.tsa->common_name}});
  } else {
    ctx.add(v.untrusted ? "TIMESTAMP_UNTRUSTED" : "TIMESTAMP_INVALID", {{"detail", v.why}});
  }
}

void verify_document_timestamp(SignatureContext& ctx) {
  SignatureReport& r = ctx.report;
  cms::TimestampToken token = cms::read_timestamp_token(ctx.field->contents);
  TokenVerdict v = judge_token(ctx.trust, ctx.validation_time, token,
                               [&](const EVP_MD* md) { return digest_ranges(*ctx.source, ctx.ranges, md); });
  fill_timestamp_info(ctx, token, v);
  r.digest_algorithm = token.imprint_digest_name;
  if (token.tsa_certificate) {
    r.signer = r.timestamp.tsa;
    r.chain = describe_chain(ctx.trust, v.chain.chain);
  }
  if (!token.parsed) {
    ctx.add("CMS_MALFORMED", {{"detail", token.error}});
    ctx.verdict.fail(SubIndication::format_failure);
    ctx.check("integrity", CheckStatus::failed, token.error);
    return;
  }
  if (v.valid) {
    ctx.proven_time = token.gen_time;
    ctx.check("integrity", CheckStatus::passed, "the token's imprint matches the signed bytes");
    ctx.check("signature_value", CheckStatus::passed, "the token's signature verifies");
    ctx.check("chain", CheckStatus::passed, "the TSA chains to a trusted anchor");
    ctx.add("TIMESTAMP_VALID", {{"gen_time", r.timestamp.gen_time}});
    return;
  }
  ctx.add(v.untrusted ? "TIMESTAMP_UNTRUSTED" : "TIMESTAMP_INVALID", {{"detail", v.why}});
  if (!token.signature_valid) {
    ctx.verdict.fail(SubIndication::sig_crypto_failure);
    ctx.check("signature_value", CheckStatus::failed, v.why);
  } else if (v.why.find("imprint") != std::string::npos) {
    ctx.add("DIGEST_MISMATCH", {{"algorithm", token.imprint_digest_name}});
    ctx.verdict.fail(SubIndication::hash_failure);
    ctx.check("integrity", CheckStatus::failed, v.why);
  } else {
    ctx.verdict.indeterminate(SubIndication::no_certificate_chain_found);
    ctx.check("chain", CheckStatus::failed, v.why);
  }
}

}  // namespace libsign::validate
