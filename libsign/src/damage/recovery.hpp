// Recovery: verifies the candidate originals find_damage made, within a budget, and keeps the best.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "damage/damage.hpp"

namespace libsign::damage {

// Verifies bytes without forensics; throws libsign::Error when they cannot be read.
using VerifyFn = std::function<DocumentReport(std::string_view bytes, const std::string& label)>;

struct Recovery {
  std::vector<Finding> findings;                    // DAMAGE_* found, one per code (layers under the chosen one too)
  std::shared_ptr<const DocumentReport> recovered;  // the best candidate that could be read; null when none
  std::string method;                               // "strip-leading+base64-decode" for nested damage
  std::string bytes;                                // the recovered original, when asked for and recovered
  bool passed() const;                              // recovered, with signatures, all TOTAL_PASSED
};

// Limits: each candidate is one linear pass plus one verification; depth is the number of damage layers
// undone one inside the other (HTTP headers around Base64, ...).
struct RecoveryLimits {
  size_t max_verifications = 8;
  int max_depth = 3;
  size_t max_size = 256u << 20;  // no candidates for bigger inputs: findings only
  double max_seconds = 30;
};

Recovery examine(std::string_view bytes, const FailureContext& context, const VerifyFn& verify, bool keep_bytes,
                 const RecoveryLimits& limits = {});

}  // namespace libsign::damage
