// Big-endian reads and writes for sfnt (TrueType) and PNG structures. Reads are bounds checked by the
// caller's `need`; these helpers only assemble bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace libsign::appearance {

inline uint16_t be16(std::string_view b, std::size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}
inline uint32_t be32(std::string_view b, std::size_t at) {
  return (static_cast<uint32_t>(be16(b, at)) << 16) | be16(b, at + 2);
}
inline int16_t sbe16(std::string_view b, std::size_t at) { return static_cast<int16_t>(be16(b, at)); }

inline void put16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}
inline void put32(std::string& out, uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xFFFF);
}
inline void set16(std::string& out, std::size_t at, uint32_t v) {
  out[at] = static_cast<char>((v >> 8) & 0xFF);
  out[at + 1] = static_cast<char>(v & 0xFF);
}
inline void set32(std::string& out, std::size_t at, uint32_t v) {
  set16(out, at, v >> 16);
  set16(out, at + 2, v & 0xFFFF);
}

}  // namespace libsign::appearance
