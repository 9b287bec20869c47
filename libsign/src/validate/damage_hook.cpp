// Where verification meets damage forensics (docs/damage.md): only after a failure, never on a file that
// verified, and never in place of the verdict on the bytes as received.
#include "core/encoding.hpp"
#include "damage/recovery.hpp"
#include "libsign/verify.hpp"
#include "report/finding.hpp"
#include "validate/context.hpp"
#include "validate/verifier_impl.hpp"

namespace libsign::validate {
namespace {

// The report of a file that could not be read but shows damage: no signatures, INDETERMINATE /
// FORMAT_FAILURE, the reader's error code as a finding.
DocumentReport unreadable_report(const Verifier::Impl& impl, std::string_view bytes, const std::string& label,
                                 const std::string& format, const std::string& error_code) {
  DocumentReport doc;
  doc.path = label;
  doc.format = format;
  doc.size = bytes.size();
  doc.sha256 = core::to_hex(digest_ranges(core::ByteSource{bytes}, {{0, bytes.size()}}, EVP_sha256()));
  doc.trust_profile = impl.trust.selected_profile();
  doc.validation_time = core::iso_utc_unix(impl.validation_time());
  doc.findings.push_back(report::make_finding(error_code));
  settle_document(doc);
  doc.sub_indication = SubIndication::format_failure;
  return doc;
}

bool only_wrong_content(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    auto c = f.evidence.find("class");
    if (c == f.evidence.end() || c->second != "wrong_content") return false;
  }
  return true;
}

void attach(DocumentReport& doc, damage::Recovery& recovery) {
  doc.findings.insert(doc.findings.end(), recovery.findings.begin(), recovery.findings.end());
  doc.recovered = recovery.recovered;
  doc.recovery_method = recovery.method;
}

}  // namespace

Forensics run_damage_forensics(const Verifier& verifier, std::string_view bytes, const std::string& label,
                               const std::function<DocumentReport()>& verify, bool keep_bytes) {
  damage::FailureContext context;
  context.label = label;
  damage::VerifyFn plain = [&verifier](std::string_view b, const std::string& l) { return verify_plain(verifier, b, l); };
  Forensics out;
  try {
    out.report = verify();
  } catch (const Error& e) {
    if (e.category() != ErrorCategory::format) throw;
    context.format = detect_format(bytes);
    context.error_code = e.code();
    damage::Recovery recovery = damage::examine(bytes, context, plain, keep_bytes);
    if (recovery.findings.empty()) throw;
    // The wrong thing stored (an HTML page, an image, an empty file...) is still unreadable input: the
    // typed error stays, carrying the diagnosis (docs/damage.md, "Typed error or report?").
    if (!recovery.recovered && only_wrong_content(recovery.findings)) {
      const Finding& what = recovery.findings.front();
      Error diagnosed(e.category(), e.code(), std::string(e.what()) + " (" + what.code + ")", e.native_code());
      throw diagnosed.with_diagnosis(std::move(recovery.findings));
    }
    std::string format = context.format;
    if (format.empty()) format = recovery.recovered ? recovery.recovered->format : "pdf";
    out.report = unreadable_report(verifier.internals(), bytes, label, format, e.code());
    attach(out.report, recovery);
    out.damaged = true;
    out.recovered_bytes = std::move(recovery.bytes);
    return out;
  }
  if (!damage::integrity_failed(out.report)) return out;
  context.format = out.report.format;
  context.report = &out.report;
  damage::Recovery recovery = damage::examine(bytes, context, plain, keep_bytes);
  context.report = nullptr;
  out.damaged = !recovery.findings.empty();
  attach(out.report, recovery);
  out.recovered_bytes = std::move(recovery.bytes);
  return out;
}

DocumentReport with_damage_forensics(const Verifier& verifier, std::string_view bytes, const std::string& label,
                                     const std::function<DocumentReport()>& verify) {
  return run_damage_forensics(verifier, bytes, label, verify, false).report;
}

}  // namespace libsign::validate
