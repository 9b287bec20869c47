// Transport damage detectors (class names in damage.hpp). Each is a Detector (detector.hpp).
#pragma once
#include "damage/detector.hpp"

namespace libsign::damage {

void detect_leading_bytes(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);
void detect_trailing_bytes(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);
void detect_concatenation(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);
void detect_truncation(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);
void detect_base64(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);
void detect_reencoding(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);
void detect_line_endings(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);

}  // namespace libsign::damage
