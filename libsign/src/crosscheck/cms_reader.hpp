// A CMS SignedData read by Botan's own BER decoder, from the raw bytes of the signature: the parts
// the cross-check needs (certificates, signed attributes as signed, algorithms, signature value).
// Independent of cms/signed_data (OpenSSL), on purpose.
#pragma once
#include <botan/pkix_types.h>
#include <botan/x509cert.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace libsign::crosscheck {

struct BotanSignerInfo {
  // SignerIdentifier: issuerAndSerialNumber or subjectKeyIdentifier.
  std::optional<Botan::X509_DN> issuer;
  std::vector<uint8_t> serial;       // INTEGER contents as encoded
  std::vector<uint8_t> key_id;       // subjectKeyIdentifier
  std::string digest_oid;            // digestAlgorithm
  std::vector<uint8_t> signed_attrs; // the SET OF (tag 0x31) whose bytes the signature covers; empty when absent
  bool has_signed_attrs = false;
  std::optional<std::vector<uint8_t>> message_digest;
  std::string signature_oid;         // signatureAlgorithm
  std::vector<uint8_t> signature_params;  // its parameters (raw contents), e.g. RSASSA-PSS-params
  std::vector<uint8_t> signature;    // the signature value octets
};

struct BotanSignedData {
  std::vector<Botan::X509_Certificate> certificates;  // those Botan could parse
  std::vector<std::string> certificate_errors;        // one per certificate Botan refused
  bool has_econtent = false;
  std::vector<uint8_t> econtent;
  std::vector<BotanSignerInfo> signers;
};

// nullopt and `error` set when Botan cannot read the bytes as a ContentInfo holding a SignedData.
// Trailing zero bytes after the ContentInfo (PDF /Contents padding) are allowed.
// `parse` turns a certificate's DER into Botan's form (throws when Botan refuses it): by default the
// X509_Certificate constructor; a Verifier passes its cache (BotanTrust::certificate).
using ParseCertificate = std::function<Botan::X509_Certificate(const std::vector<uint8_t>&)>;
std::optional<BotanSignedData> read_signed_data(std::string_view der, std::string* error, const ParseCertificate& parse = {});

// The signer's certificate among `certs` by SignerIdentifier; nullptr when none.
const Botan::X509_Certificate* find_signer(const BotanSignerInfo& si, const std::vector<Botan::X509_Certificate>& certs);

}  // namespace libsign::crosscheck
