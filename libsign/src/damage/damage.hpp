// libsign damage — what the systems between signer and reader did to a file's bytes (transport damage,
// wrong content stored, re-processing), looked for only after reading or verifying it failed.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libsign/report.hpp"

namespace libsign::damage {

// What failed, so that detectors know what to look at. Forensics never run on a file that verified.
struct FailureContext {
  std::string format;      // detect_format() of the bytes as received: "pdf", "xml", "cms" or ""
  std::string label;       // the file name or label as given (its extension is a hint); may be empty
  std::string error_code;  // the libsign::Error code when reading threw (INPUT_TRUNCATED, PDF_MALFORMED,
                           // INPUT_NOT_PDF, INPUT_FORMAT_UNKNOWN, INPUT_EMPTY, XML_...); empty when it was read
  const DocumentReport* report = nullptr;  // when the file was read but a signature failed (integrity)
};

// One damage found. `finding` is document-level and follows the shared convention: code DAMAGE_*,
// evidence "class" (line_endings, base64, reencoding, trailing_bytes, leading_bytes, truncation,
// concatenation, wrong_content, rewritten, xml_reformatted, xml_reencoded, xml_prefixes) and
// "reversible" ("true"/"false").
struct Damage {
  Finding finding;
  // Reversible classes: the reconstructed original and how it was made ("crlf-to-lf", "base64", ...).
  // Several candidates of one class are several Damage entries with the same code; at most
  // kMaxCandidates candidates in all, each made in one linear pass.
  std::string method;
  std::optional<std::string> candidate;
};

constexpr size_t kMaxCandidates = 6;
// Detectors that build several full-size candidates skip inputs above this size.
constexpr size_t kMaxCandidateSource = 256u << 20;

// Every detector, cheapest first; each bounded by a linear pass over `bytes`.
std::vector<Damage> find_damage(std::string_view bytes, const FailureContext& context);

// The findings of find_damage, one per code (candidates dropped).
std::vector<Finding> damage_findings(const std::vector<Damage>& damages);

// True when `report` shows a failure forensics should look at: a signature whose integrity failed
// (DIGEST_MISMATCH, BYTERANGE_INVALID, ...); data after the last revision (UNSIGNED_DATA_AFTER_LAST_REVISION);
// or, in a document that did not pass, a signature removed or a structure the reader repaired.
bool integrity_failed(const DocumentReport& report);

// Helper for detectors: a DAMAGE_* finding from the catalog with "class" and "reversible" set.
Finding make_damage_finding(const std::string& code, const std::string& damage_class, bool reversible,
                            std::map<std::string, std::string> evidence = {});

}  // namespace libsign::damage
