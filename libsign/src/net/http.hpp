// A minimal HTTP/1.0 client for the services a signer talks to (RFC 3161 time-stamping; later OCSP,
// CRLs). Plain http:// only. Every call has a deadline and a response size limit, so a slow or
// hostile server can never hang or flood the caller.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace libsign::net {

// Which servers may be contacted. A verifier inside a portal backend must not become a way to reach
// internal services (SSRF): loopback, private and link-local addresses are refused unless allowed.
struct HostPolicy {
  bool allow_loopback = false;   // 127.0.0.0/8, ::1
  bool allow_private = false;    // 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, and link-local 169.254/16, fe80::/10
  std::vector<std::string> allowed_hosts;  // when not empty: only these host names/addresses
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;                  // http://host[:port]/path
  std::string content_type;
  std::string body;
  std::string authorization;        // a whole header value (e.g. "Basic ..."), or empty
  std::chrono::milliseconds timeout{15000};  // for the whole exchange
  size_t max_response_bytes = 1 << 20;
  HostPolicy policy{true, true, {}};  // callers that fetch on a document's behalf pass a strict one
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Throws Error(network, NETWORK_UNREACHABLE | NETWORK_TIMEOUT | NETWORK_BAD_RESPONSE | HOST_NOT_ALLOWED)
// and Error(usage, URL_INVALID).
HttpResponse http_request(const HttpRequest& request);
inline HttpResponse http_post(const HttpRequest& request) { return http_request(request); }

std::string base64(std::string_view bytes);

}  // namespace libsign::net
