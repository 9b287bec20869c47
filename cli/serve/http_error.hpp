// Errors as HTTP responses: the status for a libsign::Error, and the body — the same JSON as
// `libsign verify --format json` prints for an unreadable file ({"schema", "document": null, "error"}).
#pragma once
#include <string>

#include "libsign/error.hpp"

namespace libsign::serve {

// usage 400 (SERVICE_KEY_FORBIDDEN 403); format 422, but INPUT_FORMAT_UNKNOWN 415; io, crypto_backend 500 (the service's own
// files: a request's bytes are read from memory); token 503; network 502 (a TSA that failed).
int status_for(const Error& e);
// The body for an error; `diagnosis` of the Error is included.
std::string error_body(const Error& e, const std::string& path = "");
std::string error_body(const std::string& code, const std::string& category, const std::string& detail);

}  // namespace libsign::serve
