// libsign::recover / recover_file: the recovered original, written only when its signatures verify.
#include "libsign/recover.hpp"

#include "core/mapped_file.hpp"
#include "sign/atomic_output.hpp"
#include "validate/verifier_impl.hpp"

namespace libsign {

RecoveredOriginal recover(const Verifier& verifier, std::string_view bytes, const std::string& label) {
  validate::Forensics f = validate::run_damage_forensics(
      verifier, bytes, label, [&] { return validate::verify_plain(verifier, bytes, label); }, true);
  if (!f.damaged || !f.report.recovered)
    throw Error(ErrorCategory::format, "RECOVER_NOT_DAMAGED", "no damage that can be undone was found");
  const DocumentReport& original = *f.report.recovered;
  if (original.signatures.empty() || original.worst_indication() != Indication::total_passed || f.recovered_bytes.empty())
    throw Error(ErrorCategory::format, "RECOVER_REFUSED", "the rebuilt original does not verify");
  RecoveredOriginal out;
  out.method = f.report.recovery_method;
  out.bytes = std::move(f.recovered_bytes);
  out.report = std::move(f.report);
  return out;
}

DocumentReport recover_file(const Verifier& verifier, const std::string& input, const std::string& output,
                            bool allow_overwrite) {
  DocumentReport report;
  sign::write_derived_file(input, output, allow_overwrite, [&](std::string_view bytes) {
    RecoveredOriginal r = recover(verifier, bytes, input);
    report = std::move(r.report);
    return std::move(r.bytes);
  });
  return report;
}

}  // namespace libsign
