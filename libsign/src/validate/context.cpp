#include "validate/context.hpp"

#include "pki/certificate.hpp"
#include "report/finding.hpp"

namespace libsign::validate {

void SignatureContext::add(const std::string& code, std::map<std::string, std::string> evidence) {
  report.findings.push_back(report::make_finding(code, std::move(evidence)));
}

std::vector<pki::Cert> SignatureContext::untrusted_certs() const {
  std::vector<pki::Cert> certs = signed_data ? signed_data->certificates : std::vector<pki::Cert>{};
  certs.insert(certs.end(), dss_certs.begin(), dss_certs.end());
  certs.insert(certs.end(), fetched_certs.begin(), fetched_certs.end());
  return certs;
}

void SignatureContext::check(const std::string& step, CheckStatus status, const std::string& detail) {
  report.checks.push_back({step, status, detail});
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
