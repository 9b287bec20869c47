#include "validate/repairs.hpp"

#include <set>

#include "report/finding.hpp"

namespace libsign::validate {

namespace {

// At most this many repairs are spelled out in one finding's evidence.
constexpr size_t kListed = 5;

std::map<std::string, std::string> evidence_of(const std::vector<pdf::Repair>& repairs, bool reconstructed) {
  std::set<std::string> kinds, revisions;
  std::string listed;
  for (size_t i = 0; i < repairs.size(); ++i) {
    const auto& r = repairs[i];
    kinds.insert(r.kind);
    if (r.revision) revisions.insert(std::to_string(*r.revision));
    if (i < kListed) listed += (listed.empty() ? "" : " | ") + r.kind + " @" + std::to_string(r.offset) + ": " + r.detail;
  }
  auto join = [](const std::set<std::string>& items) {
    std::string out;
    for (const auto& x : items) out += (out.empty() ? "" : ",") + x;
    return out;
  };
  return {{"count", std::to_string(repairs.size())},
          {"kinds", join(kinds)},
          {"revisions", join(revisions)},
          {"reconstructed", reconstructed ? "yes" : "no"},
          {"repairs", listed}};
}

}  // namespace

void report_repairs(const pdf::Document& doc, DocumentReport& report) {
  std::vector<pdf::Repair> repairs = doc.repairs();
  if (repairs.empty()) return;
  report.findings.push_back(report::make_finding("PDF_REPAIRED", evidence_of(repairs, doc.reconstructed())));
  for (auto& s : report.signatures) {
    // A signature whose covered revision is unknown (-1) is touched by any repair.
    std::vector<pdf::Repair> touching;
    // A rebuilt cross-reference concerns every revision, whichever offset it was logged at.
    for (const auto& r : repairs)
      if (s.revision < 0 || r.kind == "reconstructed" || (r.revision && static_cast<int>(*r.revision) <= s.revision))
        touching.push_back(r);
    if (!touching.empty()) s.findings.push_back(report::make_finding("PDF_REPAIRED", evidence_of(touching, doc.reconstructed())));
  }
}

void report_encryption(const pdf::Document& doc, DocumentReport& report) {
  std::string method = doc.encryption();
  if (!method.empty()) report.findings.push_back(report::make_finding("PDF_DECRYPTED", {{"method", method}}));
}

}  // namespace libsign::validate
