// libsign — a structural view of a PDF: revisions, signature fields, byte ranges, signed
// attributes and certificates. For people debugging a dossier; no verdict.
#pragma once
#include "libsign/export.hpp"
#include <string>
#include <string_view>

namespace libsign {

// Human-readable text. Throws Error(io/format) like verify.
LIBSIGN_API std::string inspect_pdf_file(const std::string& path);
LIBSIGN_API std::string inspect_pdf(std::string_view pdf_bytes);
// The same as JSON ("libsign-inspect/1").
LIBSIGN_API std::string inspect_pdf_json(std::string_view pdf_bytes);
LIBSIGN_API std::string inspect_pdf_file_json(const std::string& path);

}  // namespace libsign
