// The shape every damage detector has (see damage.hpp).
#pragma once
#include <string_view>
#include <vector>

#include "damage/damage.hpp"

namespace libsign::damage {

// Looks at `bytes` once (linear, bounded) and appends what it found to `out`; appends nothing for
// bytes that do not show its class. Never throws for any input.
using Detector = void (*)(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);

}  // namespace libsign::damage
