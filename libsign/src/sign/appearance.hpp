// The widget appearance of a signature: an empty form for an invisible signature, or the Vietnamese
// visible block ("Ký bởi: …", "Cơ quan: …", "Thời gian ký: …", reason, location, optional seal).
#pragma once
#include <string>

#include "libsign/sign.hpp"
#include "pdf/writer.hpp"

namespace libsign::sign {

struct AppearanceText {
  std::string signer_name, organization;  // from the certificate subject (CN, O)
  long long signing_time = 0;             // unix seconds; shown in Vietnam's time zone (+07:00)
  std::string reason, location;
};

// Adds the appearance objects to `update` and returns the reference of the /N appearance stream.
// `width`, `height`: the widget rectangle's size (0 × 0 for an invisible signature).
pdf::Ref add_appearance(pdf::IncrementalUpdate& update, double width, double height, const AppearanceText& text,
                        const VisibleSignature* visible);

// "15/06/2026 09:00:00 +07:00": the way Vietnamese administrative documents write a signing time.
std::string vietnam_time(long long unix_seconds);

}  // namespace libsign::sign
