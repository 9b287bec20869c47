// The format-neutral entry points of the Verifier: which format a file is, and where a detached
// signature's content lives.
#include <sys/stat.h>

#include <cctype>

#include "cms/armor.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "report/finding.hpp"
#include "libsign/verify.hpp"
#include "validate/cms_verifier.hpp"
#include "validate/verifier_impl.hpp"
#include "validate/xml_verifier.hpp"

namespace libsign {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// FILE for FILE.p7s / FILE.sig / FILE.cms when FILE exists beside it; "" otherwise.
std::string detached_content_beside(const std::string& signature_path) {
  for (const char* ext : {".p7s", ".sig", ".cms", ".P7S", ".SIG", ".CMS"}) {
    std::string e(ext);
    if (signature_path.size() > e.size() && signature_path.compare(signature_path.size() - e.size(), e.size(), e) == 0) {
      std::string content = signature_path.substr(0, signature_path.size() - e.size());
      return file_exists(content) ? content : "";
    }
  }
  return "";
}

// A file named .pdf that is not recognised is read as a PDF, so that its error says what is wrong
// with it as a PDF (INPUT_NOT_PDF, INPUT_TRUNCATED, ...).
bool named_pdf(const std::string& name) {
  if (name.size() < 4) return false;
  std::string ext = name.substr(name.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf";
}

[[noreturn]] void unknown_format() {
  throw Error(ErrorCategory::format, "INPUT_FORMAT_UNKNOWN", "not a PDF, an XML document or a CMS signature");
}

// The enclosed document of a .p7m, verified on its own as FILE.p7m!content: a PDF or an XML e-form
// (a CMS inside a CMS is not unwrapped further). Unreadable as that format: a report without
// signatures carrying CMS_INNER_UNREADABLE, so the CMS layer is still reported.
validate::InnerVerifier inner_verifier(const Verifier& verifier, const Verifier::Impl& impl, const std::string& label) {
  if (!impl.options.verify_inner) return {};
  return [&verifier, &impl, label](std::string_view content) -> std::shared_ptr<const DocumentReport> {
    const std::string format = detect_format(content);
    if (format != "pdf" && format != "xml") return nullptr;
    const std::string inner_label = label + "!content";
    try {
      if (format == "pdf") return std::make_shared<const DocumentReport>(verifier.verify_pdf(content, inner_label));
      return std::make_shared<const DocumentReport>(validate::verify_xml_bytes(impl, content, inner_label, {}));
    } catch (const Error& e) {
      auto doc = std::make_shared<DocumentReport>();
      doc->path = inner_label;
      doc->format = format;
      doc->trust_profile = impl.trust.selected_profile();
      doc->validation_time = core::iso_utc_unix(impl.validation_time());
      doc->findings.push_back(report::make_finding("CMS_INNER_UNREADABLE", {{"format", format}, {"error", e.code()}}));
      validate::settle_document(*doc);
      return doc;
    }
  };
}

}  // namespace

// By structure, cheapest test first: a DER ContentInfo of signedData is CMS whatever it encloses
// (a .p7m of a PDF carries "%PDF-" in its first KiB); only then the PDF header; PEM and Base64
// armour are decoded last, and only when the text starts like them.
std::string detect_format(std::string_view bytes) {
  if (cms::looks_like_signed_data(bytes)) return "cms";
  std::string_view head = bytes.substr(0, 1024);
  if (head.find("%PDF-") != std::string_view::npos) return "pdf";
  size_t i = 0;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  while (i < head.size() && is_blank(head[i])) ++i;
  if (i < head.size() && head[i] == '<') return "xml";
  if (head.substr(i, 11) == "-----BEGIN ") return cms::signed_data_der(bytes) ? "cms" : "";
  // Bare Base64 of a SignedData starts with "MI" (0x30 0x8x).
  if (head.substr(i, 2) == "MI" && cms::signed_data_der(bytes)) return "cms";
  return "";
}

namespace validate {
DocumentReport verify_plain(const Verifier& verifier, std::string_view bytes, const std::string& label) {
  const Verifier::Impl& impl = verifier.internals();
  std::string format = detect_format(bytes);
  if (format == "pdf" || (format.empty() && named_pdf(label))) return verify_pdf_source(impl, {bytes}, label);
  if (format == "cms") return verifier.verify_cms(bytes, std::nullopt, label);
  if (format == "xml") return verify_xml_bytes(impl, bytes, label, {});
  unknown_format();
}
}  // namespace validate

DocumentReport Verifier::verify(std::string_view bytes, const std::string& label) const {
  return validate::with_damage_forensics(*this, bytes, label, [&] { return validate::verify_plain(*this, bytes, label); });
}

DocumentReport Verifier::verify_file(const std::string& path) const {
  core::MappedFile file(path);
  const std::string format = detect_format(file.bytes());
  return validate::with_damage_forensics(*this, file.bytes(), path, [&]() -> DocumentReport {
    if (file.bytes().empty()) throw Error(ErrorCategory::format, "INPUT_EMPTY", "the file is empty");
    if (format == "pdf" || (format.empty() && named_pdf(path))) return validate::verify_pdf_source(*impl_, {file.bytes(), file.fd()}, path);
    if (format == "cms") return verify_cms_file(path);
    if (format == "xml") return validate::verify_xml_bytes(*impl_, file.bytes(), path, {});  // hooked here, once
    unknown_format();
  });
}

DocumentReport Verifier::verify_cms(std::string_view signature, std::optional<std::string_view> content,
                                    const std::string& label) const {
  if (!content) return validate::verify_cms_bytes(*impl_, signature, nullptr, label, inner_verifier(*this, *impl_, label));
  core::ByteSource source{*content};
  return validate::verify_cms_bytes(*impl_, signature, &source, label);
}

DocumentReport Verifier::verify_cms_file(const std::string& signature_path, const std::string& content_path) const {
  core::MappedFile signature(signature_path);
  std::string content = content_path.empty() ? detached_content_beside(signature_path) : content_path;
  if (content.empty())
    return validate::verify_cms_bytes(*impl_, signature.bytes(), nullptr, signature_path, inner_verifier(*this, *impl_, signature_path));
  core::MappedFile data(content);
  core::ByteSource source{data.bytes(), data.fd()};
  DocumentReport report = validate::verify_cms_bytes(*impl_, signature.bytes(), &source, signature_path);
  return report;
}

}  // namespace libsign
