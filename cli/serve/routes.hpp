// The service's state shared by the handlers, and the handlers themselves (routes_*.cpp).
#pragma once
#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include <httplib.h>

#include "access_log.hpp"
#include "keys.hpp"
#include "metrics.hpp"
#include "settings.hpp"
#include "tokens.hpp"
#include "verifiers.hpp"

namespace libsign::serve {

struct Service {
  Settings settings;
  Tokens tokens;
  KeyStore keys;
  std::unique_ptr<Verifiers> verifiers;
  Metrics metrics;
  std::unique_ptr<AccessLog> log;
  std::atomic<bool> draining{false};
};

// What the auth step learnt about the request, for the handler and the access log. Each request is
// handled from start to finish on one worker thread.
struct RequestContext {
  std::chrono::steady_clock::time_point start;
  bool started = false;
  std::string route;       // verify, sign, sign/prepare, sign/finish, diagnose, metrics, healthz, readyz, openapi, other
  std::optional<Token> token;
  std::string indication;  // verify: the worst indication
  // A refusal decided before the body was read (401/403), answered by the handler once the body is
  // consumed: a body left unread would be taken for the connection's next request.
  int refused_status = 0;
  std::string refused_code, refused_detail;
};
RequestContext& context();

// The route name of a path (a fixed set, so that metric labels stay few).
std::string route_of(const std::string& path);

// Installs auth (pre-routing), the error bodies, the access log and every route.
void install(httplib::Server& server, Service& service);

// Handlers (routes_verify.cpp, routes_sign.cpp, routes_diagnose.cpp).
void handle_verify(Service& s, const httplib::Request& req, httplib::Response& res);
void handle_sign(Service& s, const httplib::Request& req, httplib::Response& res);
void handle_sign_prepare(Service& s, const httplib::Request& req, httplib::Response& res);
void handle_sign_finish(Service& s, const httplib::Request& req, httplib::Response& res);
void handle_diagnose(Service& s, const httplib::Request& req, httplib::Response& res);

// Helpers shared by the handlers.
// Throws Error(usage, SERVICE_PARAMETER_INVALID) when a query parameter is not in `allowed`.
void check_parameters(const httplib::Request& req, std::initializer_list<const char*> allowed);
std::string parameter(const httplib::Request& req, const char* name, const std::string& fallback = "");
bool flag_parameter(const httplib::Request& req, const char* name, bool fallback);
// A multipart part's bytes, or nullopt when the request has no such part.
std::optional<std::string> part(const httplib::Request& req, const char* name);

}  // namespace libsign::serve
