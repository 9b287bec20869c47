#include "validate/pdf_date.hpp"

#include <cctype>

#include "core/encoding.hpp"

namespace libsign::validate {

std::optional<long long> parse_pdf_date(const std::string& text) {
  size_t i = text.rfind("D:", 0) == 0 ? 2 : 0;
  auto digits = [&](int count, int fallback) -> std::optional<int> {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return fallback;
    int value = 0;
    for (int k = 0; k < count; ++k, ++i) {
      if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto year = digits(4, -1);
  if (!year || *year < 0) return std::nullopt;
  auto month = digits(2, 1), day = digits(2, 1), hour = digits(2, 0), minute = digits(2, 0), second = digits(2, 0);
  if (!month || !day || !hour || !minute || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  long offset = 0;
  if (i < text.size() && text[i] == 'Z') {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i] == '-' ? -1 : 1;
    ++i;
    auto oh = digits(2, 0);
    if (i < text.size() && text[i] == '\'') ++i;
    auto om = digits(2, 0);
    if (!oh || !om) return std::nullopt;
    offset = sign * (*oh * 3600L + *om * 60L);
  }
  if (i < text.size() && text[i] == '\'') ++i;
  if (i != text.size()) return std::nullopt;  // trailing junk: not a date we can trust
  return core::unix_from_fields(*year, *month, *day, *hour, *minute, *second) - offset;
}

}  // namespace libsign::validate
