#include "core/der_reader.hpp"

namespace libsign::core {

std::optional<DerElement> DerReader::next() {
  auto fail = [this]() -> std::optional<DerElement> {
    rest_ = {};
    return std::nullopt;
  };
  if (rest_.size() < 2) return fail();
  const auto* p = reinterpret_cast<const unsigned char*>(rest_.data());
  uint8_t tag = p[0];
  if ((tag & 0x1f) == 0x1f) return fail();  // multi-byte tags are not used by the structures we read
  size_t pos = 2;
  size_t length = p[1];
  if (length & 0x80) {
    size_t count = length & 0x7f;
    if (count == 0 || count > 4 || rest_.size() < 2 + count) return fail();
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | p[2 + i];
    pos += count;
  }
  if (length > rest_.size() - pos) return fail();
  DerElement element{tag, rest_.substr(pos, length), rest_.substr(0, pos + length)};
  rest_.remove_prefix(pos + length);
  return element;
}

std::vector<DerElement> der_children(std::string_view content) {
  std::vector<DerElement> out;
  DerReader reader(content);
  while (!reader.empty()) {
    auto e = reader.next();
    if (!e) return {};
    out.push_back(*e);
  }
  return out;
}

}  // namespace libsign::core
