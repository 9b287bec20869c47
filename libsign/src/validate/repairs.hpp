// What the PDF reader repaired, as findings: one for the document, and one on every signature whose signed
// revision holds a repair (its verdict may stand, but never without saying the file needed repair).
#pragma once
#include "libsign/report.hpp"
#include "pdf/document.hpp"

namespace libsign::validate {

// Call after every signature was verified (objects are read lazily, so repairs are known only then).
void report_repairs(const pdf::Document& doc, DocumentReport& report);
// PDF_DECRYPTED (info) when the document is encrypted and was opened with the empty user password.
void report_encryption(const pdf::Document& doc, DocumentReport& report);

}  // namespace libsign::validate
