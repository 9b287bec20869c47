// A file left Base64-encoded by the receiving side (once or twice, with or without line breaks, or as a
// data: URL). The decoded prefix is checked before anything is decoded in full, so Base64 of anything
// that is not a signed document costs a few bytes of work.
#include <algorithm>

#include "core/encoding.hpp"
#include "damage/transfer.hpp"

namespace libsign::damage {
namespace {

constexpr int kMaxLayers = 3;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_b64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '-' || c == '_' || c == '=';
}

// The first `n` Base64 characters, blanks skipped; empty when something else comes first.
std::string significant_prefix(std::string_view text, size_t n) {
  std::string out;
  for (char c : text) {
    if (out.size() == n) break;
    if (is_blank(c)) continue;
    if (!is_b64(c)) return "";
    out.push_back(c);
  }
  return out;
}

// What a decoded document starts with: "pdf", "xml" or "".
std::string document_kind(std::string_view decoded) {
  if (decoded.substr(0, 5) == "%PDF-") return "pdf";
  size_t i = decoded.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < decoded.size() && is_blank(decoded[i])) ++i;
  if (decoded.substr(i, 5) == "<?xml") return "xml";
  return "";
}

// How many Base64 layers wrap a document, judged from the first 96 characters only; 0 when none.
int layers_from_prefix(std::string_view text, std::string& kind) {
  std::string prefix = significant_prefix(text, 96);
  for (int layer = 1; layer <= kMaxLayers && prefix.size() >= 8; ++layer) {
    auto decoded = core::base64_decode(prefix.substr(0, prefix.size() / 4 * 4));
    if (!decoded) return 0;
    kind = document_kind(*decoded);
    if (!kind.empty()) return layer;
    prefix = significant_prefix(*decoded, decoded->size());
  }
  return 0;
}

}  // namespace

void detect_base64(std::string_view bytes, const FailureContext&, std::vector<Damage>& out) {
  size_t start = 0;
  while (start < bytes.size() && is_blank(bytes[start])) ++start;
  std::string_view text = bytes.substr(start);
  std::string data_url;  // the media type of a data: URL
  const bool is_data_url = text.substr(0, 5) == "data:";
  if (is_data_url) {
    size_t comma = text.substr(0, 200).find(";base64,");
    if (comma == std::string_view::npos) return;
    data_url = std::string(text.substr(5, comma - 5));
    text = text.substr(comma + 8);
  }
  std::string kind;
  int layers = layers_from_prefix(text, kind);
  if (layers == 0) return;
  std::optional<std::string> decoded = core::base64_decode(text);
  for (int i = 1; decoded && i < layers; ++i) decoded = core::base64_decode(*decoded);
  if (!decoded || document_kind(*decoded) != kind) return;
  size_t newline = text.find('\n');
  std::map<std::string, std::string> evidence{{"layers", std::to_string(layers)},
                                               {"decoded_format", kind},
                                               {"decoded_size", std::to_string(decoded->size())},
                                               {"line_breaks", newline == std::string_view::npos ? "false" : "true"}};
  if (newline != std::string_view::npos) {
    size_t line = newline > 0 && text[newline - 1] == '\r' ? newline - 1 : newline;
    evidence["line_length"] = std::to_string(line);
  }
  if (is_data_url) evidence["data_url"] = data_url.empty() ? "data:" : data_url;
  out.push_back({make_damage_finding("DAMAGE_BASE64", "base64", true, std::move(evidence)), "base64-decode",
                 std::move(decoded)});
}

}  // namespace libsign::damage
