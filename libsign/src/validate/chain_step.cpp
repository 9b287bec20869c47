// Step 4: the certificate path at the validation time, with proof of existence from a signature
// timestamp deciding what an expired certificate means (ETSI EN 319 102-1 §5.2.6 / §5.6.2.1).
#include <openssl/x509v3.h>

#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "validate/context.hpp"

namespace libsign::validate {
namespace {

std::string iso(long long t) { return core::iso_utc_unix(t); }

void report_untrusted(SignatureContext& ctx) {
  const pki::ChainResult& c = ctx.chain;
  std::map<std::string, std::string> evidence = {{"trust_profile", ctx.trust.selected_profile()}, {"detail", c.detail}};
  if (!c.chain.empty()) evidence["last_certificate"] = pki::describe(c.chain.back().get()).subject;
  switch (c.status) {
    case pki::ChainStatus::incomplete:
      ctx.add("CHAIN_INCOMPLETE", evidence);
      ctx.verdict.indeterminate(SubIndication::no_certificate_chain_found);
      break;
    case pki::ChainStatus::untrusted_root:
      ctx.add("CHAIN_UNTRUSTED_ROOT", evidence);
      ctx.verdict.indeterminate(SubIndication::no_certificate_chain_found);
      break;
    case pki::ChainStatus::wrong_pki:
      evidence["anchor_profile"] = c.anchor_profile;
      ctx.add("TRUST_ANCHOR_WRONG_PKI", evidence);
      ctx.verdict.indeterminate(SubIndication::no_certificate_chain_found);
      break;
    default:
      evidence["openssl_error"] = std::to_string(c.error);
      evidence["depth"] = std::to_string(c.error_depth);
      ctx.add("CHAIN_INVALID", evidence);
      ctx.verdict.indeterminate(SubIndication::certificate_chain_general_failure);
      break;
  }
  ctx.check("chain", CheckStatus::failed, c.detail);
}

// The signer certificate is expired at the validation time: what the timestamp (if any) proves.
// Returns true when a timestamp proves the signature was made while the certificate was valid.
bool judge_expired_signer(SignatureContext& ctx, long long not_after) {
  std::map<std::string, std::string> evidence = {{"not_after", iso(not_after)}, {"validation_time", iso(ctx.validation_time)}};
  if (ctx.proven_time) {
    evidence["proven_time"] = iso(*ctx.proven_time);
    if (*ctx.proven_time > not_after) {
      ctx.add("CERT_EXPIRED_AT_SIGNING_TIME", evidence);
      ctx.verdict.fail(SubIndication::expired);
      return false;
    }
    // Proven to exist while valid: the path must hold at that time.
    auto then = pki::validate_chain(ctx.trust, ctx.signer.get(), ctx.untrusted_certs(), *ctx.proven_time);
    if (then.status == pki::ChainStatus::ok && !then.leaf_expired && !then.leaf_not_yet_valid && !then.ca_time_invalid) {
      ctx.add("CERT_EXPIRED_SIGNED_IN_TIME", evidence);
      return true;
    }
  }
  ctx.add("CERT_EXPIRED_AT_VALIDATION_TIME", evidence);
  if (ctx.claimed_time && *ctx.claimed_time > not_after) {
    evidence["claimed_signing_time"] = iso(*ctx.claimed_time);
    ctx.add("CERT_EXPIRED_AT_SIGNING_TIME", evidence);
  }
  ctx.verdict.indeterminate(SubIndication::out_of_bounds_no_poe);
  return false;
}

bool check_key_usage(SignatureContext& ctx) {
  X509* signer = ctx.signer.get();
  X509_check_purpose(signer, -1, 0);
  if (!(X509_get_extension_flags(signer) & EXFLAG_KUSAGE)) return true;  // no keyUsage: any use allowed
  uint32_t usage = X509_get_key_usage(signer);
  if (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) return true;
  ctx.add("KEY_USAGE_NOT_FOR_SIGNING", {{"key_usage", std::to_string(usage)}});
  ctx.verdict.indeterminate(SubIndication::chain_constraints_failure);
  return false;
}

}  // namespace

// Field documents often embed only the signer's certificate: with online checking on, missing
// issuers are fetched from the certificates' AIA caIssuers URLs (at most three levels).
void complete_through_aia(SignatureContext& ctx) {
  for (int level = 0; level < 3 && ctx.chain.status == pki::ChainStatus::incomplete && !ctx.chain.chain.empty(); ++level) {
    std::vector<pki::FetchFailure> failures;
    auto found = ctx.fetcher.issuers(ctx.chain.chain.back().get(), ctx.deadline, failures);
    for (const auto& f : failures) ctx.add("AIA_FETCH_FAILED", {{"url", f.url}, {"detail", f.detail}});
    if (found.empty()) return;
    ctx.fetched_certs.insert(ctx.fetched_certs.end(), found.begin(), found.end());
    ctx.chain = pki::validate_chain(ctx.trust, ctx.signer.get(), ctx.untrusted_certs(), ctx.validation_time);
    if (ctx.chain.status != pki::ChainStatus::incomplete)
      ctx.add("CHAIN_COMPLETED_ONLINE", {{"certificates_fetched", std::to_string(ctx.fetched_certs.size())}});
  }
}

void check_chain(SignatureContext& ctx) {
  std::string key;
  pki::ChainCache::Entry cached;
  if (ctx.chain_cache) {
    cached = ctx.chain_cache->validate(ctx.trust, ctx.signer.get(), ctx.untrusted_certs(), ctx.validation_time, &key);
    ctx.chain = cached.result;
  } else {
    ctx.chain = pki::validate_chain(ctx.trust, ctx.signer.get(), ctx.untrusted_certs(), ctx.validation_time);
  }
  if (ctx.fetcher.enabled()) complete_through_aia(ctx);
  ctx.chain_built = true;
  const bool as_cached = ctx.chain_cache && ctx.fetched_certs.empty();
  if (as_cached && !cached.described.empty()) {
    ctx.report.chain = cached.described;
  } else {
    ctx.report.chain = describe_chain(ctx.trust, ctx.chain.chain);
    if (as_cached) ctx.chain_cache->remember_description(key, ctx.report.chain);
  }
  if (ctx.chain.status != pki::ChainStatus::ok) report_untrusted(ctx);

  X509* signer = ctx.signer.get();
  long long not_before = pki::asn1_time_to_unix(X509_get0_notBefore(signer));
  long long not_after = pki::asn1_time_to_unix(X509_get0_notAfter(signer));
  bool clean = true;
  if (ctx.chain.leaf_expired) clean = judge_expired_signer(ctx, not_after);
  if (ctx.chain.leaf_not_yet_valid) {
    std::map<std::string, std::string> evidence = {{"not_before", iso(not_before)}, {"validation_time", iso(ctx.validation_time)}};
    ctx.add("CERT_NOT_YET_VALID", evidence);
    bool proven_before = ctx.proven_time && *ctx.proven_time < not_before;
    if (proven_before) ctx.verdict.fail(SubIndication::not_yet_valid);
    else ctx.verdict.indeterminate(SubIndication::not_yet_valid);
    clean = false;
  }
  if (ctx.chain.ca_time_invalid) {
    ctx.add("CA_CERT_EXPIRED", {{"validation_time", iso(ctx.validation_time)}});
    ctx.verdict.indeterminate(SubIndication::out_of_bounds_no_poe);
    clean = false;
  }
  clean = check_key_usage(ctx) && clean;

  if (ctx.chain.status == pki::ChainStatus::ok) {
    ctx.check("chain", clean ? CheckStatus::passed : CheckStatus::failed,
              "path to an anchor of profile '" + ctx.chain.anchor_profile + "'" + (clean ? "" : " with problems (see findings)"));
  }
}

void check_policy(SignatureContext& ctx) {
  bool weak = false;
  auto flag = [&](const std::string& code, std::map<std::string, std::string> evidence) {
    ctx.add(code, std::move(evidence));
    weak = true;
  };
  if (ctx.digest_name == "sha1") flag("WEAK_DIGEST_SHA1", {{"where", "signature digest"}});
  if (ctx.digest_name == "md5") flag("WEAK_DIGEST_MD5", {{"where", "signature digest"}});
  std::vector<pki::Cert> certs = ctx.chain.chain;
  if (certs.empty() && ctx.signer) certs.push_back(ctx.signer);
  for (const auto& c : certs) {
    std::string subject = pki::describe(c.get()).common_name;
    // A root's self-signature is not relied upon (the anchor is trusted as such).
    if (!pki::is_self_signed(c.get())) {
      std::string md = pki::certificate_digest_name(c.get());
      if (md == "sha1") flag("WEAK_DIGEST_SHA1", {{"where", "certificate signature"}, {"certificate", subject}});
      if (md == "md5") flag("WEAK_DIGEST_MD5", {{"where", "certificate signature"}, {"certificate", subject}});
    }
    int bits = pki::rsa_key_bits(c.get());
    if (bits > 0 && bits < 2048) flag("WEAK_KEY_SIZE", {{"certificate", subject}, {"bits", std::to_string(bits)}});
  }
  if (weak) ctx.verdict.indeterminate(SubIndication::crypto_constraints_failure_no_poe);
  ctx.check("policy", weak ? CheckStatus::failed : CheckStatus::passed,
            weak ? "weak algorithms or keys (see findings)" : "algorithms and key sizes meet the policy");
}

}  // namespace libsign::validate
