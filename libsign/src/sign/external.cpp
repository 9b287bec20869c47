// Two-phase signing: prepare_external_signature() lays out the update and the signed attributes;
// finish_external_signature() checks that the state belongs to the PDF and that the returned
// signature is genuine, then completes the CMS and /Contents.
#include <chrono>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "cms/builder.hpp"
#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "core/encoding.hpp"
#include "libsign/sign.hpp"
#include "pdf/writer.hpp"
#include "pki/certificate.hpp"
#include "sign/external_state.hpp"
#include "sign/pdf_layout.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign {
namespace {

using nlohmann::json;
using sign::bytes_field;
using sign::CertificateOnlySigner;
using sign::number_field;
using sign::refuse;
constexpr const char* kSchema = "libsign-external/1";

}  // namespace

std::vector<std::string> load_certificates_der(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& c : pki::load_certificates(path)) out.push_back(pki::der_of(c.get()));
  return out;
}

ExternalRequest prepare_external_signature(std::string_view pdf, const std::vector<std::string>& certificates,
                                           const SignOptions& options) {
  if (options.level == PadesLevel::b_lt || options.level == PadesLevel::b_lta)
    refuse("EXTERNAL_LEVEL_INVALID", "prepare at B-B or B-T, then extend the finished file to B-LT/B-LTA");
  CertificateOnlySigner signer(certificates);
  pdf::Document doc = pdf::Document::open(pdf);
  const std::string separator = pdf::needs_separator(pdf) ? "\n" : "";
  const long long now = core::to_unix(std::chrono::system_clock::now());
  const long long signing_time = options.signing_time ? core::to_unix(*options.signing_time) : now;
  sign::Layout layout = sign::prepare_layout(doc, pdf.size() + separator.size(), signer, options,
                                             sign::estimate_contents(signer, options), signing_time);
  cms::SignedDataInput input;
  input.content_digest = sign::digest_signed(core::ByteSource{pdf}, separator, layout);
  input.certificates = certificates;
  ExternalRequest request;
  request.data_to_sign = cms::signed_attributes(input);
  request.digest = cms::digest_bytes(request.data_to_sign, EVP_sha256());
  json state = {{"schema", kSchema},
                {"created", now},
                {"input_size", pdf.size()},
                {"input_sha256", core::to_hex(cms::digest_bytes(pdf, EVP_sha256()))},
                {"separator", separator},
                {"contents_at", layout.contents_at},
                {"contents_hex", layout.contents_hex},
                {"update", core::base64_encode(layout.update)},
                {"content_digest", core::base64_encode(input.content_digest)},
                {"signed_attributes", core::base64_encode(request.data_to_sign)},
                {"certificates", sign::certificates_field(certificates)},
                {"key_type", signer.key_type()},
                {"timestamp", options.level == PadesLevel::b_t}};
  request.state = state.dump();
  return request;
}

std::string finish_external_signature(std::string_view pdf, const std::string& state_text, const std::string& signature,
                                      const std::optional<TsaOptions>& tsa, std::chrono::seconds max_age) {
  json state = sign::read_state(state_text, kSchema, max_age);
  if (number_field(state, "input_size") != pdf.size() || state.value("input_sha256", "") != core::to_hex(cms::digest_bytes(pdf, EVP_sha256())))
    refuse("EXTERNAL_STATE_MISMATCH", "the prepared state belongs to another document (or the document changed since)");

  sign::Layout layout;
  const std::string separator = state.value("separator", "");
  layout.base = pdf.size() + separator.size();
  layout.update = bytes_field(state, "update");
  layout.contents_at = number_field(state, "contents_at");
  layout.contents_hex = number_field(state, "contents_hex");
  if (layout.contents_at + layout.contents_hex + 2 > layout.update.size())
    refuse("EXTERNAL_STATE_INVALID", "the state's layout does not fit its update");
  cms::SignedDataInput input;
  input.content_digest = bytes_field(state, "content_digest");
  input.certificates = sign::certificates_of(state);
  // The state is not trusted as such: what it says must agree with the bytes that will be signed.
  if (sign::digest_signed(core::ByteSource{pdf}, separator, layout) != input.content_digest)
    refuse("EXTERNAL_STATE_MISMATCH", "the prepared update does not match its recorded digest");
  const std::string attributes = bytes_field(state, "signed_attributes");
  if (attributes != cms::signed_attributes(input))
    refuse("EXTERNAL_STATE_MISMATCH", "the signed attributes do not match the prepared document");
  CertificateOnlySigner signer(input.certificates);

  sign::fill_contents(layout, sign::complete_cms(input, attributes, signature, signer, state, tsa));
  std::string out;
  out.reserve(layout.total());
  out.append(pdf.data(), pdf.size());
  out += separator;
  out += layout.update;
  return out;
}

}  // namespace libsign
