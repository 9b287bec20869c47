// Reading certificates and describing them for reports.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "libsign/report.hpp"
#include "pki/openssl_ptr.hpp"

namespace libsign::pki {

// The value of a name entry as UTF-8 (empty when it cannot be converted).
std::string entry_utf8(const X509_NAME_ENTRY* entry);

// All certificates in PEM (several), DER, or PKCS#7 (PEM or DER) data. Empty if none.
std::vector<Cert> parse_certificates(std::string_view data);
// A file, or every file of a folder (not recursive). Throws Error(io) / Error(format, TRUST_FILE_INVALID).
std::vector<Cert> load_certificates(const std::string& path);

CertificateInfo describe(X509* cert);
std::string common_name(X509* cert);  // the subject's CN (UTF-8), cheaply
bool is_self_signed(X509* cert);
std::string sha256_fingerprint(X509* cert);
std::string der_of(X509* cert);
// Digest name of the certificate's signature ("sha1", "sha256", ...), empty when unknown.
std::string certificate_digest_name(X509* cert);
int rsa_key_bits(X509* cert);  // 0 when not RSA
// Whether `signature` over `data` verifies with the certificate's public key (digest `md`).
bool verifies_with(X509* cert, std::string_view data, std::string_view signature, const EVP_MD* md);
long long asn1_time_to_unix(const ASN1_TIME* t);

}  // namespace libsign::pki
