#include "sign/ltv_evidence.hpp"

#include <algorithm>
#include <chrono>

#include "core/encoding.hpp"
#include "libsign/error.hpp"
#include "pki/certificate.hpp"

namespace libsign::sign {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

EvidenceCollector::EvidenceCollector(const VerifyOptions& validation, const pki::RevocationEvidence& embedded)
    : trust_(validation), fetcher_(validation.revocation), embedded_(embedded), deadline_(fetcher_.deadline_from_now()) {}

void EvidenceCollector::collect(const Leaf& leaf, ValidationData& data) {
  long long now = core::to_unix(std::chrono::system_clock::now());
  pki::ChainResult chain = pki::validate_chain(trust_, leaf.cert.get(), leaf.pool, now);
  if (chain.status != pki::ChainStatus::ok)
    throw Error(ErrorCategory::usage, "LTV_EVIDENCE_MISSING",
                "the chain of '" + pki::describe(leaf.cert.get()).common_name + "' cannot be built to a trusted anchor: " + chain.detail);
  for (const auto& c : chain.chain) add_unique(data.certificates, pki::der_of(c.get()));
  for (size_t i = 0; i + 1 < chain.chain.size(); ++i) revocation_of(chain.chain[i].get(), chain.chain[i + 1].get(), now, data);
}

void EvidenceCollector::revocation_of(X509* cert, X509* issuer, long long now, ValidationData& data) {
  pki::RevocationTimes times{now, now, false};
  std::vector<pki::FetchFailure> failures;
  auto usable = [&](const pki::RevocationEvidence& e) { return pki::check_revocation(cert, issuer, e, times).state != pki::RevocationState::unknown; };
  if (usable(embedded_)) {  // already in the document: referenced again
    for (const auto& o : embedded_.ocsp_der) if (usable({{}, {o}})) add_unique(data.ocsp_responses, o);
    for (const auto& c : embedded_.crls_der) if (usable({{c}, {}})) add_unique(data.crls, c);
    return;
  }
  if (auto ocsp = fetcher_.ocsp(cert, issuer, deadline_, failures); ocsp && usable({{}, {*ocsp}})) {
    add_unique(data.ocsp_responses, *ocsp);
    return;
  }
  for (const auto& crl : fetcher_.crls(cert, deadline_, failures)) {
    if (usable({{crl}, {}})) {
      add_unique(data.crls, crl);
      return;
    }
  }
  std::string why = fetcher_.enabled() ? (failures.empty() ? "no usable answer" : failures.back().code + " " + failures.back().url)
                                       : "online fetching is off";
  throw Error(ErrorCategory::network, "LTV_EVIDENCE_MISSING",
              "no revocation status for '" + pki::describe(cert).common_name + "' (" + why + ")");
}

}  // namespace libsign::sign
