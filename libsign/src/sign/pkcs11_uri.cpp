#include "sign/pkcs11_uri.hpp"

#include <cctype>
#include <cstdlib>
#include <set>
#include <vector>

#include "libsign/error.hpp"

namespace libsign::sign {
namespace {

[[noreturn]] void invalid(const std::string& what) {
  throw Error(ErrorCategory::usage, "TOKEN_URI_INVALID", "invalid pkcs11: URI: " + what);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& text, const std::string& attribute) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) invalid("bad percent-encoding in the value of '" + attribute + "'");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::string hex_encode(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string hex_decode(const std::string& hex) {
  std::string digits;
  for (char c : hex)
    if (c != ':' && c != ' ') digits += c;
  if (digits.size() % 2) invalid("a key id must be an even number of hex digits");
  std::string out;
  for (size_t i = 0; i < digits.size(); i += 2) {
    int hi = hex_value(digits[i]), lo = hex_value(digits[i + 1]);
    if (hi < 0 || lo < 0) invalid("a key id must be hex digits");
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

Pkcs11Uri parse_pkcs11_uri(const std::string& uri) {
  static const std::string scheme = "pkcs11:";
  if (uri.size() < scheme.size()) invalid("it does not start with 'pkcs11:'");
  for (size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(uri[i])) != scheme[i]) invalid("it does not start with 'pkcs11:'");
  std::string rest = uri.substr(scheme.size());
  size_t fragment = rest.find('#');
  if (fragment != std::string::npos) invalid("a fragment ('#') is not allowed");
  size_t question = rest.find('?');
  std::string path = rest.substr(0, question);
  std::string query = question == std::string::npos ? std::string() : rest.substr(question + 1);

  Pkcs11Uri out;
  std::set<std::string> seen;
  auto take = [&](const std::string& attribute) -> std::pair<std::string, std::string> {
    size_t eq = attribute.find('=');
    if (eq == std::string::npos || eq == 0) invalid("an attribute without a name or '='");
    std::string name = attribute.substr(0, eq);
    // A PIN in a URI leaks into shell history, `ps`, logs and error reports: refuse before decoding.
    if (name == "pin-value")
      invalid("pin-value is refused (a PIN in a URI leaks into shell history and logs); use pin-source=file:PATH "
              "or give the PIN separately");
    if (!seen.insert(name).second) invalid("the attribute '" + name + "' appears twice");
    return {name, percent_decode(attribute.substr(eq + 1), name)};
  };

  for (const auto& attribute : split(path, ';')) {
    if (attribute.empty()) continue;
    auto [name, value] = take(attribute);
    if (name == "token") out.token = value;
    else if (name == "serial") out.serial = value;
    else if (name == "manufacturer") out.manufacturer = value;
    else if (name == "model") out.model = value;
    else if (name == "object") out.object = value;
    else if (name == "id") {
      out.id = value;
      out.has_id = true;
    } else if (name == "type") {
      if (value != "private" && value != "cert")
        invalid("type=" + value + " does not name a signing key (use type=private or type=cert)");
      out.type = value;
    } else if (name == "slot-id") {
      char* end = nullptr;
      unsigned long id = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end) invalid("slot-id must be a decimal number");
      out.slot_id = id;
    } else if (name == "library-manufacturer" || name == "library-description" || name == "library-version" ||
               name == "slot-description" || name == "slot-manufacturer") {
      // Describe the module or slot: one module is loaded, so they add nothing here.
    } else if (name.rfind("x-", 0) == 0) {
      // vendor-specific (RFC 7512 §2.3): ignored
    } else {
      invalid("unknown attribute '" + name + "'");
    }
  }
  for (const auto& attribute : split(query, '&')) {
    if (attribute.empty()) continue;
    auto [name, value] = take(attribute);
    if (name == "module-path") out.module_path = value;
    else if (name == "pin-source") {
      if (value.rfind("file:", 0) == 0) {
        std::string file = value.substr(5);
        if (file.rfind("//", 0) == 0) {  // file://[host]/path: only the local host
          size_t slash = file.find('/', 2);
          std::string host = file.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
          if (!host.empty() && host != "localhost") invalid("pin-source must be a local file");
          file = slash == std::string::npos ? std::string() : file.substr(slash);
        }
        out.pin_source = file;
      } else if (!value.empty() && value[0] == '/') {
        out.pin_source = value;  // a bare absolute path, as several tools write it
      } else {
        invalid("pin-source must be file:PATH (programs or other schemes are not run)");
      }
      if (out.pin_source.empty()) invalid("pin-source names no file");
    } else if (name == "module-name" || name.rfind("x-", 0) == 0) {
      // module-name needs a module registry (p11-kit); module-path or the module option is used instead
    } else {
      invalid("unknown query attribute '" + name + "'");
    }
  }
  return out;
}

}  // namespace libsign::sign
