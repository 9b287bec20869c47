#include "keys.hpp"

#include "libsign/pkcs11.hpp"

namespace libsign::serve {
namespace {

// A token session is one PKCS#11 session: its signatures are made one at a time.
class SerialSigner : public Signer {
 public:
  explicit SerialSigner(std::unique_ptr<Signer> inner) : inner_(std::move(inner)) {}
  const std::vector<std::string>& certificates() const override { return inner_->certificates(); }
  std::string sign(std::string_view data, const std::string& digest) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return inner_->sign(data, digest);
  }
  std::string key_type() const override { return inner_->key_type(); }
  size_t max_signature_size() const override { return inner_->max_signature_size(); }

 private:
  std::unique_ptr<Signer> inner_;
  mutable std::mutex mutex_;
};

std::string text(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return "";
  if (!j[key].is_string()) throw Error(ErrorCategory::usage, "USAGE_INVALID", std::string("config file: key '") + key + "' must be a string");
  return j[key].get<std::string>();
}

std::vector<std::string> list(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return {};
  if (j[key].is_string()) return {j[key].get<std::string>()};
  try {
    return j[key].get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCategory::usage, "USAGE_INVALID", std::string("config file: '") + key + "' must be a list of paths");
  }
}

Secret secret(const nlohmann::json& j, const char* file_key, const char* env_key) {
  if (j.contains(file_key)) return Secret::from_file(text(j, file_key));
  if (j.contains(env_key)) return Secret::from_env(text(j, env_key));
  return {};
}

std::shared_ptr<Key> load_key(const std::string& name, const nlohmann::json& d) {
  if (!d.is_object()) throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file: key '" + name + "' must be an object");
  auto key = std::make_shared<Key>();
  key->name = name;
  if (d.contains("p12")) {
    key->signer = load_pkcs12_signer(text(d, "p12"), secret(d, "password-file", "password-env"));
  } else if (d.contains("pkcs11-module") || d.contains("uri")) {
    Pkcs11Options p;
    p.module_path = text(d, "pkcs11-module");
    p.token_label = text(d, "token-label");
    p.token_serial = text(d, "token-serial");
    p.key_label = text(d, "key-label");
    p.key_id_hex = text(d, "key-id");
    p.uri = text(d, "uri");
    p.chain_paths = list(d, "chain");
    if (d.contains("cert")) p.chain_paths.insert(p.chain_paths.begin(), text(d, "cert"));
    key->signer = std::make_unique<SerialSigner>(load_pkcs11_signer(p, secret(d, "pin-file", "pin-env")));
  } else if (d.contains("key")) {
    key->signer = load_pem_signer(text(d, "key"), text(d, "cert"), list(d, "chain"), secret(d, "password-file", "password-env"));
  } else if (d.contains("cert")) {
    key->certificates = load_certificates_der(text(d, "cert"));
    for (const auto& path : list(d, "chain")) {
      auto more = load_certificates_der(path);
      key->certificates.insert(key->certificates.end(), more.begin(), more.end());
    }
  } else {
    throw Error(ErrorCategory::usage, "USAGE_INVALID", "config file: key '" + name + "' needs p12, key+cert, pkcs11-module, or cert");
  }
  if (key->signer) key->certificates = key->signer->certificates();
  return key;
}

}  // namespace

KeyStore KeyStore::load(const nlohmann::json& keys) {
  KeyStore store;
  for (const auto& item : keys.items()) store.keys_[item.key()] = load_key(item.key(), item.value());
  return store;
}

const Key* KeyStore::find(const std::string& name) const {
  auto it = keys_.find(name);
  return it == keys_.end() ? nullptr : it->second.get();
}

}  // namespace libsign::serve
