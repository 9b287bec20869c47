// libsign — giving back the signed original of a file damaged in transit (docs/damage.md).
#pragma once
#include "libsign/export.hpp"
#include <string>
#include <string_view>

#include "libsign/report.hpp"
#include "libsign/verify.hpp"

namespace libsign {

struct RecoveredOriginal {
  DocumentReport report;  // the report on the bytes as received: DAMAGE_* findings, `recovered` set
  std::string method;     // how the original was rebuilt, e.g. "base64-decode", "strip-leading+strip-trailing"
  std::string bytes;      // the original
};

// Rebuilds the original of damaged `bytes` and returns it only when every one of its signatures verifies
// (TOTAL_PASSED) under `verifier`'s trust. Throws Error(format, RECOVER_NOT_DAMAGED) when the bytes verify
// as they are or show no reversible damage, Error(format, RECOVER_REFUSED) when the rebuilt original does
// not verify; Error(format, ...) of the reader when the bytes cannot be read and show no damage.
LIBSIGN_API RecoveredOriginal recover(const Verifier& verifier, std::string_view bytes, const std::string& label = "");

// The same for a file: writes the original to `output` through a temporary file renamed into place;
// `output` may not be `input` unless `allow_overwrite` (Error(usage, OUTPUT_IS_INPUT)). Returns the report
// on `input`.
LIBSIGN_API DocumentReport recover_file(const Verifier& verifier, const std::string& input, const std::string& output,
                            bool allow_overwrite = false);

}  // namespace libsign
