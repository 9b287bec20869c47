// Asking an RFC 3161 time-stamping authority for a signature timestamp, and checking what comes back
// (imprint, nonce, the token's signature, the TSA certificate's purpose and chain).
#pragma once
#include <string>
#include <string_view>

#include "libsign/sign.hpp"

namespace libsign::sign {

// The DER timestamp token (a CMS ContentInfo) over SHA-256 of `data`.
// Throws Error(network, TSA_*/NETWORK_*), Error(usage, PASSWORD_SOURCE_MISSING/URL_INVALID).
std::string request_timestamp(const TsaOptions& options, std::string_view data);
// The same for data already hashed: `sha256` is its SHA-256 (32 bytes).
std::string request_timestamp_for_digest(const TsaOptions& options, const std::string& sha256);

}  // namespace libsign::sign
