// Writing a detached CMS SignedData for PAdES/CAdES: signed attributes first (the bytes a Signer
// signs), then the whole structure around the signature value. Written with our DER writer so that
// any Signer (key file, token, remote service) can provide the signature value.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace libsign::cms {

struct SignedDataInput {
  std::string content_digest;             // digest of the signed bytes
  std::string digest_name = "sha256";
  std::vector<std::string> certificates;  // DER, the signer's first
  std::optional<long long> signing_time;  // unix seconds; PAdES baseline leaves it out (the PDF /M holds it)
  std::optional<std::string> encapsulated_content;  // enveloping (.p7m): the content goes inside
};

// The DER SET of signed attributes (contentType, messageDigest, ESS signingCertificateV2[, signingTime]).
std::string signed_attributes(const SignedDataInput& input);

// The ContentInfo. `key_type` is "rsa" or "ec"; `timestamp_token` becomes the unsigned
// signature-time-stamp attribute (PAdES B-T).
std::string assemble_signed_data(const SignedDataInput& input, const std::string& signed_attributes_der,
                                 const std::string& signature_value, const std::string& key_type,
                                 const std::optional<std::string>& timestamp_token = std::nullopt);

}  // namespace libsign::cms
