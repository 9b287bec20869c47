// Document timestamps (PAdES B-LTA; ISO 32000-2 §12.8.5, ETSI EN 319 142-1 §5.4.3): an incremental
// update adding a /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 signature whose /Contents is an RFC 3161
// token over SHA-256 of the /ByteRange bytes, in a new invisible field "DocTimeStamp<n>".
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "libsign/sign.hpp"

namespace libsign::sign {

// Returns the DER timestamp token (a CMS ContentInfo) whose message imprint is SHA-256 = `sha256_digest`
// (32 raw bytes). Used for tests and for time-stamping services reached by other means than TsaOptions.
using TimestampTokenSource = std::function<std::string(const std::string& sha256_digest)>;

// Appends a document timestamp. /Contents is sized from an estimate; when the token is larger, the update is
// laid out again with room for it and a second token is requested (never an overflow).
// Throws Error(usage, TSA_URL_MISSING), the TSA client's errors (network TSA_*/NETWORK_*), Error(network,
// TSA_RESPONSE_INVALID) when a token source's token does not cover the digest, Error(format, PDF_MALFORMED),
// Error(crypto_backend, CONTENTS_TOO_SMALL).
std::string add_document_timestamp(std::string_view pdf, const TsaOptions& tsa);
std::string add_document_timestamp(std::string_view pdf, const TimestampTokenSource& token_for);

// The same from file to file through AtomicOutput: `input` never changes and no partial `output` is left
// behind. `output` may equal `input` only with `allow_overwrite` (else Error(usage, OUTPUT_IS_INPUT)).
void add_document_timestamp_file(const std::string& input, const std::string& output, const TsaOptions& tsa,
                                 bool allow_overwrite = false);
void add_document_timestamp_file(const std::string& input, const std::string& output,
                                 const TimestampTokenSource& token_for, bool allow_overwrite = false);

}  // namespace libsign::sign
