// Two complete files one after the other (an append instead of an overwrite, two parts of an upload
// joined): a second "%PDF-" header right after a "%%EOF".
#include "damage/pdf_scan.hpp"
#include "damage/transfer.hpp"

namespace libsign::damage {

void detect_concatenation(std::string_view bytes, const FailureContext&, std::vector<Damage>& out) {
  size_t first = pdf_header_offset(bytes, 1024);
  if (first == kNone) return;
  size_t found = 0;
  for (size_t p = bytes.find("%PDF-", first + 5); p != std::string_view::npos && found < 16;
       p = bytes.find("%PDF-", p + 5), ++found) {
    size_t b = p;
    while (b > first && (bytes[b - 1] == '\r' || bytes[b - 1] == '\n' || bytes[b - 1] == ' ' || bytes[b - 1] == '\0')) --b;
    if (b < 5 || bytes.substr(b - 5, 5) != "%%EOF") continue;
    size_t first_end = b + eol_length(bytes, b);
    std::map<std::string, std::string> evidence{{"files", "2"},
                                                 {"second_at", std::to_string(p)},
                                                 {"first_size", std::to_string(first_end - first)},
                                                 {"second_size", std::to_string(bytes.size() - p)}};
    out.push_back({make_damage_finding("DAMAGE_CONCATENATED", "concatenation", true, evidence), "first-file",
                   std::string(bytes.substr(first, first_end - first))});
    out.push_back({make_damage_finding("DAMAGE_CONCATENATED", "concatenation", true, evidence), "second-file",
                   std::string(bytes.substr(p))});
    return;
  }
}

}  // namespace libsign::damage
