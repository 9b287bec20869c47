// Step 5: revocation of the signer certificate from embedded evidence only (CMS
// adbe-revocationInfoArchival, PDF DSS). No evidence is a finding, never a pass.
#include "core/encoding.hpp"
#include "validate/context.hpp"

namespace libsign::validate {

void check_revocation(SignatureContext& ctx) {
  const cms::SignedData& sd = *ctx.signed_data;
  RevocationInfo& info = ctx.report.revocation;
  pki::RevocationEvidence evidence;
  evidence.crls_der = sd.archived_crls;
  evidence.ocsp_der = sd.archived_ocsp;
  std::string source = evidence.crls_der.empty() && evidence.ocsp_der.empty() ? "" : "cms";
  if (!ctx.dss.crls_der.empty() || !ctx.dss.ocsp_der.empty()) {
    evidence.crls_der.insert(evidence.crls_der.end(), ctx.dss.crls_der.begin(), ctx.dss.crls_der.end());
    evidence.ocsp_der.insert(evidence.ocsp_der.end(), ctx.dss.ocsp_der.begin(), ctx.dss.ocsp_der.end());
    source = source.empty() ? "dss" : "cms+dss";
  }
  info.crls = static_cast<int>(evidence.crls_der.size());
  info.ocsp_responses = static_cast<int>(evidence.ocsp_der.size());

  X509* issuer = ctx.chain.chain.size() > 1 ? ctx.chain.chain[1].get() : nullptr;
  pki::RevocationStatus status = pki::check_revocation(ctx.signer.get(), issuer, evidence);
  if (status.state == pki::RevocationState::unknown) {
    if (status.unusable > 0) ctx.add("REVOCATION_DATA_INVALID", {{"unusable_items", std::to_string(status.unusable)}});
    ctx.add("REVOCATION_NOT_CHECKED", {{"embedded_crls", std::to_string(info.crls)},
                                       {"embedded_ocsp", std::to_string(info.ocsp_responses)}});
    ctx.check("revocation", CheckStatus::skipped, "no usable revocation evidence for the signer certificate");
    return;
  }
  info.source = source;
  info.produced_at = core::iso_utc_unix(status.produced_at);
  if (status.state == pki::RevocationState::good) {
    info.status = "good";
    ctx.add("REVOCATION_EMBEDDED_GOOD", {{"source", status.source}, {"produced_at", info.produced_at}});
    ctx.check("revocation", CheckStatus::passed, "embedded " + status.source + " says not revoked");
    return;
  }
  info.status = "revoked";
  info.revocation_time = core::iso_utc_unix(status.revocation_time);
  info.reason = status.reason;
  std::map<std::string, std::string> evidence_map = {{"revocation_time", info.revocation_time}, {"reason", status.reason},
                                                     {"source", status.source}};
  if (ctx.proven_time && *ctx.proven_time < status.revocation_time) {
    // Proven to have been signed before the revocation: the signature stands.
    evidence_map["proven_time"] = core::iso_utc_unix(*ctx.proven_time);
    ctx.add("CERT_REVOKED_AFTER_SIGNING", evidence_map);
    ctx.check("revocation", CheckStatus::passed, "revoked after the proven signing time");
    return;
  }
  ctx.add("CERT_REVOKED", evidence_map);
  if (ctx.proven_time) ctx.verdict.fail(SubIndication::revoked);
  else ctx.verdict.indeterminate(SubIndication::revoked_no_poe);
  ctx.check("revocation", CheckStatus::failed, "the signer certificate is revoked (" + status.reason + ")");
}

}  // namespace libsign::validate
