// Two-phase CAdES: the signed attributes are fixed at prepare time from the content digest, the
// certificates and the signing time; finish rebuilds them from the state, checks they still
// describe the same content, checks the returned value against the certificate, then assembles.
#include <nlohmann/json.hpp>

#include "cms/armor.hpp"
#include "cms/builder.hpp"
#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "core/encoding.hpp"
#include "libsign/cms.hpp"
#include "pki/certificate.hpp"
#include "sign/external_state.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign {
namespace {

using nlohmann::json;
constexpr const char* kSchema = "libsign-external-cms/1";

cms::SignedDataInput attributes_input(std::string content_digest, std::vector<std::string> certificates,
                                      long long signing_time, std::string_view content, bool enveloping) {
  cms::SignedDataInput input;
  input.content_digest = std::move(content_digest);
  input.certificates = std::move(certificates);
  input.signing_time = signing_time;
  if (enveloping) input.encapsulated_content = std::string(content);
  return input;
}

}  // namespace

ExternalRequest prepare_external_cms(std::string_view content, const std::vector<std::string>& certificates,
                                     const CmsSignOptions& options) {
  sign::CertificateOnlySigner signer(certificates);  // refuses an unreadable certificate now, not at finish
  const long long now = core::to_unix(std::chrono::system_clock::now());
  const long long signing_time = options.signing_time ? core::to_unix(*options.signing_time) : now;
  cms::SignedDataInput input =
      attributes_input(cms::digest_bytes(content, EVP_sha256()), certificates, signing_time, content, false);
  ExternalRequest request;
  request.data_to_sign = cms::signed_attributes(input);
  request.digest = cms::digest_bytes(request.data_to_sign, EVP_sha256());
  json state = {{"schema", kSchema},
                {"created", now},
                {"content_size", content.size()},
                {"content_sha256", core::base64_encode(input.content_digest)},
                {"signing_time", signing_time},
                {"certificates", sign::certificates_field(certificates)},
                {"enveloping", options.enveloping},
                {"pem", options.pem},
                {"timestamp", options.level == CadesLevel::b_t}};
  request.state = state.dump();
  return request;
}

std::string finish_external_cms(std::string_view content, const std::string& state_text, const std::string& signature,
                                const std::optional<TsaOptions>& tsa, std::chrono::seconds max_age) {
  json state = sign::read_state(state_text, kSchema, max_age);
  const std::string content_digest = cms::digest_bytes(content, EVP_sha256());
  if (sign::number_field(state, "content_size") != content.size() || sign::bytes_field(state, "content_sha256") != content_digest)
    sign::refuse("EXTERNAL_STATE_MISMATCH", "the prepared state belongs to another file (or the file changed since)");
  if (!state.contains("signing_time") || !state["signing_time"].is_number_integer())
    sign::refuse("EXTERNAL_STATE_INVALID", "the state lacks signing_time");
  const bool enveloping = state.value("enveloping", false);
  cms::SignedDataInput input = attributes_input(content_digest, sign::certificates_of(state),
                                                state["signing_time"].get<long long>(), content, enveloping);
  sign::CertificateOnlySigner signer(input.certificates);
  const std::string attributes = cms::signed_attributes(input);

  std::string der = sign::complete_cms(input, attributes, signature, signer, state, tsa);
  return state.value("pem", false) ? cms::to_pem(der) : der;
}

}  // namespace libsign
