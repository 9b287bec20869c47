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
  return certs;
}

void SignatureContext::check(const std::string& step, CheckStatus status, const std::string& detail) {
  report.checks.push_back({step, status, detail});
}

std::string digest_ranges(std::string_view bytes, const std::vector<std::pair<size_t, size_t>>& ranges, const EVP_MD* md) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  for (const auto& [offset, length] : ranges) EVP_DigestUpdate(ctx.get(), bytes.data() + offset, length);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) {
    // CMS fixes the output length of the SHAKE functions: 256 bits for SHAKE128, 512 for SHAKE256 (RFC 8419, RFC 8702).
    len = EVP_MD_is_a(md, "SHAKE256") ? 64 : 32;
    EVP_DigestFinalXOF(ctx.get(), out, len);
  } else {
    EVP_DigestFinal_ex(ctx.get(), out, &len);
  }
  return std::string(reinterpret_cast<char*>(out), len);
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
