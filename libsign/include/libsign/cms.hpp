// libsign — detached and enveloping CMS signatures (CAdES baseline B-B and B-T) for any file:
// attachments of a dossier signed as FILE.p7s, or wrapped with their content as FILE.p7m.
#pragma once
#include "libsign/export.hpp"
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "libsign/sign.hpp"

namespace libsign {

enum class CadesLevel { b_b, b_t };

struct CmsSignOptions {
  CadesLevel level = CadesLevel::b_b;
  std::optional<TsaOptions> tsa;  // required for B-T
  bool enveloping = false;        // the content inside the signature (.p7m) instead of beside it (.p7s)
  bool pem = false;               // PEM armour ("-----BEGIN CMS-----") instead of DER
  // CAdES B-B carries the claimed signing time as a signed attribute; default: now.
  std::optional<std::chrono::system_clock::time_point> signing_time;
};

// The CMS SignedData over `content` (SHA-256, signed attributes contentType, messageDigest,
// signingCertificateV2, signingTime; B-T adds a signature timestamp).
// Throws Error(usage, TSA_URL_MISSING), Error(network, TSA_*) and the Signer's errors.
LIBSIGN_API std::string sign_cms(std::string_view content, const Signer& signer, const CmsSignOptions& options);
// Signs the file `input` into `output` (written whole or not at all; `input` never changes).
LIBSIGN_API void sign_cms_file(const std::string& input, const std::string& output, const Signer& signer,
                   const CmsSignOptions& options, bool allow_overwrite = false);

// The content of an enveloping signature (.p7m). Throws Error(format) CMS_MALFORMED or
// CMS_CONTENT_MISSING (a detached signature). Extraction does not verify: verify first.
LIBSIGN_API std::string extract_cms_content(std::string_view signature);

// Two-phase CAdES for remote signing services, with the same contract as the PDF calls
// (prepare_external_signature / finish_external_signature in sign.hpp): prepare says what to sign
// and returns a secret-free state; finish takes the same content, the state and the raw signature
// value (or a whole CMS from the service over the same content) and returns the signature.
LIBSIGN_API ExternalRequest prepare_external_cms(std::string_view content, const std::vector<std::string>& certificates,
                                     const CmsSignOptions& options);
LIBSIGN_API std::string finish_external_cms(std::string_view content, const std::string& state, const std::string& signature,
                                const std::optional<TsaOptions>& tsa = std::nullopt,
                                std::chrono::seconds max_age = std::chrono::hours(24));

}  // namespace libsign
