#include "core/der_writer.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/encoding.hpp"

namespace libsign::core::der {

std::string tlv(unsigned char tag, std::string_view content) {
  std::string out(1, static_cast<char>(tag));
  size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else {
    std::string len;
    for (size_t v = n; v > 0; v >>= 8) len.insert(len.begin(), static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(0x80 | len.size()));
    out += len;
  }
  out.append(content.data(), content.size());
  return out;
}

std::string sequence(const std::vector<std::string>& items) {
  std::string body;
  for (const auto& i : items) body += i;
  return tlv(0x30, body);
}

std::string set(const std::vector<std::string>& items) {
  std::string body;
  for (const auto& i : items) body += i;
  return tlv(0x31, body);
}

std::string set_of(std::vector<std::string> items) {
  // X.690 §11.6: the encodings in ascending order, as octet strings padded with trailing zeros.
  std::sort(items.begin(), items.end(), [](const std::string& a, const std::string& b) {
    size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      unsigned char x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
      if (x != y) return x < y;
    }
    return false;
  });
  return set(items);
}

std::string integer(long long value) {
  if (value < 0) throw std::invalid_argument("negative INTEGER not supported");
  std::string bytes;
  unsigned long long v = static_cast<unsigned long long>(value);
  do {
    bytes.insert(bytes.begin(), static_cast<char>(v & 0xff));
    v >>= 8;
  } while (v != 0);
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return tlv(0x02, bytes);
}

std::string integer_bytes(std::string_view big_endian_unsigned) {
  std::string bytes(big_endian_unsigned);
  while (bytes.size() > 1 && bytes[0] == '\0' && !(static_cast<unsigned char>(bytes[1]) & 0x80)) bytes.erase(0, 1);
  if (bytes.empty()) bytes = std::string(1, '\0');
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return tlv(0x02, bytes);
}

std::string oid(std::string_view dotted) {
  std::vector<unsigned long long> arcs;
  unsigned long long current = 0;
  bool any = false;
  for (char c : dotted) {
    if (c == '.') {
      arcs.push_back(current);
      current = 0;
      any = false;
    } else if (c >= '0' && c <= '9') {
      current = current * 10 + static_cast<unsigned>(c - '0');
      any = true;
    } else {
      throw std::invalid_argument("bad OID");
    }
  }
  if (any) arcs.push_back(current);
  if (arcs.size() < 2) throw std::invalid_argument("bad OID");
  std::string body;
  auto base128 = [&](unsigned long long v) {
    std::string chunk(1, static_cast<char>(v & 0x7f));
    for (v >>= 7; v > 0; v >>= 7) chunk.insert(chunk.begin(), static_cast<char>(0x80 | (v & 0x7f)));
    body += chunk;
  };
  base128(arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) base128(arcs[i]);
  return tlv(0x06, body);
}

std::string octet_string(std::string_view bytes) { return tlv(0x04, bytes); }
std::string null() { return std::string("\x05\x00", 2); }
std::string boolean(bool value) { return tlv(0x01, std::string(1, value ? '\xff' : '\0')); }

std::string utc_time(long long unix_seconds) { return tlv(0x17, format_unix(unix_seconds, "%y%m%d%H%M%SZ")); }

std::string context(int number, std::string_view content, bool constructed) {
  return tlv(static_cast<unsigned char>((constructed ? 0xa0 : 0x80) | number), content);
}

std::string algorithm(std::string_view dotted_oid, bool with_null_parameters) {
  return with_null_parameters ? sequence({oid(dotted_oid), null()}) : sequence({oid(dotted_oid)});
}

}  // namespace libsign::core::der
