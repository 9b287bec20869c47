// Placeholder definitions until each detector lands in its own file.
#include "damage/transfer.hpp"

namespace libsign::damage {
void detect_leading_bytes(std::string_view, const FailureContext&, std::vector<Damage>&) {}
void detect_trailing_bytes(std::string_view, const FailureContext&, std::vector<Damage>&) {}
void detect_concatenation(std::string_view, const FailureContext&, std::vector<Damage>&) {}
void detect_truncation(std::string_view, const FailureContext&, std::vector<Damage>&) {}
void detect_base64(std::string_view, const FailureContext&, std::vector<Damage>&) {}
void detect_reencoding(std::string_view, const FailureContext&, std::vector<Damage>&) {}
void detect_line_endings(std::string_view, const FailureContext&, std::vector<Damage>&) {}
}  // namespace libsign::damage
