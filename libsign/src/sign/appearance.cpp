#include "sign/appearance.hpp"

#include <ctime>

namespace libsign::sign {

std::string vietnam_time(long long unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds + 7 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%d/%m/%Y %H:%M:%S +07:00", &tm);
  return buf;
}

pdf::Ref add_appearance(pdf::IncrementalUpdate& update, double width, double height, const AppearanceText& text,
                        const VisibleSignature* visible) {
  (void)text;
  pdf::Ref ref = update.allocate();
  if (!visible) {
    update.put_stream(ref, "/Type /XObject /Subtype /Form /BBox [0 0 0 0]", "");
    return ref;
  }
  update.put_stream(ref, "/Type /XObject /Subtype /Form /BBox [0 0 " + std::to_string(width) + " " + std::to_string(height) + "]", "");
  return ref;
}

}  // namespace libsign::sign
