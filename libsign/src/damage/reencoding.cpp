// Bytes read as single-byte text (ISO-8859-1, Windows-1252, Windows-1258) and written back as UTF-8 by a
// text API: every byte >= 0x80 became two or three bytes. Undone by decoding the UTF-8 and mapping each
// character back to its byte; the three code pages never map two different bytes to one character, so
// one table serves them all.
#include <unordered_map>

#include "damage/pdf_scan.hpp"
#include "damage/transfer.hpp"

namespace libsign::damage {
namespace {

// Characters of 0x80-0x9F in Windows-1252 and Windows-1258 (where they differ from ISO-8859-1).
const std::unordered_map<uint32_t, unsigned char>& windows_specials() {
  static const std::unordered_map<uint32_t, unsigned char> table = {
      {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85}, {0x2020, 0x86},
      {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
      {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95},
      {0x2013, 0x96}, {0x2014, 0x97}, {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
      {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F}};
  return table;
}

// Characters only Windows-1258 (Vietnamese) produces, in place of ISO-8859-1 ones.
const std::unordered_map<uint32_t, unsigned char>& vietnamese_specials() {
  static const std::unordered_map<uint32_t, unsigned char> table = {
      {0x0102, 0xC3}, {0x0300, 0xCC}, {0x0110, 0xD0}, {0x0309, 0xD2}, {0x01A0, 0xD5}, {0x01AF, 0xDD},
      {0x0303, 0xDE}, {0x0103, 0xE3}, {0x0301, 0xEC}, {0x0111, 0xF0}, {0x0323, 0xF2}, {0x01A1, 0xF5},
      {0x01B0, 0xFD}, {0x20AB, 0xFE}};
  return table;
}

// Next UTF-8 character at `i`; -1 when the bytes are not well-formed UTF-8.
int64_t next_char(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { ++i; return c; }
  int extra = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : -1;
  if (extra < 0 || i + static_cast<size_t>(extra) >= s.size()) return -1;
  uint32_t v = c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    unsigned char t = static_cast<unsigned char>(s[i + k]);
    if ((t & 0xC0) != 0x80) return -1;
    v = (v << 6) | (t & 0x3F);
  }
  i += static_cast<size_t>(extra) + 1;
  return v;
}

}  // namespace

void detect_reencoding(std::string_view bytes, const FailureContext&, std::vector<Damage>& out) {
  if (pdf_header_offset(bytes, 1024) == kNone) return;
  if (bytes.size() > kMaxCandidateSource) return;  // several full-size candidates: too big
  if (!has_signature_text(bytes)) return;  // offsets alone are a weak sign: only where a signature broke
  std::string original;
  original.reserve(bytes.size());
  size_t multibyte = 0, windows = 0, vietnamese = 0, c1 = 0;
  for (size_t i = 0; i < bytes.size();) {
    int64_t ch = next_char(bytes, i);
    if (ch < 0) return;  // not UTF-8: not this damage
    if (ch < 0x80) { original.push_back(static_cast<char>(ch)); continue; }
    ++multibyte;
    if (ch <= 0xFF) {
      if (ch < 0xA0) ++c1;
      original.push_back(static_cast<char>(ch));
    } else if (auto w = windows_specials().find(static_cast<uint32_t>(ch)); w != windows_specials().end()) {
      ++windows;
      original.push_back(static_cast<char>(w->second));
    } else if (auto v = vietnamese_specials().find(static_cast<uint32_t>(ch)); v != vietnamese_specials().end()) {
      ++vietnamese;
      original.push_back(static_cast<char>(v->second));
    } else {
      return;  // a character no single-byte code page here produces: real UTF-8 text
    }
  }
  if (multibyte == 0) return;
  // Real UTF-8 Latin text in an otherwise intact file: the producer's offsets fit as it is.
  if (startxref_fits(bytes) || !startxref_fits(original)) return;
  std::string codepage = vietnamese ? "windows-1258" : windows ? "windows-1252" : c1 ? "iso-8859-1" : "iso-8859-1 or windows-1252";
  std::map<std::string, std::string> evidence{{"codepage", codepage},
                                               {"characters_reencoded", std::to_string(multibyte)},
                                               {"bytes_added", std::to_string(bytes.size() - original.size())}};
  out.push_back({make_damage_finding("DAMAGE_REENCODED", "reencoding", true, std::move(evidence)), "utf8-to-" + codepage.substr(0, codepage.find(' ')),
                 std::move(original)});
}

}  // namespace libsign::damage
