// Bytes added before the header (a UTF-8 BOM, HTTP response or multipart part headers) or after the
// last %%EOF (zeros, blanks, a multipart closing boundary) by an upload or download layer.
#include <algorithm>

#include "damage/pdf_scan.hpp"
#include "damage/transfer.hpp"

namespace libsign::damage {
namespace {

bool all_of_bytes(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// The first line, at most 80 bytes, without its EOL: evidence that shows what the layer wrote.
std::string first_line(std::string_view s) {
  size_t n = std::min({s.find('\r'), s.find('\n'), size_t{80}, s.size()});
  std::string line(s.substr(0, n));
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return line;
}

bool ends_with_header_block(std::string_view s) {
  return s.size() >= 2 && (s.substr(s.size() - 2) == "\n\n" || (s.size() >= 4 && s.substr(s.size() - 4) == "\r\n\r\n"));
}

std::string leading_kind(std::string_view prefix) {
  if (prefix == "\xEF\xBB\xBF") return "bom";
  if ((prefix.substr(0, 5) == "HTTP/") && ends_with_header_block(prefix)) return "http_headers";
  if (prefix.substr(0, 2) == "--" && prefix.find("Content-") != std::string_view::npos && ends_with_header_block(prefix))
    return "multipart_headers";
  if (all_of_bytes(prefix, is_blank)) return "whitespace";
  return "other";
}

// "--boundary--" (optionally with EOLs around), as a multipart body ends.
bool is_closing_boundary(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == '\r' || s[i] == '\n')) ++i;
  size_t j = s.size();
  while (j > i && (s[j - 1] == '\r' || s[j - 1] == '\n')) --j;
  std::string_view line = s.substr(i, j - i);
  return line.size() >= 5 && line.size() <= 200 && line.substr(0, 2) == "--" && line.substr(line.size() - 2) == "--" &&
         line.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

void detect_leading_bytes(std::string_view bytes, const FailureContext&, std::vector<Damage>& out) {
  size_t header = pdf_header_offset(bytes);
  if (header == kNone || header == 0) return;
  std::string_view prefix = bytes.substr(0, header);
  std::string kind = leading_kind(prefix);
  // Unknown bytes are claimed only in a signed file, and only a few: not what a transfer layer writes else.
  if (kind == "other" && (prefix.size() > 1024 || !has_signature_text(bytes))) return;
  std::map<std::string, std::string> evidence{{"kind", kind}, {"bytes", std::to_string(header)}};
  if (kind == "http_headers" || kind == "multipart_headers") evidence["first_line"] = first_line(prefix);
  Damage d{make_damage_finding("DAMAGE_LEADING_BYTES", "leading_bytes", true, std::move(evidence)), "strip-leading",
           std::string(bytes.substr(header))};
  out.push_back(std::move(d));
}

void detect_trailing_bytes(std::string_view bytes, const FailureContext&, std::vector<Damage>& out) {
  if (pdf_header_offset(bytes) == kNone) return;
  size_t eof = end_of_last_eof_marker(bytes);
  if (eof == kNone || eof == bytes.size()) return;
  size_t eol = eol_length(bytes, eof);
  std::string_view rest = bytes.substr(eof + eol);
  if (rest.empty()) return;
  if (rest.find("%PDF-") != std::string_view::npos) return;  // a second file: concatenation
  std::string kind;
  if (all_of_bytes(rest, [](char c) { return c == '\0'; })) kind = "zeros";
  else if (all_of_bytes(rest, is_blank)) kind = "whitespace";
  else if (is_closing_boundary(bytes.substr(eof))) kind = "multipart_boundary";
  else if (rest.find(" obj") != std::string_view::npos || rest.find("xref") != std::string_view::npos) return;  // a cut revision
  else if (has_signature_text(bytes)) kind = "other";
  else return;
  // Where the original ended: where a signature says (its ByteRange ends at the end of its revision),
  // else right after %%EOF and its EOL, else right after %%EOF (a multipart CRLF is framing, not file).
  std::vector<size_t> cuts;
  for (const ByteRangeText& r : byte_ranges(bytes))
    if (r.end() >= static_cast<int64_t>(eof) && r.end() <= static_cast<int64_t>(eof + eol)) cuts.push_back(static_cast<size_t>(r.end()));
  cuts.push_back(eof + eol);
  if (eol) cuts.push_back(eof);
  std::sort(cuts.begin() + 1, cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::map<std::string, std::string> evidence{{"kind", kind},
                                               {"bytes", std::to_string(bytes.size() - cuts.front())},
                                               {"offset", std::to_string(cuts.front())}};
  if (kind == "multipart_boundary" || kind == "other") evidence["first_line"] = first_line(rest);
  for (size_t i = 0; i < cuts.size() && i < 2; ++i) {
    Damage d{make_damage_finding("DAMAGE_TRAILING_BYTES", "trailing_bytes", true, evidence), "strip-trailing",
             std::string(bytes.substr(0, cuts[i]))};
    out.push_back(std::move(d));
  }
}

}  // namespace libsign::damage
