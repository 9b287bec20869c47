#include "pdf/errors.hpp"

namespace libsign::pdf {

void fail(const char* code, const std::string& message) {
  throw Error(ErrorCategory::format, code, message);
}

void malformed(const std::string& what, size_t offset) {
  fail("PDF_MALFORMED", what + " at offset " + std::to_string(offset));
}

}  // namespace libsign::pdf
