// Step 5: revocation of every certificate of the chain (the anchor excepted, also when the signer's
// certificate is itself the anchor). One place collects the
// evidence: what the signature carries (CMS SignedData.crls, CAdES revocation-values, Adobe
// revocation archival, XML KeyInfo, ...; each format only extracts it into the context), the PDF DSS,
// then — when online checking is on — OCSP from the certificate's responder, then its CRLs. Every
// item keeps the label of where it came from, and the report names the origin that decided. No status
// is a finding, never a pass.
#include <algorithm>

#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "validate/context.hpp"

namespace libsign::validate {
namespace {

std::string iso(long long t) { return core::iso_utc_unix(t); }

// How much later than a revocation a claimed signing time must be to count as dated after it: seven
// hours of a local time written as UTC, one of clock drift.
constexpr long long kClaimedTimeSlack = 8 * 3600;

// The finding code for a failed fetch.
std::string fetch_code(const std::string& network_code) {
  if (network_code == "NETWORK_TIMEOUT") return "REVOCATION_TIMEOUT";
  if (network_code == "HOST_NOT_ALLOWED") return "REVOCATION_FETCH_NOT_ALLOWED";
  return "REVOCATION_UNREACHABLE";
}

struct CertRevocation {
  pki::RevocationStatus status;
  std::vector<pki::FetchFailure> failures;
  bool fetched = false;
};

CertRevocation status_of(SignatureContext& ctx, X509* cert, X509* issuer, pki::RevocationEvidence evidence,
                         const pki::RevocationTimes& times) {
  CertRevocation r;
  r.status = pki::check_revocation(cert, issuer, evidence, times);
  if (r.status.state != pki::RevocationState::unknown || !ctx.fetcher.enabled()) return r;
  if (auto ocsp = ctx.fetcher.ocsp(cert, issuer, ctx.deadline, r.failures)) {
    evidence.add("online", {}, {*ocsp});
    r.status = pki::check_revocation(cert, issuer, evidence, times);
  }
  if (r.status.state == pki::RevocationState::unknown) {
    evidence.add("online", ctx.fetcher.crls(cert, ctx.deadline, r.failures), {});
    r.status = pki::check_revocation(cert, issuer, evidence, times);
  }
  r.fetched = r.status.origin == "online";
  return r;
}

void report_problems(SignatureContext& ctx, const CertRevocation& r, const std::string& subject) {
  for (const auto& f : r.failures) ctx.add(fetch_code(f.code), {{"certificate", subject}, {"url", f.url}, {"detail", f.detail}});
  std::vector<std::string> seen;
  for (const auto& p : r.status.problems) {
    if (std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
    seen.push_back(p);
    ctx.add(p, {{"certificate", subject}});
  }
}

// Everything the signature and its document carry, labelled by origin (the fetches come later, per
// certificate).
pki::RevocationEvidence collect_evidence(const SignatureContext& ctx) {
  pki::RevocationEvidence evidence = ctx.embedded_revocation;
  evidence.add("dss", ctx.dss.crls_der, ctx.dss.ocsp_der);
  return evidence;
}

}  // namespace

void check_revocation(SignatureContext& ctx) {
  RevocationInfo& info = ctx.report.revocation;
  const pki::RevocationEvidence embedded = collect_evidence(ctx);
  info.crls = static_cast<int>(embedded.crls_der.size());
  info.ocsp_responses = static_cast<int>(embedded.ocsp_der.size());

  pki::RevocationTimes times{ctx.validation_time, ctx.proven_time ? *ctx.proven_time : ctx.claimed_time.value_or(0),
                             ctx.proven_time.has_value()};
  const auto& chain = ctx.chain.chain;
  if (ctx.chain.status == pki::ChainStatus::ok && chain.size() == 1) {
    // The signer's certificate is itself a trust anchor the caller gave (a self-signed leaf with
    // --trust). RFC 5280 §6.1 takes the anchor as trusted input, outside the path it checks, and ETSI
    // EN 319 102-1 checks revocation for the chain below the anchor: there is nothing to check, and
    // no issuer that could revoke it. Whoever trusts it directly withdraws it by removing it.
    ctx.add("SIGNER_IS_TRUST_ANCHOR", {{"certificate", pki::common_name(chain.front().get())}});
    ctx.check("revocation", CheckStatus::passed, "the signer's certificate is a trust anchor: no revocation status applies");
    return;
  }
  if (chain.size() < 2) {
    ctx.add("REVOCATION_NOT_CHECKED", {{"reason", "no issuer certificate: the chain could not be built"},
                                       {"online", ctx.fetcher.enabled() ? "yes" : "no"}});
    ctx.check("revocation", CheckStatus::skipped, "no issuer to check the signer certificate against");
    if (ctx.revocation_required) ctx.verdict.indeterminate(SubIndication::try_later);
    return;
  }
  bool all_known = true, failed = false;
  // Every certificate but the anchor, the signer's first.
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    X509* cert = chain[i].get();
    std::string subject = pki::common_name(cert);
    CertRevocation r = status_of(ctx, cert, chain[i + 1].get(), embedded, times);
    report_problems(ctx, r, subject);
    const pki::RevocationStatus& s = r.status;
    if (i == 0) {
      info.source = s.state == pki::RevocationState::unknown ? "none" : s.origin;
      if (s.state != pki::RevocationState::unknown) info.produced_at = iso(s.produced_at);
    }
    if (s.state == pki::RevocationState::unknown) {
      all_known = false;
      ctx.add("REVOCATION_NOT_CHECKED", {{"certificate", subject}, {"online", ctx.fetcher.enabled() ? "yes" : "no"}});
      continue;
    }
    if (s.state == pki::RevocationState::good) {
      if (i == 0) {
        info.status = "good";
        ctx.add("REVOCATION_GOOD", {{"source", s.source}, {"origin", s.origin}, {"produced_at", iso(s.produced_at)},
                                    {"online", r.fetched ? "yes" : "no"}});
      }
      continue;
    }
    // Revoked.
    std::map<std::string, std::string> evidence = {{"certificate", subject}, {"revocation_time", iso(s.revocation_time)},
                                                   {"reason", s.reason}, {"source", s.source}, {"origin", s.origin}};
    if (i == 0) {
      info.status = "revoked";
      info.revocation_time = iso(s.revocation_time);
      info.reason = s.reason;
    }
    if (ctx.proven_time && *ctx.proven_time < s.revocation_time) {
      // Proven to have been signed before the revocation: the signature stands.
      evidence["proven_time"] = iso(*ctx.proven_time);
      ctx.add("CERT_REVOKED_AFTER_SIGNING", evidence);
      continue;
    }
    failed = true;
    // The signer dating the signature after the revocation is enough to fail it (ETSI EN 319 102-1):
    // no proof of existence could make that signature good. Otherwise, without a timestamp, it may
    // have been made before the revocation: INDETERMINATE. The claim must be later by more than
    // kClaimedTimeSlack: Vietnamese signing tools often write local time (+07:00) marked as UTC, so a
    // signature made in the hours before a revocation may claim a time just after it.
    const bool dated_after_revocation = ctx.claimed_time && *ctx.claimed_time >= s.revocation_time + kClaimedTimeSlack;
    if (ctx.claimed_time) evidence["claimed_signing_time"] = iso(*ctx.claimed_time);
    ctx.add(i == 0 ? "CERT_REVOKED" : "CA_CERT_REVOKED", evidence);
    if (ctx.proven_time || dated_after_revocation) ctx.verdict.fail(SubIndication::revoked);
    else ctx.verdict.indeterminate(i == 0 ? SubIndication::revoked_no_poe : SubIndication::revoked_ca_no_poe);
  }
  if (failed) {
    ctx.check("revocation", CheckStatus::failed, "a certificate of the chain is revoked");
  } else if (!all_known) {
    if (ctx.revocation_required) ctx.verdict.indeterminate(SubIndication::try_later);
    ctx.check("revocation", ctx.revocation_required ? CheckStatus::failed : CheckStatus::skipped,
              "no usable revocation status for every certificate of the chain");
  } else {
    // ETSI: an expired certificate without proof of existence, but known not to be revoked.
    ctx.verdict.refine(SubIndication::out_of_bounds_no_poe, SubIndication::out_of_bounds_not_revoked);
    ctx.check("revocation", CheckStatus::passed, "every certificate of the chain is not revoked");
  }
}

}  // namespace libsign::validate
