// The access log: one JSON object per line (time, remote, method, route, status, bytes in and out,
// duration, the token's NAME, the verdict). Never the token, a body, a file name from the request
// or a PIN.
#pragma once
#include <cstdio>
#include <mutex>
#include <string>

namespace libsign::serve {

struct AccessEntry {
  std::string remote, method, route, token, indication;
  int status = 0;
  size_t bytes_in = 0, bytes_out = 0;
  double seconds = 0;
};

class AccessLog {
 public:
  explicit AccessLog(const std::string& path);  // empty: stderr; throws Error(io, OUTPUT_UNWRITABLE)
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;
  void write(const AccessEntry& e);
  void note(const std::string& event, const std::string& detail = "");  // start, stop, ...

 private:
  std::FILE* out_;
  bool own_;
  std::mutex mutex_;
};

}  // namespace libsign::serve
