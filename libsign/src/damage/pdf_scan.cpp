#include "damage/pdf_scan.hpp"

#include <cctype>

namespace libsign::damage {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

std::optional<int64_t> read_int(std::string_view s, size_t& i) {
  size_t start = i;
  int64_t v = 0;
  while (i < s.size() && is_digit(s[i]) && i - start < 15) v = v * 10 + (s[i++] - '0');
  if (i == start) return std::nullopt;
  return v;
}

// "N G obj" at `pos`.
bool object_header_at(std::string_view s, size_t pos) {
  size_t i = pos;
  if (!read_int(s, i)) return false;
  skip_space(s, i);
  if (!read_int(s, i)) return false;
  skip_space(s, i);
  return s.substr(i, 3) == "obj";
}

}  // namespace

size_t pdf_header_offset(std::string_view bytes, size_t limit) {
  size_t p = bytes.substr(0, limit).find("%PDF-");
  return p == std::string_view::npos ? kNone : p;
}

bool xref_target_at(std::string_view bytes, size_t offset);

bool startxref_fits(std::string_view bytes) {
  size_t tail = bytes.size() > 4096 ? bytes.size() - 4096 : 0;
  size_t p = bytes.rfind("startxref");
  if (p == std::string_view::npos || p < tail) return false;
  size_t i = p + 9;
  skip_space(bytes, i);
  auto offset = read_int(bytes, i);
  if (!offset || *offset <= 0 || static_cast<uint64_t>(*offset) >= bytes.size()) return false;
  return xref_target_at(bytes, static_cast<size_t>(*offset));
}

bool xref_target_at(std::string_view bytes, size_t offset) {
  return offset < bytes.size() && (bytes.substr(offset, 4) == "xref" || object_header_at(bytes, offset));
}

std::optional<size_t> last_startxref_value(std::string_view bytes) {
  size_t p = bytes.rfind("startxref");
  if (p == std::string_view::npos) return std::nullopt;
  size_t i = p + 9;
  skip_space(bytes, i);
  auto offset = read_int(bytes, i);
  if (!offset || *offset < 0) return std::nullopt;
  return static_cast<size_t>(*offset);
}

bool has_signature_text(std::string_view bytes) { return bytes.find("/ByteRange") != std::string_view::npos; }

std::vector<ByteRangeText> byte_ranges(std::string_view bytes, size_t max) {
  std::vector<ByteRangeText> out;
  for (size_t p = bytes.find("/ByteRange"); p != std::string_view::npos && out.size() < max;
       p = bytes.find("/ByteRange", p + 10)) {
    size_t i = p + 10;
    skip_space(bytes, i);
    if (i >= bytes.size() || bytes[i] != '[') continue;
    ++i;
    int64_t v[4];
    bool ok = true;
    for (int64_t& x : v) {
      skip_space(bytes, i);
      auto n = read_int(bytes, i);
      if (!n) { ok = false; break; }
      x = *n;
    }
    if (ok) out.push_back({v[0], v[1], v[2], v[3]});
  }
  return out;
}

size_t eol_length(std::string_view bytes, size_t pos) {
  if (pos >= bytes.size()) return 0;
  if (bytes[pos] == '\r') return pos + 1 < bytes.size() && bytes[pos + 1] == '\n' ? 2 : 1;
  return bytes[pos] == '\n' ? 1 : 0;
}

namespace {

// A direct "/Length N" in the dictionary that ends just before `stream_kw` (searched back to "obj").
std::optional<int64_t> declared_length(std::string_view bytes, size_t stream_kw) {
  size_t from = stream_kw > 2048 ? stream_kw - 2048 : 0;
  std::string_view dict = bytes.substr(from, stream_kw - from);
  size_t obj = dict.rfind("obj");
  if (obj != std::string_view::npos) dict = dict.substr(obj);
  size_t p = dict.rfind("/Length");
  if (p == std::string_view::npos) return std::nullopt;
  size_t i = p + 7;
  if (i < dict.size() && !is_space(dict[i])) return std::nullopt;  // /Length1, /Length2 of fonts
  skip_space(dict, i);
  auto n = read_int(dict, i);
  if (!n) return std::nullopt;
  size_t j = i;
  skip_space(dict, j);
  if (read_int(dict, j)) return std::nullopt;  // "N G R": indirect
  return n;
}

}  // namespace

std::vector<StreamSpan> stream_spans(std::string_view bytes, size_t max) {
  std::vector<StreamSpan> out;
  size_t p = 0;
  while (out.size() < max && (p = bytes.find("stream", p)) != std::string_view::npos) {
    size_t kw = p;
    p += 6;
    if (kw >= 3 && bytes.substr(kw - 3, 3) == "end") continue;
    // Only after a dictionary: ">>" then blanks.
    size_t b = kw;
    while (b > 0 && is_space(bytes[b - 1])) --b;
    if (b < 2 || bytes.substr(b - 2, 2) != ">>") continue;
    size_t eol = eol_length(bytes, p);
    if (eol == 0) continue;
    StreamSpan span;
    span.begin = p + eol;
    size_t e = bytes.find("endstream", span.begin);
    if (e == std::string_view::npos) e = bytes.size();
    // The EOL before "endstream" is layout, not data (not counted in /Length).
    if (e > span.begin && bytes[e - 1] == '\n') --e;
    if (e > span.begin && bytes[e - 1] == '\r') --e;
    span.end = e;
    span.declared_length = declared_length(bytes, kw);
    out.push_back(span);
    p = span.end;
  }
  return out;
}

size_t end_of_last_eof_marker(std::string_view bytes, size_t before) {
  std::string_view view = before == kNone ? bytes : bytes.substr(0, before);
  size_t p = view.rfind("%%EOF");
  return p == std::string_view::npos ? kNone : p + 5;
}

}  // namespace libsign::damage
