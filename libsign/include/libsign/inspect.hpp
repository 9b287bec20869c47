// libsign — a structural view of a PDF: revisions, signature fields, byte ranges, signed
// attributes and certificates. For people debugging a dossier; no verdict.
#pragma once
#include <string>
#include <string_view>

namespace libsign {

// Human-readable text. Throws Error(io/format) like verify.
std::string inspect_pdf_file(const std::string& path);
std::string inspect_pdf(std::string_view pdf_bytes);
// The same as JSON ("libsign-inspect/1").
std::string inspect_pdf_json(std::string_view pdf_bytes);
std::string inspect_pdf_file_json(const std::string& path);

}  // namespace libsign
