#include "pdf/parser.hpp"

#include <array>
#include <cstring>

#include <cmath>
#include <cstdlib>
#include <string>

#include "pdf/chars.hpp"
#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

void Parser::error(const char* what) const { malformed(what, base_ + p_); }

void Parser::skip_blanks() {
  while (p_ < d_.size() && is_ws(static_cast<unsigned char>(d_[p_]))) ++p_;
}

void Parser::skip_ws() {
  while (p_ < d_.size()) {
    unsigned char c = static_cast<unsigned char>(d_[p_]);
    if (is_ws(c)) {
      ++p_;
    } else if (c == '%') {
      while (p_ < d_.size() && d_[p_] != '\n' && d_[p_] != '\r') ++p_;
    } else {
      break;
    }
  }
}

bool Parser::try_keyword(std::string_view kw) {
  if (d_.size() - std::min(p_, d_.size()) < kw.size() || d_.compare(p_, kw.size(), kw) != 0) return false;
  size_t after = p_ + kw.size();
  if (after < d_.size() && is_regular(static_cast<unsigned char>(d_[after]))) return false;
  p_ = after;
  return true;
}

void Parser::expect_keyword(std::string_view kw) {
  if (!try_keyword(kw)) malformed("expected '" + std::string(kw) + "'", base_ + p_);
}

std::optional<uint64_t> Parser::try_uint() {
  size_t q = p_;
  uint64_t v = 0;
  while (q < d_.size() && is_digit(static_cast<unsigned char>(d_[q]))) {
    if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(d_[q] - '0');
    ++q;
  }
  if (q == p_) return std::nullopt;
  if (q < d_.size() && (d_[q] == '.' || is_regular(static_cast<unsigned char>(d_[q])))) return std::nullopt;
  p_ = q;
  return v;
}

ObjPtr Parser::parse_object(int depth) {
  if (depth > limits::kMaxNesting) error("objects nested too deeply");
  skip_ws();
  if (at_end()) error("unexpected end of data");
  unsigned char c = static_cast<unsigned char>(d_[p_]);
  switch (c) {
    case '/': return parse_name();
    case '(': return parse_literal_string();
    case '[': return parse_array(depth);
    case '<':
      if (p_ + 1 < d_.size() && d_[p_ + 1] == '<') {
        p_ += 2;
        return parse_dict_body(depth);
      }
      return parse_hex_string();
    default: break;
  }
  if (is_digit(c) || c == '+' || c == '-' || c == '.') {
    size_t start = p_;
    if (is_digit(c)) {
      // Possibly "num gen R".
      auto num = try_uint();
      if (num) {
        size_t after_num = p_;
        skip_ws();
        auto gen = try_uint();
        if (gen) {
          skip_ws();
          if (try_keyword("R")) {
            if (*num > limits::kMaxObjects || *gen > 65535) error("object reference out of range");
            return Object::make_ref(Ref{static_cast<uint32_t>(*num), static_cast<uint16_t>(*gen)});
          }
        }
        p_ = after_num;
        if (*num > static_cast<uint64_t>(INT64_MAX)) error("integer too large");
        return Object::make_int(static_cast<int64_t>(*num));
      }
      p_ = start;
    }
    return parse_number();
  }
  if (try_keyword("true")) return Object::make_bool(true);
  if (try_keyword("false")) return Object::make_bool(false);
  if (try_keyword("null")) return Object::null();
  error("unexpected token");
}

bool Parser::at_unknown_keyword() const {
  unsigned char c = static_cast<unsigned char>(d_[p_]);
  if (!is_regular(c) || is_digit(c) || c == '+' || c == '-' || c == '.') return false;
  size_t end = p_;
  while (end < d_.size() && is_regular(static_cast<unsigned char>(d_[end]))) ++end;
  std::string_view token = d_.substr(p_, end - p_);
  return token != "true" && token != "false" && token != "null";
}

// Skips one stray token or value. Never retried after a failure: skipping must stay linear however the
// damage nests (re-parsing a nested value after a failure inside it would be exponential in the depth).
void Parser::skip_stray_token(int depth) {
  ++tolerated_;
  unsigned char c = static_cast<unsigned char>(d_[p_]);
  if (is_regular(c)) {
    size_t end = p_;
    while (end < d_.size() && is_regular(static_cast<unsigned char>(d_[end]))) ++end;
    // The object's own end (or the next object) is never skipped: an unterminated value stays unparsable
    // instead of swallowing what follows.
    static const std::string_view kStructural[] = {"endobj", "obj", "stream", "endstream", "xref", "trailer", "startxref"};
    std::string_view token = d_.substr(p_, end - p_);
    for (auto k : kStructural)
      if (token == k) error("unterminated dictionary or array");
    p_ = end;
  } else if (c == '(' || c == '<' || c == '[') {
    // A whole stray value (string, dictionary, array) is parsed and dropped; if it cannot be parsed, neither
    // can the object (no retry: the error goes up).
    parse_object(depth + 1);
  } else {
    ++p_;  // a lone delimiter: ] } { )
  }
}

ObjPtr Parser::parse_number() {
  size_t start = p_;
  bool neg = false;
  if (d_[p_] == '+' || d_[p_] == '-') {
    neg = d_[p_] == '-';
    ++p_;
  }
  bool dot = false, digits = false;
  uint64_t int_part = 0;
  bool overflow = false;
  while (p_ < d_.size()) {
    char ch = d_[p_];
    if (is_digit(static_cast<unsigned char>(ch))) {
      digits = true;
      if (!dot) {
        if (int_part > (UINT64_MAX - 9) / 10) overflow = true;
        else int_part = int_part * 10 + static_cast<uint64_t>(ch - '0');
      }
    } else if (ch == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
    ++p_;
  }
  if (!digits || (p_ < d_.size() && is_regular(static_cast<unsigned char>(d_[p_])))) {
    p_ = start;
    error("bad number");
  }
  if (!dot) {
    if (overflow || int_part > static_cast<uint64_t>(INT64_MAX)) error("integer too large");
    int64_t v = static_cast<int64_t>(int_part);
    return Object::make_int(neg ? -v : v);
  }
  std::string text(d_.substr(start, p_ - start));
  double v = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(v)) error("bad real number");
  return Object::make_real(v);
}

std::string Parser::read_name_token() {
  ++p_;  // '/'
  std::string out;
  while (p_ < d_.size() && is_regular(static_cast<unsigned char>(d_[p_]))) {
    char ch = d_[p_];
    if (ch == '#' && p_ + 2 < d_.size()) {
      int hi = hex_value(static_cast<unsigned char>(d_[p_ + 1]));
      int lo = hex_value(static_cast<unsigned char>(d_[p_ + 2]));
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        p_ += 3;
        continue;
      }
    }
    out.push_back(ch);
    ++p_;
  }
  return out;
}

ObjPtr Parser::parse_name() { return Object::make_name(read_name_token()); }

ObjPtr Parser::parse_literal_string() {
  size_t start = p_;
  ++p_;  // '('
  std::string out;
  int nesting = 1;
  while (true) {
    if (p_ >= d_.size()) {
      p_ = start;
      error("unterminated string");
    }
    char ch = d_[p_++];
    if (ch == '(') {
      ++nesting;
      out.push_back(ch);
    } else if (ch == ')') {
      if (--nesting == 0) break;
      out.push_back(ch);
    } else if (ch == '\r') {
      // An unescaped end-of-line is read as a single \n.
      if (p_ < d_.size() && d_[p_] == '\n') ++p_;
      out.push_back('\n');
    } else if (ch == '\\') {
      if (p_ >= d_.size()) continue;  // reported as unterminated on the next turn
      char e = d_[p_++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case '\r':
          if (p_ < d_.size() && d_[p_] == '\n') ++p_;
          break;  // line continuation
        case '\n': break;
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int i = 0; i < 2 && p_ < d_.size() && d_[p_] >= '0' && d_[p_] <= '7'; ++i) v = v * 8 + (d_[p_++] - '0');
            out.push_back(static_cast<char>(v & 0xFF));
          } else {
            out.push_back(e);  // \( \) \\ and unknown escapes: the character itself
          }
      }
    } else {
      out.push_back(ch);
    }
  }
  return Object::make_string(std::move(out), false, base_ + start, base_ + p_);
}

ObjPtr Parser::parse_hex_string() {
  // Signature /Contents are tens of kilobytes of hex: decode with a table, two digits at a time.
  static const auto kHex = [] {
    std::array<int8_t, 256> table{};
    table.fill(-1);
    for (int c = 0; c < 256; ++c) table[c] = static_cast<int8_t>(hex_value(static_cast<unsigned char>(c)));
    return table;
  }();
  size_t start = p_;
  ++p_;  // '<'
  const void* close = std::memchr(d_.data() + p_, '>', d_.size() - p_);
  if (!close) {
    p_ = start;
    error("unterminated hex string");
  }
  const size_t end = static_cast<size_t>(static_cast<const char*>(close) - d_.data());
  std::string out;
  out.reserve((end - p_) / 2);
  int pending = -1;
  while (p_ < end) {
    if (pending < 0 && p_ + 1 < end) {
      int hi = kHex[static_cast<unsigned char>(d_[p_])], lo = kHex[static_cast<unsigned char>(d_[p_ + 1])];
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        p_ += 2;
        continue;
      }
    }
    unsigned char ch = static_cast<unsigned char>(d_[p_++]);
    if (is_ws(ch)) continue;
    int v = kHex[ch];
    if (v < 0) {
      --p_;
      error("bad character in hex string");
    }
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<char>(pending * 16 + v));
      pending = -1;
    }
  }
  ++p_;  // '>'
  if (pending >= 0) out.push_back(static_cast<char>(pending * 16));
  return Object::make_string(std::move(out), true, base_ + start, base_ + p_);
}

ObjPtr Parser::parse_array(int depth) {
  ++p_;  // '['
  std::vector<ObjPtr> items;
  while (true) {
    skip_ws();
    if (at_end()) error("unterminated array");
    if (d_[p_] == ']') {
      ++p_;
      break;
    }
    if (lenient_ && at_unknown_keyword()) {
      skip_stray_token(depth);  // an unknown keyword inside an array
      continue;
    }
    items.push_back(parse_object(depth + 1));
  }
  return Object::make_array(std::move(items));
}

ObjPtr Parser::parse_dict_body(int depth) {
  std::vector<DictEntry> entries;
  while (true) {
    skip_ws();
    if (at_end()) error("unterminated dictionary");
    if (d_[p_] == '>') {
      if (p_ + 1 < d_.size() && d_[p_ + 1] == '>') {
        p_ += 2;
        break;
      }
      error("bad dictionary end");
    }
    if (d_[p_] != '/') {
      // Readers skip a stray value where a key should be ("/X 1 0 R 0 R"); so do we, counted as tolerated.
      if (d_[p_] == '>' || !lenient_) error("dictionary key is not a name");
      skip_stray_token(depth);
      continue;
    }
    std::string key = read_name_token();
    ObjPtr value = parse_object(depth + 1);
    // Duplicate keys: the last one wins, consistently everywhere in this module.
    bool replaced = false;
    for (auto& e : entries)
      if (e.key == key) {
        e.value = value;
        replaced = true;
      }
    if (!replaced) entries.push_back(DictEntry{std::move(key), std::move(value)});
  }
  return Object::make_dict(std::move(entries));
}

Parser::Indirect Parser::parse_indirect(const LengthResolver& resolve_length, const EndstreamFinder& find_endstream) {
  skip_ws();
  auto num = try_uint();
  skip_ws();
  auto gen = try_uint();
  skip_ws();
  if (!num || !gen || !try_keyword("obj")) error("expected 'N G obj'");
  if (*num > limits::kMaxObjects || *gen > 65535) error("object number out of range");
  Indirect out;
  out.ref = Ref{static_cast<uint32_t>(*num), static_cast<uint16_t>(*gen)};
  ObjPtr obj = parse_object(0);
  skip_ws();
  if (obj->is_dict() && try_keyword("stream")) {
    // The keyword is followed by CRLF or LF (a lone CR is tolerated).
    if (p_ < d_.size() && d_[p_] == '\r') ++p_;
    if (p_ < d_.size() && d_[p_] == '\n') ++p_;
    size_t data_start = p_;
    auto len_obj = obj->get("Length");
    std::optional<int64_t> len;
    if (len_obj && len_obj->is_int()) len = len_obj->as_int();
    else if (len_obj && len_obj->is_ref() && resolve_length) len = resolve_length(len_obj->as_ref());
    bool ends_right = false;
    if (len && *len >= 0 && static_cast<uint64_t>(*len) <= d_.size() - data_start) {
      p_ = data_start + static_cast<size_t>(*len);
      skip_blanks();
      ends_right = try_keyword("endstream");
    }
    if (!ends_right) {
      if (!find_endstream) {
        if (!len) error("stream without a usable /Length");
        if (*len < 0 || static_cast<uint64_t>(*len) > d_.size() - data_start) error("stream /Length runs past the end of the data");
        error("stream /Length does not end at 'endstream'");
      }
      auto end = find_endstream(data_start);
      bool len_fits = len && *len >= 0 && static_cast<uint64_t>(*len) <= d_.size() - data_start;
      if (!end && len_fits) {
        // No "endstream" anywhere after the data: take /Length as it is (the keyword is what is missing).
        p_ = data_start + static_cast<size_t>(*len);
        out.length_repaired = true;
        obj = Object::make_stream(obj->entries(), base_ + data_start, static_cast<size_t>(*len), out.ref);
        skip_ws();
        if (!try_keyword("endobj")) out.endobj_missing = true;
        out.object = std::move(obj);
        return out;
      }
      if (!end) error("stream without a usable /Length and no 'endstream' after it");
      // The data stops before the end-of-line that precedes "endstream".
      size_t stop = *end;
      if (stop > data_start && d_[stop - 1] == '\n') --stop;
      if (stop > data_start && d_[stop - 1] == '\r') --stop;
      len = static_cast<int64_t>(stop - data_start);
      p_ = *end + 9;
      out.length_repaired = true;
    }
    obj = Object::make_stream(obj->entries(), base_ + data_start, static_cast<size_t>(*len), out.ref);
    skip_ws();
  }
  if (!try_keyword("endobj")) out.endobj_missing = true;
  out.object = std::move(obj);
  return out;
}

}  // namespace libsign::pdf
