// A minimal HTTP/1.0 client for the services a signer talks to (RFC 3161 time-stamping; later OCSP,
// CRLs). Plain http:// only. Every call has a deadline and a response size limit, so a slow or
// hostile server can never hang or flood the caller.
#pragma once
#include <chrono>
#include <string>

namespace libsign::net {

struct HttpRequest {
  std::string url;                  // http://host[:port]/path
  std::string content_type;
  std::string body;
  std::string authorization;        // a whole header value (e.g. "Basic ..."), or empty
  std::chrono::milliseconds timeout{15000};  // for the whole exchange
  size_t max_response_bytes = 1 << 20;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Throws Error(network, NETWORK_UNREACHABLE | NETWORK_TIMEOUT | NETWORK_BAD_RESPONSE) and
// Error(usage, URL_INVALID).
HttpResponse http_post(const HttpRequest& request);

std::string base64(std::string_view bytes);

}  // namespace libsign::net
