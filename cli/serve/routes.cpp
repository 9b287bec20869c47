// Auth, errors, logging and the small routes (health, readiness, metrics, OpenAPI).
#include "routes.hpp"

#include <nlohmann/json.hpp>

#include "http_error.hpp"
#include "libsign/version.hpp"

namespace libsign::serve {

extern const char kOpenApiJson[];  // openapi.json, compiled in (generated source)

RequestContext& context() {
  thread_local RequestContext ctx;
  return ctx;
}

std::string route_of(const std::string& path) {
  static const std::pair<const char*, const char*> routes[] = {
      {"/v1/verify", "verify"},     {"/v1/sign", "sign"},       {"/v1/sign/prepare", "sign/prepare"},
      {"/v1/sign/finish", "sign/finish"}, {"/v1/diagnose", "diagnose"}, {"/metrics", "metrics"},
      {"/healthz", "healthz"},      {"/readyz", "readyz"},      {"/v1/openapi.json", "openapi"}};
  for (const auto& [p, name] : routes)
    if (path == p) return name;
  return "other";
}

void check_parameters(const httplib::Request& req, std::initializer_list<const char*> allowed) {
  for (const auto& [name, value] : req.params) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || name == a;
    if (!ok) throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "unknown query parameter '" + name + "'");
  }
}

std::string parameter(const httplib::Request& req, const char* name, const std::string& fallback) {
  return req.has_param(name) ? req.get_param_value(name) : fallback;
}

bool flag_parameter(const httplib::Request& req, const char* name, bool fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", std::string("parameter '") + name + "' wants true or false");
}

std::optional<std::string> part(const httplib::Request& req, const char* name) {
  if (!req.has_file(name)) return std::nullopt;
  return req.get_file_value(name).content;
}

namespace {

// Which token item a route needs; "" for the public routes.
std::string permission_of(const std::string& route) {
  if (route == "verify" || route == "diagnose" || route == "metrics") return route;
  if (route.rfind("sign", 0) == 0) return "sign";
  return "";
}

httplib::Server::HandlerResponse refuse(httplib::Response& res, int status, const std::string& code, const std::string& detail,
                                        const httplib::Request& req) {
  if (req.method == "POST") {  // answered by guarded() after the body: see RequestContext
    RequestContext& ctx = context();
    ctx.refused_status = status;
    ctx.refused_code = code;
    ctx.refused_detail = detail;
    return httplib::Server::HandlerResponse::Unhandled;
  }
  res.status = status;
  res.set_content(error_body(code, "usage", detail), "application/json");
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"libsign\"");
  return httplib::Server::HandlerResponse::Handled;
}

// Bodies are the documents themselves, whatever Content-Type the client sent (curl --data-binary
// says application/x-www-form-urlencoded): only multipart/form-data is parsed. Without this the
// library would parse the bytes as form fields and cap them at 8 KiB.
void raw_body(const httplib::Request& req) {
  auto it = req.headers.find("Content-Type");
  if (it == req.headers.end() || it->second.find("application/x-www-form-urlencoded") == std::string::npos) return;
  // The Request is the library's own non-const object, handed to us as const.
  const_cast<httplib::Request&>(req).headers.erase("Content-Type");
}

// Runs a handler with the in-flight gauge and turns libsign::Error into its status and JSON body.
httplib::Server::Handler guarded(Service& s, void (*handler)(Service&, const httplib::Request&, httplib::Response&)) {
  return [&s, handler](const httplib::Request& req, httplib::Response& res) {
    InFlight in_flight(s.metrics);
    const RequestContext& ctx = context();
    if (ctx.refused_status) {
      res.status = ctx.refused_status;
      res.set_content(error_body(ctx.refused_code, "usage", ctx.refused_detail), "application/json");
      if (res.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"libsign\"");
      return;
    }
    try {
      handler(s, req, res);
    } catch (const Error& e) {
      res.status = status_for(e);
      res.set_content(error_body(e), "application/json");
    } catch (const std::bad_alloc&) {
      res.status = 503;
      res.set_content(error_body("SERVICE_OVERLOADED", "usage", "out of memory for this request"), "application/json");
    }
  };
}

const char* default_code(int status) {
  switch (status) {
    case 400: return "SERVICE_BAD_REQUEST";
    case 404: return "SERVICE_NOT_FOUND";
    case 413: return "SERVICE_REQUEST_TOO_LARGE";
    case 414: return "SERVICE_BAD_REQUEST";
    default: return "SERVICE_INTERNAL_ERROR";
  }
}

}  // namespace

void install(httplib::Server& server, Service& s) {
  server.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    RequestContext& ctx = context();
    ctx = RequestContext{};
    ctx.start = std::chrono::steady_clock::now();
    ctx.started = true;
    ctx.route = route_of(req.path);
    const std::string needed = permission_of(ctx.route);
    if (needed.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (req.method == "POST") raw_body(req);
    const std::string presented = bearer_token(req.get_header_value("Authorization"));
    if (presented.empty())
      return refuse(res, 401, "SERVICE_AUTH_REQUIRED", "send 'Authorization: Bearer TOKEN'", req);
    ctx.token = s.tokens.find(presented);
    if (!ctx.token) return refuse(res, 401, "SERVICE_AUTH_INVALID", "the token is not known to this service", req);
    if (!ctx.token->allows_route(needed))
      return refuse(res, 403, "SERVICE_ROUTE_FORBIDDEN", "this token may not use " + req.path, req);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_post_routing_handler([&s](const httplib::Request&, httplib::Response& res) {
    if (s.draining.load()) res.set_header("Connection", "close");
  });
  // Statuses the library sets itself (413, 400, 404...) get the same JSON error object.
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* code = default_code(res.status);
    res.set_content(error_body(code, "usage", "HTTP " + std::to_string(res.status)), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string detail = "unexpected error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      detail = e.what();
    } catch (...) {
    }
    res.status = 500;
    res.set_content(error_body("SERVICE_INTERNAL_ERROR", "crypto_backend", detail), "application/json");
  });
  server.set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
    RequestContext& ctx = context();
    AccessEntry e;
    e.remote = req.remote_addr;
    e.method = req.method;
    e.route = ctx.started ? ctx.route : route_of(req.path);
    e.status = res.status;
    e.bytes_in = req.body.size();
    for (const auto& f : req.files) e.bytes_in += f.second.content.size();
    e.bytes_out = res.body.size();
    e.seconds = ctx.started ? std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count() : 0;
    if (ctx.token) e.token = ctx.token->name;
    e.indication = ctx.indication;
    s.metrics.request(e.route, e.status, e.seconds);
    s.log->write(e);
    ctx = RequestContext{};
  });

  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(nlohmann::json{{"status", "ok"}, {"version", libsign::version}}.dump(), "application/json");
  });
  server.Get("/readyz", [&s](const httplib::Request&, httplib::Response& res) {
    const bool ready = !s.draining.load();
    res.status = ready ? 200 : 503;
    res.set_content(nlohmann::json{{"status", ready ? "ready" : "draining"}}.dump(), "application/json");
  });
  server.Get("/metrics", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(s.metrics.text(s.verifiers->stats()), "text/plain; version=0.0.4");
  });
  server.Get("/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kOpenApiJson, "application/json");
  });
  server.Post("/v1/verify", guarded(s, handle_verify));
  server.Post("/v1/sign", guarded(s, handle_sign));
  server.Post("/v1/sign/prepare", guarded(s, handle_sign_prepare));
  server.Post("/v1/sign/finish", guarded(s, handle_sign_finish));
  server.Post("/v1/diagnose", guarded(s, handle_diagnose));
}

}  // namespace libsign::serve
