// What the two-phase signing paths (PDF, CMS) share: the state's JSON fields, checked on the way
// back in, and a Signer that only holds certificates (enough to lay a signature out).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cms/builder.hpp"
#include "libsign/sign.hpp"
#include "pki/openssl_ptr.hpp"

namespace libsign::sign {

[[noreturn]] void refuse(const char* code, const std::string& why);  // Error(usage, code)

class CertificateOnlySigner final : public Signer {
 public:
  explicit CertificateOnlySigner(std::vector<std::string> certificates);  // DER, the signer's first
  const std::vector<std::string>& certificates() const override { return certificates_; }
  std::string sign(std::string_view, const std::string&) const override;  // always refuses
  std::string key_type() const override;
  size_t max_signature_size() const override;
  X509* certificate() const { return cert_.get(); }

 private:
  std::vector<std::string> certificates_;
  pki::Cert cert_;
};

// The state `text` of `schema`, refused when unreadable (EXTERNAL_STATE_INVALID) or older than
// `max_age` (EXTERNAL_STATE_STALE).
nlohmann::json read_state(const std::string& text, const char* schema, std::chrono::seconds max_age);
std::string bytes_field(const nlohmann::json& state, const char* key);    // base64 → bytes
size_t number_field(const nlohmann::json& state, const char* key);
// The CMS of a two-phase signature from what the service returned: a whole CMS must vouch for
// input.content_digest; a raw value must verify over `attributes` with the signer's certificate and
// is then assembled, with a signature timestamp when the state asks for one (B-T).
// Error(usage) EXTERNAL_SIGNATURE_INVALID / TSA_URL_MISSING, and the TSA's errors.
std::string complete_cms(const cms::SignedDataInput& input, const std::string& attributes, const std::string& returned,
                         const CertificateOnlySigner& signer, const nlohmann::json& state, const std::optional<TsaOptions>& tsa);

nlohmann::json certificates_field(const std::vector<std::string>& certificates);  // DER → base64 array
std::vector<std::string> certificates_of(const nlohmann::json& state);   // and back

}  // namespace libsign::sign
