// libsign — the verification report: plain data, no library types.
// The JSON form (`to_json`) is versioned "libsign-report/1" and documented in docs/report-schema.md.
#pragma once
#include "libsign/export.hpp"
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace libsign {

// ETSI EN 319 102-1 main indication.
enum class Indication { total_passed, total_failed, indeterminate };

// ETSI EN 319 102-1 sub-indications (none = no sub-indication).
enum class SubIndication {
  none,
  format_failure, hash_failure, sig_crypto_failure, revoked, expired, not_yet_valid,
  sig_constraints_failure, chain_constraints_failure, certificate_chain_general_failure,
  crypto_constraints_failure, policy_processing_error, signature_policy_not_available,
  timestamp_order_failure, no_signing_certificate_found, no_certificate_chain_found,
  revoked_no_poe, revoked_ca_no_poe, out_of_bounds_no_poe, out_of_bounds_not_revoked,
  crypto_constraints_failure_no_poe, no_poe, try_later, signed_data_not_found,
};

enum class Severity { info, warning, error };
enum class CheckStatus { passed, failed, skipped, warning };
enum class Coverage { entire_file, entire_revision, partial, unknown };
enum class ModificationLevel { none, ltv_updates, form_filling, annotations, other };

LIBSIGN_API const char* to_string(Indication);
LIBSIGN_API const char* to_string(SubIndication);
LIBSIGN_API const char* to_string(Severity);
LIBSIGN_API const char* to_string(CheckStatus);
LIBSIGN_API const char* to_string(Coverage);
LIBSIGN_API const char* to_string(ModificationLevel);

struct Finding {
  std::string code;  // stable, from the findings catalog (see docs/errors.md)
  Severity severity = Severity::info;
  std::string message_en, message_vi;  // what happened
  std::string hint_en, hint_vi;        // what to do
  std::map<std::string, std::string> evidence;  // the values that led here
};

// One step of the validation pipeline.
struct Check {
  std::string step;  // integrity, signer_identification, signature_value, chain, revocation, time, policy, modifications
  CheckStatus status = CheckStatus::skipped;
  std::string detail;  // one line, English
};

struct CertificateInfo {
  std::string subject;  // UTF-8, RFC 4514 order (most specific first)
  std::string issuer;
  std::string common_name, organization, organizational_unit, title, locality, state, country, email;
  std::map<std::string, std::string> identifiers;  // "CCCD" -> "0010...", "MST" -> "0100686209-199", ...
  std::string serial_hex;
  std::string not_before, not_after;  // ISO 8601 UTC
  std::string sha256;                 // fingerprint, lower-case hex
  std::string key_algorithm;          // RSA, EC, Ed25519, ...
  int key_bits = 0;
  std::string signature_algorithm;    // of the certificate itself
  bool self_signed = false;
  std::string trust_profile;          // the known profile whose anchor or intermediate this is, if any
};

struct TimestampInfo {
  bool present = false;
  bool valid = false;
  std::string gen_time;  // ISO 8601 UTC, proven time when valid
  std::optional<CertificateInfo> tsa;
  std::string detail;
};

struct RevocationInfo {
  // Where the deciding item was read from: none | signed-data (CMS SignedData.crls) | revocation-values
  // (CAdES) | adbe-archival (adbe-revocationInfoArchival) | key-info (XML ds:X509CRL) | xades-values (XAdES
  // RevocationValues) | dss | online
  std::string source = "none";
  std::string status = "unknown";  // unknown | good | revoked
  std::string produced_at;          // the CRL thisUpdate / OCSP producedAt used
  std::string revocation_time, reason;
  int crls = 0, ocsp_responses = 0;  // evidence items found
};

struct ModifiedObject {
  std::string object;  // "12 0 R"
  std::string description;
  ModificationLevel level = ModificationLevel::other;
  // What it is, for people: page_content, page_resources, page, page_added, page_removed, page_tree,
  // annotation, form_field, signature, form, validation_data, metadata, document, other.
  std::string kind = "other";
  int page = 0;  // 1-based page it belongs to (signed view; an added page: the new view); 0 when none
};

struct RevisionModification {
  int revision = 0;  // 0-based revision index
  ModificationLevel level = ModificationLevel::none;
  std::vector<ModifiedObject> objects;  // the most severe first, at most kMaxListedObjects
  int objects_omitted = 0;              // changed objects beyond those listed
  static constexpr size_t kMaxListedObjects = 200;
};

// XML: one ds:Reference inside a ds:Manifest. Checked and shown, never part of the verdict: what a
// manifest reference means is for the application to decide (XML-DSig 5.1).
struct ManifestReference {
  std::string manifest;          // the Id of ds:Manifest, or its path
  bool manifest_signed = false;  // a reference of SignedInfo covers this manifest
  std::string uri;               // as written
  std::string element;           // path of the element it resolved to; empty when none
  std::string status;            // ok | failed | unresolvable | unsupported | malformed
  std::string digest_algorithm;  // "sha256"; empty when unknown
  std::string detail;
};

// The second engine's view of one signature (docs/security.md): what libsign (OpenSSL) and Botan
// each concluded on the same item, from their own parsing of the raw bytes.
struct CrossCheckItem {
  std::string item;     // digest | signature | path | structure
  std::string libsign;  // match | mismatch | valid | invalid | trusted | trusted_outside_validity | not_trusted | readable | unreadable
  std::string botan;    // the same words, or unsupported
  std::string result;   // agree | disagree | unsupported
  std::string detail;   // Botan's reason, one line
};

struct CrossCheck {
  std::string engine;          // "botan 2.19.3"; empty when off
  std::string result = "off";  // agree | disagree | unsupported | off
  std::vector<CrossCheckItem> compared;
  std::string note;            // what was not compared and why (revocation never is)
};

struct LIBSIGN_API SignatureReport {
  std::string id;          // "sig1", "sig2", ... in file order
  std::string field_name;  // PDF: the first of field_names (UTF-8)
  std::vector<std::string> field_names;  // PDF: every field whose value is this signature (several: SIGNATURE_VALUE_SHARED)
  std::string found_via;   // PDF: "acroform" or "page-annots" (not in /AcroForm /Fields); empty for XML and CMS
  std::string kind;        // approval | certification | document-timestamp
  Indication indication = Indication::indeterminate;
  SubIndication sub_indication = SubIndication::none;
  std::optional<CertificateInfo> signer;
  std::vector<CertificateInfo> chain;  // signer first, anchor last (as built)
  std::string signing_time;            // claimed (CMS signingTime or /M), ISO 8601 UTC; empty if none
  TimestampInfo timestamp;             // the signature timestamp (or, for a document timestamp, itself)
  std::vector<TimestampInfo> archive_timestamps;  // XAdES / CAdES B-LTA archive timestamps, oldest first
  std::string subfilter, digest_algorithm, signature_algorithm;
  std::vector<int64_t> byte_range;
  int revision = -1;                   // index of the revision this signature covers (-1 if none)
  Coverage coverage = Coverage::unknown;
  ModificationLevel modification_level = ModificationLevel::none;  // worst change after signing
  std::vector<RevisionModification> modifications;
  std::optional<int> docmdp_permission;  // P of a certification signature
  std::string reason, location, contact_info, name;
  RevocationInfo revocation;
  std::vector<ManifestReference> manifest_references;  // XML only, in document order
  CrossCheck cross_check;              // the Botan engine's view (VerifyOptions::cross_check)
  std::vector<Check> checks;
  std::vector<Finding> findings;

  bool has_finding(const std::string& code) const;
};

struct LIBSIGN_API DocumentReport {
  std::string path;
  std::string format = "pdf";
  std::string sha256;
  uint64_t size = 0;
  int revisions = 0;
  Indication indication = Indication::indeterminate;  // worst of its signatures
  SubIndication sub_indication = SubIndication::none;
  std::string validation_time;  // ISO 8601 UTC
  std::string trust_profile;
  std::vector<SignatureReport> signatures;
  std::vector<Finding> findings;  // document-level (no signature, empty fields, ...)
  // CMS enveloping (.p7m) only: the report of the enclosed document's own signatures when the
  // content is a PDF or an XML e-form (VerifyOptions::verify_inner); its path is "FILE.p7m!content".
  // `indication` above stays that of the CMS signers; worst_indication() takes both layers.
  std::shared_ptr<const DocumentReport> inner;
  // Damage found after a failure (DAMAGE_* findings, docs/damage.md): the report of the original rebuilt
  // from the received bytes (Base64 decoded, line ends restored, ...) and how it was rebuilt, e.g.
  // "base64-decode". Beside this report, never in its place: `indication` stays that of the bytes received.
  std::shared_ptr<const DocumentReport> recovered;
  std::string recovery_method;

  bool has_finding(const std::string& code) const;  // document or any signature (not the inner layer)
  // Worse of `indication` and the inner layer's, when that layer has signatures of its own.
  Indication worst_indication() const;
  std::string to_json(int indent = 2) const;
  std::string to_text(const std::string& lang = "en") const;  // what a clerk reads
};

}  // namespace libsign
