// Enum names as they appear in JSON and text (ETSI spelling for indications).
#include <algorithm>

#include "libsign/report.hpp"

namespace libsign {

const char* to_string(Indication i) {
  switch (i) {
    case Indication::total_passed: return "TOTAL_PASSED";
    case Indication::total_failed: return "TOTAL_FAILED";
    case Indication::indeterminate: return "INDETERMINATE";
  }
  return "INDETERMINATE";
}

const char* to_string(SubIndication s) {
  switch (s) {
    case SubIndication::none: return "";
    case SubIndication::format_failure: return "FORMAT_FAILURE";
    case SubIndication::hash_failure: return "HASH_FAILURE";
    case SubIndication::sig_crypto_failure: return "SIG_CRYPTO_FAILURE";
    case SubIndication::revoked: return "REVOKED";
    case SubIndication::expired: return "EXPIRED";
    case SubIndication::not_yet_valid: return "NOT_YET_VALID";
    case SubIndication::sig_constraints_failure: return "SIG_CONSTRAINTS_FAILURE";
    case SubIndication::chain_constraints_failure: return "CHAIN_CONSTRAINTS_FAILURE";
    case SubIndication::certificate_chain_general_failure: return "CERTIFICATE_CHAIN_GENERAL_FAILURE";
    case SubIndication::crypto_constraints_failure: return "CRYPTO_CONSTRAINTS_FAILURE";
    case SubIndication::policy_processing_error: return "POLICY_PROCESSING_ERROR";
    case SubIndication::signature_policy_not_available: return "SIGNATURE_POLICY_NOT_AVAILABLE";
    case SubIndication::timestamp_order_failure: return "TIMESTAMP_ORDER_FAILURE";
    case SubIndication::no_signing_certificate_found: return "NO_SIGNING_CERTIFICATE_FOUND";
    case SubIndication::no_certificate_chain_found: return "NO_CERTIFICATE_CHAIN_FOUND";
    case SubIndication::revoked_no_poe: return "REVOKED_NO_POE";
    case SubIndication::revoked_ca_no_poe: return "REVOKED_CA_NO_POE";
    case SubIndication::out_of_bounds_no_poe: return "OUT_OF_BOUNDS_NO_POE";
    case SubIndication::out_of_bounds_not_revoked: return "OUT_OF_BOUNDS_NOT_REVOKED";
    case SubIndication::crypto_constraints_failure_no_poe: return "CRYPTO_CONSTRAINTS_FAILURE_NO_POE";
    case SubIndication::no_poe: return "NO_POE";
    case SubIndication::try_later: return "TRY_LATER";
    case SubIndication::signed_data_not_found: return "SIGNED_DATA_NOT_FOUND";
  }
  return "";
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "info";
}

const char* to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::passed: return "passed";
    case CheckStatus::failed: return "failed";
    case CheckStatus::skipped: return "skipped";
    case CheckStatus::warning: return "warning";
  }
  return "skipped";
}

const char* to_string(Coverage c) {
  switch (c) {
    case Coverage::entire_file: return "ENTIRE_FILE";
    case Coverage::entire_revision: return "ENTIRE_REVISION";
    case Coverage::partial: return "PARTIAL";
    case Coverage::unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* to_string(ModificationLevel m) {
  switch (m) {
    case ModificationLevel::none: return "NONE";
    case ModificationLevel::ltv_updates: return "LTV_UPDATES";
    case ModificationLevel::form_filling: return "FORM_FILLING";
    case ModificationLevel::annotations: return "ANNOTATIONS";
    case ModificationLevel::other: return "OTHER";
  }
  return "OTHER";
}

bool SignatureReport::has_finding(const std::string& code) const {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.code == code; });
}

bool DocumentReport::has_finding(const std::string& code) const {
  if (std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.code == code; })) return true;
  return std::any_of(signatures.begin(), signatures.end(), [&](const SignatureReport& s) { return s.has_finding(code); });
}

// An enclosed document without signatures of its own (a plain PDF signed as .p7m) is covered by
// the CMS signature alone: its INDETERMINATE "no signature" does not count.
Indication DocumentReport::worst_indication() const {
  if (!inner || inner->signatures.empty()) return indication;
  auto rank = [](Indication i) { return i == Indication::total_failed ? 2 : i == Indication::indeterminate ? 1 : 0; };
  Indication other = inner->worst_indication();
  return rank(other) > rank(indication) ? other : indication;
}

}  // namespace libsign
