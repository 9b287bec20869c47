#include "access_log.hpp"

#include <cerrno>
#include <chrono>

#include <nlohmann/json.hpp>

#include "libsign/error.hpp"
#include "libsign/verify.hpp"

namespace libsign::serve {
namespace {

std::string now_text() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::string t = format_time(now);  // ...:SSZ
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms));
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  return t + frac;
}

}  // namespace

AccessLog::AccessLog(const std::string& path) : out_(stderr), own_(false) {
  if (path.empty()) return;
  out_ = std::fopen(path.c_str(), "a");
  if (!out_) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot open the access log '" + path + "'", errno);
  own_ = true;
}

AccessLog::~AccessLog() {
  if (own_) std::fclose(out_);
}

void AccessLog::write(const AccessEntry& e) {
  nlohmann::json j = {{"time", now_text()}, {"remote", e.remote}, {"method", e.method}, {"route", e.route},
                      {"status", e.status}, {"bytes_in", e.bytes_in}, {"bytes_out", e.bytes_out},
                      {"duration_ms", static_cast<double>(static_cast<long long>(e.seconds * 1e6)) / 1000},
                      {"token", e.token.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.token)},
                      {"indication", e.indication.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.indication)}};
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void AccessLog::note(const std::string& event, const std::string& detail) {
  nlohmann::json j = {{"time", now_text()}, {"event", event}};
  if (!detail.empty()) j["detail"] = detail;
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace libsign::serve
