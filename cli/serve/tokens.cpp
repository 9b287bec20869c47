#include "tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "libsign/error.hpp"

namespace libsign::serve {
namespace {

const std::set<std::string> kRoutes = {"verify", "sign", "diagnose", "metrics"};

[[noreturn]] void bad_line(size_t line, const std::string& why) {
  throw Error(ErrorCategory::usage, "USAGE_INVALID", "token file, line " + std::to_string(line) + ": " + why);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Tokens Tokens::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot read the token file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

Tokens Tokens::parse(const std::string& text) {
  Tokens out;
  std::istringstream lines(text);
  std::string line;
  for (size_t number = 1; std::getline(lines, line); ++number) {
    std::istringstream words(line);
    std::string name, hex, items, extra;
    if (!(words >> name) || name[0] == '#') continue;
    if (!(words >> hex)) bad_line(number, "a NAME needs the SHA-256 of its token (64 hex digits)");
    words >> items;
    if (words >> extra) bad_line(number, "too many fields (NAME SHA256-HEX [ROUTE,...])");
    Token t;
    t.name = name;
    if (hex.size() != 64) bad_line(number, "the digest must be 64 hex digits (sha256sum of the token)");
    for (size_t i = 0; i < 32; ++i) {
      int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) bad_line(number, "the digest must be 64 hex digits (sha256sum of the token)");
      t.digest[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    if (items.empty()) items = "verify,diagnose";
    std::istringstream list(items);
    for (std::string item; std::getline(list, item, ',');) {
      if (item == "*") t.routes = kRoutes;
      else if (item.rfind("key:", 0) == 0 && item.size() > 4) t.keys.insert(item.substr(4));
      else if (kRoutes.count(item)) t.routes.insert(item);
      else bad_line(number, "unknown item '" + item + "' (verify, sign, diagnose, metrics, *, key:NAME, key:*)");
    }
    for (const Token& other : out.tokens_) {
      if (other.name == t.name) bad_line(number, "the name '" + name + "' is used twice");
      if (other.digest == t.digest) bad_line(number, "the same token digest is listed twice");
    }
    out.tokens_.push_back(std::move(t));
  }
  return out;
}

std::optional<Token> Tokens::find(const std::string& presented) const {
  unsigned char digest[32];
  unsigned int length = 0;
  if (presented.empty() || EVP_Digest(presented.data(), presented.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    return std::nullopt;
  const Token* match = nullptr;
  for (const Token& t : tokens_)  // no early exit: the time does not say which entry matched
    if (CRYPTO_memcmp(t.digest.data(), digest, 32) == 0) match = &t;
  OPENSSL_cleanse(digest, sizeof digest);
  if (!match) return std::nullopt;
  return *match;
}

std::string bearer_token(const std::string& header) {
  static const std::string scheme = "Bearer ";
  if (header.size() <= scheme.size()) return "";
  for (size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(scheme[i]))) return "";
  size_t start = header.find_first_not_of(' ', scheme.size());
  if (start == std::string::npos) return "";
  size_t end = header.find_last_not_of(" \t");
  return header.substr(start, end + 1 - start);
}

}  // namespace libsign::serve
