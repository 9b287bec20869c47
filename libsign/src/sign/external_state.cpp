#include "sign/external_state.hpp"

#include <openssl/evp.h>

#include "core/encoding.hpp"
#include "cms/signed_data.hpp"
#include "pki/certificate.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign::sign {

using nlohmann::json;

void refuse(const char* code, const std::string& why) { throw Error(ErrorCategory::usage, code, why); }

CertificateOnlySigner::CertificateOnlySigner(std::vector<std::string> certificates) : certificates_(std::move(certificates)) {
  if (certificates_.empty()) refuse("KEY_FILE_INVALID", "the signer's certificate is needed to prepare a signature");
  auto parsed = pki::parse_certificates(certificates_.front());
  if (parsed.empty()) refuse("KEY_FILE_INVALID", "the signer's certificate cannot be read");
  cert_ = parsed.front();
  if (!X509_get0_pubkey(cert_.get())) refuse("KEY_FILE_INVALID", "the public key in the signer's certificate cannot be read");
}

std::string CertificateOnlySigner::sign(std::string_view, const std::string&) const {
  refuse("SIGNING_FAILED", "a prepared signature is completed with its finish call");
}

// The constructor refused a certificate without a readable public key.
std::string CertificateOnlySigner::key_type() const {
  return EVP_PKEY_get_base_id(X509_get0_pubkey(cert_.get())) == EVP_PKEY_EC ? "ec" : "rsa";
}

size_t CertificateOnlySigner::max_signature_size() const {
  return static_cast<size_t>(EVP_PKEY_get_size(X509_get0_pubkey(cert_.get())));
}

namespace {

// The JSON library's value(key, default) throws its own exception when the key holds another type;
// a state file is outside input, so every field read with a default is type-checked here, once.
void require_field_types(const json& state) {
  static const std::pair<const char*, json::value_t> kFields[] = {
      {"schema", json::value_t::string},      {"input_sha256", json::value_t::string},
      {"separator", json::value_t::string},   {"signature_id", json::value_t::string},
      {"timestamp", json::value_t::boolean},  {"enveloping", json::value_t::boolean},
      {"pem", json::value_t::boolean},        {"certificates", json::value_t::array},
  };
  for (const auto& [key, type] : kFields)
    if (state.contains(key) && state[key].type() != type)
      refuse("EXTERNAL_STATE_INVALID", std::string("the state's ") + key + " has the wrong type");
}

}  // namespace

json read_state(const std::string& text, const char* schema, std::chrono::seconds max_age) {
  json state = json::parse(text, nullptr, false);
  if (state.is_discarded() || !state.is_object()) refuse("EXTERNAL_STATE_INVALID", std::string("not a ") + schema + " state");
  require_field_types(state);
  if (state.value("schema", "") != schema) refuse("EXTERNAL_STATE_INVALID", std::string("not a ") + schema + " state");
  const long long now = core::to_unix(std::chrono::system_clock::now());
  if (!state.contains("created") || !state["created"].is_number_integer() || now - state["created"].get<long long>() > max_age.count())
    refuse("EXTERNAL_STATE_STALE", "the prepared state is older than allowed; prepare the signature again");
  return state;
}

std::string bytes_field(const json& state, const char* key) {
  if (!state.contains(key) || !state[key].is_string()) refuse("EXTERNAL_STATE_INVALID", std::string("the state lacks ") + key);
  auto decoded = core::base64_decode(state[key].get<std::string>());
  if (!decoded) refuse("EXTERNAL_STATE_INVALID", std::string("the state's ") + key + " is not base64");
  return *decoded;
}

size_t number_field(const json& state, const char* key) {
  if (!state.contains(key) || !state[key].is_number_unsigned()) refuse("EXTERNAL_STATE_INVALID", std::string("the state lacks ") + key);
  return state[key].get<size_t>();
}

std::string complete_cms(const cms::SignedDataInput& input, const std::string& attributes, const std::string& returned,
                         const CertificateOnlySigner& signer, const json& state, const std::optional<TsaOptions>& tsa) {
  std::string error;
  if (auto whole = cms::parse_signed_data(returned, &error)) {
    // A service that returns a whole CMS: it must vouch for exactly this content.
    if (!whole->message_digest || *whole->message_digest != input.content_digest)
      refuse("EXTERNAL_SIGNATURE_INVALID", "the returned CMS signs other data");
    return returned;
  }
  if (!pki::verifies_with(signer.certificate(), attributes, returned, EVP_sha256()))
    refuse("EXTERNAL_SIGNATURE_INVALID", "the returned signature value does not verify with the signer's certificate");
  std::optional<std::string> token;
  if (state.value("timestamp", false)) {
    if (!tsa || tsa->url.empty()) refuse("TSA_URL_MISSING", "the signature was prepared at B-T: give the TSA");
    token = request_timestamp(*tsa, returned);
  }
  return cms::assemble_signed_data(input, attributes, returned, signer.key_type(), token);
}

json certificates_field(const std::vector<std::string>& certificates) {
  json certs = json::array();
  for (const auto& c : certificates) certs.push_back(core::base64_encode(c));
  return certs;
}

std::vector<std::string> certificates_of(const json& state) {
  std::vector<std::string> out;
  for (const auto& c : state.value("certificates", json::array())) {
    auto der = c.is_string() ? core::base64_decode(c.get<std::string>()) : std::nullopt;
    if (!der) refuse("EXTERNAL_STATE_INVALID", "a certificate of the state is not base64");
    out.push_back(*der);
  }
  return out;
}

}  // namespace libsign::sign
