#include "libsign/error.hpp"

namespace libsign {

const char* to_string(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::usage: return "usage";
    case ErrorCategory::io: return "io";
    case ErrorCategory::format: return "format";
    case ErrorCategory::crypto_backend: return "crypto_backend";
    case ErrorCategory::token: return "token";
    case ErrorCategory::network: return "network";
  }
  return "unknown";
}

}  // namespace libsign
