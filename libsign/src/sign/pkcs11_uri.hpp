// RFC 7512 "pkcs11:" URIs, the part a signer needs. Errors never quote the URI: it might hold a PIN.
#pragma once
#include <optional>
#include <string>

namespace libsign::sign {

struct Pkcs11Uri {
  std::string token, serial, manufacturer, model;  // token attributes (percent-decoded)
  std::optional<unsigned long> slot_id;
  std::string object;      // CKA_LABEL
  std::string id;          // CKA_ID, raw bytes
  bool has_id = false;
  std::string type;        // "", "private" or "cert"
  std::string module_path;
  std::string pin_source;  // a file path (from "file:..."), empty when absent
};

// Throws Error(usage, TOKEN_URI_INVALID): not a pkcs11: URI, bad percent-encoding, an attribute twice,
// an unknown attribute, a type other than private/cert, pin-value, a pin-source that is not a file.
Pkcs11Uri parse_pkcs11_uri(const std::string& uri);

std::string hex_encode(const std::string& bytes);  // lower case
// Accepts "0a1B", "0a:1b" and "0a 1b"; throws Error(usage, TOKEN_URI_INVALID) otherwise.
std::string hex_decode(const std::string& hex);

}  // namespace libsign::sign
