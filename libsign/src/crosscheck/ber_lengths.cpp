#include "crosscheck/ber_lengths.hpp"

namespace libsign::crosscheck {
namespace {

constexpr int kMaxDepth = 64;

std::string length_octets(size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string digits;
  for (size_t v = n; v; v >>= 8) digits.insert(digits.begin(), static_cast<char>(v & 0xff));
  return std::string(1, static_cast<char>(0x80 | digits.size())) + digits;
}

// Reads one element from the front of `in` into `out` (definite lengths); false when malformed.
// `max_children` (for the outermost element only): stop after that many children of an indefinite
// element, whether or not its end-of-contents follows.
bool element(std::string_view& in, std::string& out, int depth, int max_children = -1) {
  if (depth > kMaxDepth || in.size() < 2) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const unsigned char tag = p[0];
  if ((tag & 0x1f) == 0x1f) return false;  // multi-byte tags: not in CMS
  const bool constructed = tag & 0x20;
  size_t header = 2;
  if (p[1] == 0x80) {  // indefinite: children up to the end-of-contents octets 00 00
    if (!constructed) return false;
    std::string_view rest = in.substr(2);
    std::string body;
    for (int children = 0;; ++children) {
      if (children == max_children) {
        if (rest.size() >= 2 && rest[0] == '\0' && rest[1] == '\0') rest.remove_prefix(2);
        break;
      }
      if (rest.size() < 2) return false;
      if (rest[0] == '\0' && rest[1] == '\0') {
        rest.remove_prefix(2);
        break;
      }
      if (!element(rest, body, depth + 1)) return false;
    }
    out += static_cast<char>(tag);
    out += length_octets(body.size());
    out += body;
    in = rest;
    return true;
  }
  size_t length = p[1];
  if (length & 0x80) {
    const size_t count = length & 0x7f;
    if (count > 4 || in.size() < 2 + count) return false;
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | p[2 + i];
    header += count;
  }
  if (length > in.size() - header) return false;
  const std::string_view whole = in.substr(0, header + length);
  in.remove_prefix(header + length);
  if (constructed) {  // rebuilt only when something inside was indefinite
    std::string_view children = whole.substr(header);
    std::string body;
    bool readable = true;
    while (readable && !children.empty()) readable = element(children, body, depth + 1);
    if (readable && body != whole.substr(header)) {
      out += static_cast<char>(tag);
      out += length_octets(body.size());
      out += body;
      return true;
    }
  }
  out += whole;
  return true;
}

}  // namespace

std::optional<std::string> with_definite_lengths(std::string_view ber, int top_children) {
  std::string out;
  std::string_view rest = ber;
  if (!element(rest, out, 0, top_children)) return std::nullopt;
  out += rest;
  return out;
}

}  // namespace libsign::crosscheck
