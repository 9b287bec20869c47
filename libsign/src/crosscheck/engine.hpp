// Botan 2.19 as a second engine: the digest of signed bytes, a signature value with the signer's
// key, and a certificate path, each judged by Botan alone from raw DER. What it concludes is
// compared with libsign's (OpenSSL) conclusion by validate/cross_check_step.cpp.
#pragma once
#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace libsign::crosscheck {

// "botan 2.19.3"
std::string engine_name();

// Botan's hash name ("SHA-256") of a digest algorithm OID or of an OpenSSL / XML-DSig short name
// ("sha256"); "" when unknown.
std::string hash_of_oid(const std::string& oid);
std::string hash_of_name(const std::string& name);

// Botan's digest of the pieces (e.g. a PDF's two byte ranges); throws for an unknown hash name.
std::vector<uint8_t> digest(const std::string& hash, const std::vector<std::string_view>& pieces);

enum class Outcome { valid, invalid, unsupported };
struct Conclusion {
  Outcome outcome = Outcome::unsupported;
  std::string detail;  // why, one line
};

// A signature value over `message` with `signer`'s key. The algorithm comes from CMS terms
// (signatureAlgorithm OID and its parameters, digestAlgorithm OID) ...
// `key`: the signer's public key when already loaded (BotanTrust::public_key), else it is loaded here.
Conclusion verify_cms_signature(const Botan::X509_Certificate& signer, const Botan::Public_Key* key, const std::string& signature_oid,
                                const std::vector<uint8_t>& signature_params, const std::string& digest_oid,
                                const std::vector<std::string_view>& message, const std::vector<uint8_t>& signature);
// ... or from an XML-DSig SignatureMethod URI (ECDSA values are r||s there).
Conclusion verify_xml_signature(const Botan::X509_Certificate& signer, const Botan::Public_Key* key, const std::string& method_uri,
                                std::string_view message, const std::vector<uint8_t>& signature);

struct PathConclusion {
  bool trusted = false;       // a path to an anchor, valid apart from validity periods
  bool time_problem = false;  // a certificate of that path is expired or not yet valid at the time
  bool unsupported = false;   // Botan cannot check a signature of the path (e.g. Ed448: Botan 2 lacks it)
  std::string detail;         // Botan's status, e.g. "Certificate issuer not found"
};

// Botan's secure memory pool is a function-local static made at its first use. A Verifier calls this
// in its constructor so that the pool is made first and, as statics are destroyed in reverse order,
// outlives a Verifier that is itself static; the keys it caches were otherwise freed into a destroyed
// pool at exit (ASan: SEGV in Botan::deallocate_memory, found by the fuzz build).
void make_botan_memory_pool();

// The trust a Verifier holds, in Botan form, decoded once; path results are cached per (leaf,
// other certificates, time) in a bounded map guarded by a mutex (a Verifier is shared by threads).
class BotanTrust {
 public:
  BotanTrust(const std::vector<std::vector<uint8_t>>& anchors, const std::vector<std::vector<uint8_t>>& intermediates);
  ~BotanTrust();
  PathConclusion validate(const Botan::X509_Certificate& leaf, const std::vector<Botan::X509_Certificate>& extra,
                          long long at_unix) const;
  size_t anchor_count() const { return anchor_count_; }
  // A certificate parsed by Botan, once per distinct DER per Verifier (parsing a self-issued one
  // verifies its signature, and loading an RSA key costs Botan a constant-time division: a batch
  // signed by one official pays it once). Throws when Botan refuses the bytes.
  Botan::X509_Certificate certificate(const std::vector<uint8_t>& der) const;
  // The certificate's public key, loaded once per distinct key; nullptr when Botan cannot load it.
  std::shared_ptr<const Botan::Public_Key> public_key(const Botan::X509_Certificate& cert) const;

 private:
  struct Store;
  std::unique_ptr<Store> store_;
  size_t anchor_count_ = 0;
  std::vector<Botan::X509_Certificate> intermediates_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, PathConclusion> cache_;
  mutable std::map<std::string, Botan::X509_Certificate> certificates_;
  mutable std::map<std::string, std::shared_ptr<const Botan::Public_Key>> keys_;
  static constexpr size_t kMaxCached = 1024;
};

// Certificates from DER; those Botan refuses are skipped (their messages go to `errors`).
std::vector<Botan::X509_Certificate> parse_certificates(const std::vector<std::string>& ders,
                                                        std::vector<std::string>* errors = nullptr);

}  // namespace libsign::crosscheck
