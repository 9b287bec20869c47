// CAdES B-B / B-T signatures of any file, detached (.p7s) or enveloping (.p7m).
#include "cms/armor.hpp"
#include "cms/builder.hpp"
#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "core/byte_source.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "libsign/cms.hpp"
#include "sign/atomic_output.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign {
namespace {

void check_options(const CmsSignOptions& options) {
  if (options.level == CadesLevel::b_t && (!options.tsa || options.tsa->url.empty()))
    throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "CAdES B-T needs a time-stamping authority URL");
}

// `content_digest`: SHA-256 of the content; `content`: only for an enveloping signature.
std::string make_signature(const std::string& content_digest, std::optional<std::string> content, const Signer& signer,
                           const CmsSignOptions& options) {
  cms::SignedDataInput input;
  input.content_digest = content_digest;
  input.certificates = signer.certificates();
  // CAdES B-B requires the claimed signing time as a signed attribute.
  input.signing_time = core::to_unix(options.signing_time ? *options.signing_time : std::chrono::system_clock::now());
  input.encapsulated_content = std::move(content);
  std::string attributes = cms::signed_attributes(input);
  std::string value = signer.sign(attributes, "sha256");
  std::optional<std::string> token;
  if (options.level == CadesLevel::b_t) token = sign::request_timestamp(*options.tsa, value);
  std::string der = cms::assemble_signed_data(input, attributes, value, signer.key_type(), token);
  return options.pem ? cms::to_pem(der) : der;
}

}  // namespace

std::string sign_cms(std::string_view content, const Signer& signer, const CmsSignOptions& options) {
  check_options(options);
  std::string digest = cms::digest_bytes(content, EVP_sha256());
  std::optional<std::string> inside;
  if (options.enveloping) inside = std::string(content);
  return make_signature(digest, std::move(inside), signer, options);
}

void sign_cms_file(const std::string& input, const std::string& output, const Signer& signer,
                   const CmsSignOptions& options, bool allow_overwrite) {
  check_options(options);
  if (input == output && !allow_overwrite)
    throw Error(ErrorCategory::usage, "OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
  std::string signature;
  {
    core::MappedFile file(input);
    const core::ByteSource source{file.bytes(), file.fd()};
    // A detached signature of a large file never holds the file in memory: the digest reads it in pieces.
    std::string digest = cms::digest_ranges(source, {{0, file.bytes().size()}}, EVP_sha256());
    std::optional<std::string> inside;
    if (options.enveloping) inside = std::string(file.bytes());
    signature = make_signature(digest, std::move(inside), signer, options);
  }
  sign::AtomicOutput out(output);
  out.write(signature);
  out.commit();
}

std::string extract_cms_content(std::string_view signature) {
  std::optional<std::string> der = cms::signed_data_der(signature);
  std::string error = der ? "" : "not a CMS SignedData (DER, PEM or Base64)";
  std::optional<cms::SignedData> sd;
  if (der) sd = cms::parse_signed_data(*der, &error);
  if (!sd) throw Error(ErrorCategory::format, "CMS_MALFORMED", error);
  if (!sd->has_econtent)
    throw Error(ErrorCategory::format, "CMS_CONTENT_MISSING", "a detached signature: the content is not inside it");
  return sd->econtent;
}

}  // namespace libsign
