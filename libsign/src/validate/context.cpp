#include "validate/context.hpp"

#include <unistd.h>

#include <algorithm>

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

namespace {

constexpr size_t kChunk = 1u << 20;

// Feeds [offset, offset+length) of the file to the digest with pread(); false if reading failed.
bool update_from_file(EVP_MD_CTX* ctx, int fd, size_t offset, size_t length) {
  thread_local std::vector<char> buffer(kChunk);
  while (length > 0) {
    ssize_t got = ::pread(fd, buffer.data(), std::min(length, kChunk), static_cast<off_t>(offset));
    if (got <= 0) return false;
    EVP_DigestUpdate(ctx, buffer.data(), static_cast<size_t>(got));
    offset += static_cast<size_t>(got);
    length -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

std::string digest_ranges(const core::ByteSource& source, const std::vector<std::pair<size_t, size_t>>& ranges,
                          const EVP_MD* md) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  for (const auto& [offset, length] : ranges) {
    if (source.fd >= 0 && length >= kChunk) {
      pki::MdCtxPtr attempt(EVP_MD_CTX_new());
      EVP_MD_CTX_copy_ex(attempt.get(), ctx.get());
      if (update_from_file(attempt.get(), source.fd, offset, length)) {
        ctx = std::move(attempt);
        continue;
      }
    }
    EVP_DigestUpdate(ctx.get(), source.bytes.data() + offset, length);  // a short read falls back to the map
  }
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
