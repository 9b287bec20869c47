// libsign pdf — PDF character classes (ISO 32000-1 §7.2.2).
#pragma once

namespace libsign::pdf {

inline bool is_ws(unsigned char c) { return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }
inline bool is_delim(unsigned char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}
inline bool is_regular(unsigned char c) { return !is_ws(c) && !is_delim(c); }
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace libsign::pdf
