#include "validate/context.hpp"

#include "pki/certificate.hpp"
#include "report/finding.hpp"

namespace libsign::validate {

void SignatureContext::add(const std::string& code, std::map<std::string, std::string> evidence) {
  report.findings.push_back(report::make_finding(code, std::move(evidence)));
}

std::vector<pki::Cert> SignatureContext::untrusted_certs() const {
  std::vector<pki::Cert> certs = embedded_certs;
  certs.insert(certs.end(), dss_certs.begin(), dss_certs.end());
  certs.insert(certs.end(), fetched_certs.begin(), fetched_certs.end());
  return certs;
}

void SignatureContext::check(const std::string& step, CheckStatus status, const std::string& detail) {
  report.checks.push_back({step, status, detail});
}

void adopt_cms_evidence(SignatureContext& ctx) {
  const cms::SignedData& sd = *ctx.signed_data;
  ctx.embedded_certs = sd.certificates;
  ctx.embedded_certs.insert(ctx.embedded_certs.end(), sd.certificate_values.begin(), sd.certificate_values.end());
  ctx.embedded_revocation = {};
  ctx.embedded_revocation.add("signed-data", sd.signed_data_crls, sd.signed_data_ocsp);
  ctx.embedded_revocation.add("revocation-values", sd.values_crls, sd.values_ocsp);
  ctx.embedded_revocation.add("adbe-archival", sd.archived_crls, sd.archived_ocsp);
  if (sd.other_revocation_formats > 0)
    ctx.add("REVOCATION_INFO_UNSUPPORTED_FORMAT", {{"items", std::to_string(sd.other_revocation_formats)}});
  ctx.digest_name = sd.digest_name;
  ctx.timestamp_token = sd.timestamp_token;
  ctx.timestamped_data = sd.signature_value;  // a CMS signature timestamp covers the signature value
}

void run_common_steps(SignatureContext& ctx) {
  check_timestamp(ctx);
  check_chain(ctx);
  check_revocation(ctx);
  check_time(ctx);
  check_policy(ctx);
}

std::vector<CertificateInfo> describe_chain(const pki::TrustStore& trust, const std::vector<pki::Cert>& chain) {
  std::vector<CertificateInfo> out;
  for (const auto& c : chain) {
    CertificateInfo info = pki::describe(c.get());
    info.trust_profile = trust.profile_of(c.get());
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace libsign::validate
