// libsign — typed errors for misuse and I/O. A bad signature is never an exception: it is a report.
#pragma once
#include "libsign/export.hpp"
#include <stdexcept>
#include <string>
#include <vector>

#include "libsign/report.hpp"

namespace libsign {

enum class ErrorCategory {
  usage,           // the caller asked for something impossible (bad option, bad argument)
  io,              // a file could not be read or written (native_code = errno)
  format,          // the input is not a well-formed document of the expected kind
  crypto_backend,  // the crypto library failed (native_code = OpenSSL error)
  token,           // PKCS#11 token (native_code = CK_RV)
  network,         // fetching failed
};

LIBSIGN_API const char* to_string(ErrorCategory category);

class LIBSIGN_API Error : public std::runtime_error {
 public:
  // `code` is a stable identifier from the findings catalog (e.g. "INPUT_NOT_PDF");
  // `message` is English text for people. Neither may contain secrets.
  Error(ErrorCategory category, std::string code, const std::string& message, long native_code = 0)
      : std::runtime_error(message), category_(category), code_(std::move(code)), native_code_(native_code) {}

  ErrorCategory category() const noexcept { return category_; }
  const std::string& code() const noexcept { return code_; }
  long native_code() const noexcept { return native_code_; }
  // What the input really is, when reading failed because the wrong thing was stored (DAMAGE_HTML_PAGE,
  // DAMAGE_EMPTY_FILE, ... with their evidence: docs/damage.md). Empty for other errors.
  const std::vector<Finding>& diagnosis() const noexcept { return diagnosis_; }
  Error& with_diagnosis(std::vector<Finding> findings) {
    diagnosis_ = std::move(findings);
    return *this;
  }

 private:
  ErrorCategory category_;
  std::string code_;
  long native_code_;
  std::vector<Finding> diagnosis_;
};

}  // namespace libsign
