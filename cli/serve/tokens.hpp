// Bearer tokens. The token file holds one `NAME SHA256-HEX [ITEM,...]` per line: the SHA-256 of the
// token (never the token itself), then what the token may do. Items: the routes verify, sign,
// diagnose, metrics, or * (all of them), and the signing keys as key:NAME or key:*. Without items a
// token may verify and diagnose. Blank lines and lines starting with # are skipped.
#pragma once
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace libsign::serve {

struct Token {
  std::string name;
  std::array<unsigned char, 32> digest{};
  std::set<std::string> routes;  // "verify", "sign", "diagnose", "metrics"
  std::set<std::string> keys;    // key names, or "*"
  bool allows_route(const std::string& route) const { return routes.count(route) > 0; }
  bool allows_key(const std::string& key) const { return keys.count("*") > 0 || keys.count(key) > 0; }
};

class Tokens {
 public:
  // Throws Error(usage, USAGE_INVALID) naming the line of a malformed entry.
  static Tokens load(const std::string& path);
  static Tokens parse(const std::string& text);
  // The token whose digest matches SHA-256(`presented`); every entry is compared, in constant time.
  std::optional<Token> find(const std::string& presented) const;
  size_t size() const { return tokens_.size(); }

 private:
  std::vector<Token> tokens_;
};

// "Bearer X" -> X; empty when the header is missing or of another scheme.
std::string bearer_token(const std::string& authorization_header);

}  // namespace libsign::serve
