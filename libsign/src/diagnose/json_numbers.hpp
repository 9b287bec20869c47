// Diagnose documents hold counts, sizes and times as JSON integers. A floating-point number in one
// read back (a state file, a worker's aggregate) would be converted to an integer type by the JSON
// library without a range check — undefined behaviour for 3.5e19 or -1.0 — so it is refused first.
#pragma once
#include <nlohmann/json.hpp>

namespace libsign::diagnose {

// Throws Error(format, DIAGNOSE_JSON_INVALID) when `j` holds a floating-point number anywhere,
// except under the top-level key `skip` (e.g. "run", whose elapsed_seconds is a real number).
void require_integral_numbers(const nlohmann::json& j, const char* skip = nullptr);

}  // namespace libsign::diagnose
