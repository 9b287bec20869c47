// A bounds-checked DER reader for the few structures OpenSSL does not expose
// (ESS signing-certificate attributes, adbe-revocationInfoArchival).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace libsign::core {

struct DerElement {
  uint8_t tag = 0;            // the identifier octet (single-byte tags only)
  std::string_view content;   // the value octets
  std::string_view whole;     // tag + length + value
};

class DerReader {
 public:
  explicit DerReader(std::string_view data) : rest_(data) {}
  bool empty() const { return rest_.empty(); }
  // The next element, or nullopt when the input is malformed (the reader then stays empty).
  std::optional<DerElement> next();

 private:
  std::string_view rest_;
};

// The elements that make up `content` (a constructed element's value); empty when any is malformed.
std::vector<DerElement> der_children(std::string_view content);

}  // namespace libsign::core
