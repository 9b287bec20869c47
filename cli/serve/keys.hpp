// The signing keys of the service, named in the config file under "keys" and loaded at start-up
// (a wrong password or PIN stops the start, not the first request):
//   {"p12": FILE, "password-file": F | "password-env": VAR}
//   {"key": PEM, "cert": PEM, "chain": [PEM...], "password-file"/"password-env" (optional)}
//   {"pkcs11-module": SO, "token-label", "token-serial", "key-label", "key-id", "uri",
//    "pin-file": F | "pin-env": VAR, "cert", "chain"}
//   {"cert": PEM, "chain": [...]}  certificate only: two-phase signing (/v1/sign/prepare) with a remote key
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsign/sign.hpp"

namespace libsign::serve {

struct Key {
  std::string name;
  std::unique_ptr<Signer> signer;          // null for a certificate-only key
  std::vector<std::string> certificates;   // DER, the signer's first
};

class KeyStore {
 public:
  // Throws libsign::Error (usage for a bad description, the loaders' errors otherwise).
  static KeyStore load(const nlohmann::json& keys);
  const Key* find(const std::string& name) const;

 private:
  std::map<std::string, std::shared_ptr<Key>> keys_;
};

}  // namespace libsign::serve
