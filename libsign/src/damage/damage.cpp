// The entry point: runs every detector in order and keeps the candidates bounded.
#include "damage/damage.hpp"

#include <set>

#include "damage/content_kind.hpp"
#include "damage/rewrite.hpp"
#include "damage/transfer.hpp"
#include "damage/xml_damage.hpp"
#include "report/finding.hpp"

namespace libsign::damage {
namespace {

// Cheapest and most specific first. Other damage families add their detectors to this list.
constexpr Detector kDetectors[] = {
    detect_wrong_content,   // an HTML/JSON body, ZIP/Office file, image or empty file stored instead
    detect_base64,          // the whole file is Base64 text
    detect_leading_bytes,   // BOM / HTTP headers before %PDF-
    detect_concatenation,   // two files one after the other
    detect_trailing_bytes,  // bytes after the last %%EOF
    detect_truncation,      // the end is missing
    detect_reencoding,      // single-byte text re-encoded as UTF-8
    detect_line_endings,    // LF <-> CRLF, CR
    detect_rewrite,         // the whole PDF re-saved after signing (the signed revision is gone)
    detect_xml_damage,      // XML: pretty-printed, re-encoded, prefixes rewritten, BOM, Base64
};

}  // namespace

std::vector<Damage> find_damage(std::string_view bytes, const FailureContext& context) {
  std::vector<Damage> out;
  for (Detector detect : kDetectors) {
    try {
      detect(bytes, context, out);
    } catch (const std::exception&) {
      // A detector is best effort: one that fails on hostile bytes just finds nothing.
    }
  }
  size_t candidates = 0;
  for (Damage& d : out) {
    if (!d.candidate) continue;
    if (++candidates > kMaxCandidates) d.candidate.reset();
  }
  return out;
}

std::vector<Finding> damage_findings(const std::vector<Damage>& damages) {
  std::vector<Finding> findings;
  std::set<std::string> seen;
  for (const Damage& d : damages)
    if (seen.insert(d.finding.code).second) findings.push_back(d.finding);
  return findings;
}

bool integrity_failed(const DocumentReport& report) {
  if (report.signatures.empty()) return false;  // damage is looked for where it broke a signature
  static const std::set<std::string> kIntegrityCodes = {
      "DIGEST_MISMATCH", "BYTERANGE_INVALID", "BYTERANGE_NOT_AT_START", "BYTERANGE_HOLE_NOT_CONTENTS",
      "BYTERANGE_NOT_REVISION_END", "CMS_MALFORMED", "XML_DIGEST_MISMATCH"};
  // Document-level signs that the bytes around the signed revisions moved: data after the end, a
  // signature gone from the last revision, a structure the reader had to repair.
  static const std::set<std::string> kDocumentCodes = {"UNSIGNED_DATA_AFTER_LAST_REVISION",
                                                       "SIGNATURE_REMOVED_IN_LATER_REVISION", "PDF_REPAIRED"};
  for (const SignatureReport& s : report.signatures) {
    if (s.indication == Indication::total_passed) continue;
    for (const Finding& f : s.findings) {
      if (kIntegrityCodes.count(f.code)) return true;
      // XML: a SignedInfo changed after signing (reformatted, prefixes) fails only the signature value.
      if (report.format == "xml" && f.code == "SIGNATURE_INVALID") return true;
    }
  }
  const bool passed = report.worst_indication() == Indication::total_passed;
  for (const Finding& f : report.findings) {
    if (f.code == "UNSIGNED_DATA_AFTER_LAST_REVISION") return true;  // an error finding even when signatures pass
    if (!passed && kDocumentCodes.count(f.code)) return true;
    // Bytes after the last revision that the reader set aside (zeros or a boundary an upload layer
    // appended): the signatures pass, but the province wants to know which channel adds them.
    if (passed && f.code == "PDF_REPAIRED") {
      auto kinds = f.evidence.find("kinds");
      if (kinds != f.evidence.end() && kinds->second == "eof-marker") return true;
    }
  }
  return false;
}

Finding make_damage_finding(const std::string& code, const std::string& damage_class, bool reversible,
                            std::map<std::string, std::string> evidence) {
  evidence["class"] = damage_class;
  evidence["reversible"] = reversible ? "true" : "false";
  return report::make_finding(code, std::move(evidence));
}

}  // namespace libsign::damage
