#include "appearance/sfnt_writer.hpp"

#include "appearance/sfnt_bytes.hpp"

namespace libsign::appearance {

uint32_t sfnt_checksum(std::string_view data) {
  uint32_t sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 4) {
    uint32_t word = 0;
    for (std::size_t k = 0; k < 4; ++k)
      word = (word << 8) | (i + k < data.size() ? static_cast<unsigned char>(data[i + k]) : 0u);
    sum += word;
  }
  return sum;
}

std::string write_sfnt(std::map<std::string, std::string> tables) {
  const auto head = tables.find("head");
  if (head != tables.end()) set32(head->second, 8, 0);  // checksums are computed with adjustment 0
  const uint32_t count = static_cast<uint32_t>(tables.size());
  uint32_t power = 1, log2 = 0;
  while (power * 2 <= count) power *= 2, ++log2;
  std::string out;
  put32(out, 0x00010000);
  put16(out, count);
  put16(out, power * 16);
  put16(out, log2);
  put16(out, count * 16 - power * 16);
  std::size_t offset = 12 + 16 * static_cast<std::size_t>(count);
  for (const auto& [tag, data] : tables) {  // std::map order is the required ascending tag order
    out += tag;
    put32(out, sfnt_checksum(data));
    put32(out, static_cast<uint32_t>(offset));
    put32(out, static_cast<uint32_t>(data.size()));
    offset += (data.size() + 3) / 4 * 4;
  }
  std::size_t head_at = 0;
  for (const auto& [tag, data] : tables) {
    if (tag == "head") head_at = out.size();
    out += data;
    out.append((4 - data.size() % 4) % 4, '\0');
  }
  if (head != tables.end()) set32(out, head_at + 8, 0xB1B0AFBAu - sfnt_checksum(out));
  return out;
}

}  // namespace libsign::appearance
