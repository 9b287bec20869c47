// POST /v1/diagnose: the body is a ZIP of dossiers; the answer is the libsign-diagnose/1 JSON
// (docs/diagnose.md) or, with format=html, the self-contained HTML report. The archive is written to
// a private temporary file (the ZIP reader works on files) and removed afterwards.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "../diagnose_run.hpp"
#include "libsign/diagnose.hpp"
#include "routes.hpp"

namespace libsign::serve {
namespace {

constexpr const char* kUploadName = "upload.zip";

class TempZip {
 public:
  explicit TempZip(const std::string& bytes) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/libsign-serve-XXXXXX.zip";
    int fd = ::mkstemps(path_.data(), 4);
    if (fd < 0) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot create a temporary file", errno);
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        int err = errno;
        ::close(fd);
        ::unlink(path_.c_str());
        throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write a temporary file", err);
      }
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  }
  ~TempZip() { ::unlink(path_.c_str()); }
  TempZip(const TempZip&) = delete;
  TempZip& operator=(const TempZip&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The report names files as "<archive>!<member>" and folders as "<archive name>/<folder>": the
// caller sent "upload.zip", not the server's temporary file, whose path is nobody's business.
std::string as_upload(std::string text, const std::string& temporary_path) {
  const std::string temporary_name = temporary_path.substr(temporary_path.rfind('/') + 1);
  for (const std::string* from : {&temporary_path, &temporary_name})
    for (size_t at = 0; (at = text.find(*from, at)) != std::string::npos; at += std::strlen(kUploadName))
      text.replace(at, from->size(), kUploadName);
  return text;
}

}  // namespace

void handle_diagnose(Service& s, const httplib::Request& req, httplib::Response& res) {
  check_parameters(req, {"format", "lang", "at", "offline", "revocation", "trust_profile", "examples"});
  const std::string format = parameter(req, "format", "json"), lang = parameter(req, "lang", "vi");
  if (format != "json" && format != "html") throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "format wants json or html");
  if (lang != "en" && lang != "vi") throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "lang wants en or vi");
  if (req.body.size() < 4 || (req.body.compare(0, 4, "PK\x03\x04") != 0 && req.body.compare(0, 4, "PK\x05\x06") != 0))
    throw Error(ErrorCategory::format, "INPUT_FORMAT_UNKNOWN", "diagnose wants a ZIP archive of dossiers as the request body");

  diagnose::Options options;
  options.verify = s.verifiers->defaults();
  options.verify.trust_profile = parameter(req, "trust_profile", options.verify.trust_profile);
  if (req.has_param("at")) options.verify.at = parse_time(req.get_param_value("at"));
  if (flag_parameter(req, "offline", false)) options.verify.revocation.online = false;
  const std::string revocation = parameter(req, "revocation", options.verify.revocation.require ? "required" : "optional");
  if (revocation != "required" && revocation != "optional")
    throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "revocation wants required or optional");
  options.verify.revocation.require = revocation == "required";
  options.jobs = 1;  // the service's concurrency is its worker threads
  options.zip.max_total_bytes = s.settings.diagnose_max_unzipped;
  options.zip.max_member_bytes = std::min<uint64_t>(options.zip.max_member_bytes, s.settings.diagnose_max_unzipped);
  options.zip.max_entries = 100000;
  if (req.has_param("examples")) {
    try {
      options.examples_per_code = static_cast<size_t>(std::stoul(req.get_param_value("examples")));
    } catch (const std::exception&) {
      throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "examples wants a number");
    }
  }
  s.verifiers->get(options.verify);  // an unknown profile is a 400 before any work

  TempZip zip(req.body);
  std::vector<diagnose::Item> items = diagnose::discover({zip.path()}, true, options.zip);
  const auto started = std::chrono::steady_clock::now();
  diagnose::RunResult result = diagnose::run(items, options);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  s.metrics.diagnosed(result.verifier_stats);
  nlohmann::json run_info = cli::diagnose_run_json({elapsed, 1, 0, options.verify.at, result.verifier_stats});
  if (format == "html")
    res.set_content(as_upload(result.aggregate.to_html(lang, run_info.dump()), zip.path()), "text/html; charset=utf-8");
  else
    res.set_content(as_upload(result.aggregate.to_json(2, run_info.dump()), zip.path()), "application/json");
}

}  // namespace libsign::serve
