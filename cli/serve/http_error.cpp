#include "http_error.hpp"

#include <nlohmann/json.hpp>

#include "../error_output.hpp"

namespace libsign::serve {

int status_for(const Error& e) {
  switch (e.category()) {
    case ErrorCategory::usage: return e.code() == "SERVICE_KEY_FORBIDDEN" ? 403 : 400;
    case ErrorCategory::format: return e.code() == "INPUT_FORMAT_UNKNOWN" ? 415 : 422;
    case ErrorCategory::io: return 500;
    case ErrorCategory::crypto_backend: return 500;
    case ErrorCategory::token: return 503;
    case ErrorCategory::network: return 502;
  }
  return 500;
}

namespace {

std::string wrap(nlohmann::json error) {
  nlohmann::json body = {{"schema", "libsign-report/1"}, {"document", nullptr}, {"error", std::move(error)}};
  return body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string error_body(const Error& e, const std::string& path) {
  nlohmann::json error = cli::error_json(path, e.code(), to_string(e.category()), e.what());
  error["diagnosis"] = cli::diagnosis_json(e);
  return wrap(std::move(error));
}

std::string error_body(const std::string& code, const std::string& category, const std::string& detail) {
  nlohmann::json error = cli::error_json("", code, category, detail);
  error["diagnosis"] = nlohmann::json::array();
  return wrap(std::move(error));
}

}  // namespace libsign::serve
