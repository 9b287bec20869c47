#include "xml_options.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace libsign::cli {

bool is_xml_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // the verifier reports the unreadable file
  char head[512];
  ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  return n > 0 && detect_format(std::string_view(head, static_cast<size_t>(n))) == "xml";
}

void add_xml_verify_options(CLI::App* cmd, XmlArgs& a) {
  auto* g = cmd->add_option_group("XML e-forms", "For XML input (detected from the content): XML-DSig / XAdES");
  g->add_option("--xml-signature", a.signature,
                "Verify only this signature: its Id, or an XPath selecting one ds:Signature (prefix ds), e.g. /HDon/DSCKS/NBan/ds:Signature");
  g->add_option("--xml-target", a.target,
                "The element that must be signed: its Id, or an XPath such as /HDon/DLHDon (defeats signature wrapping); a signature not covering it gets XML_TARGET_NOT_SIGNED");
  g->add_flag("--canonical", a.canonical,
              "Put the canonical bytes of each reference (Base64, at most 64 KiB) into the findings, to see what changed");
  g->add_flag("--xml-enveloped-only", a.enveloped_only,
              "Apply only the enveloped-signature and C14N transforms: references with XPath, XPath Filter 2.0 or Base64 get XML_UNSUPPORTED_TRANSFORM");
}

void add_xml_sign_options(CLI::App* cmd, XmlArgs& a) {
  auto* g = cmd->add_option_group("XML e-forms", "For XML input (detected from the content): an enveloped XML-DSig signature");
  g->add_option("--xml-target", a.target, "Sign the element with this Id (Id, ID or id attribute); default: the whole document");
  g->add_option("--xml-parent", a.parent,
                "Where ds:Signature goes: an element Id or an XPath selecting one element (e.g. /HDon/DSCKS/NBan); default: the document element");
  g->add_option("--xml-c14n", a.c14n, "Canonicalisation: exc (exclusive), c14n (inclusive 1.0) or c14n11")
      ->check(CLI::IsMember({"exc", "c14n", "c14n11"}))
      ->capture_default_str();
  g->add_option("--xml-xades", a.xades, "XAdES level: none (plain XML-DSig), B-B, or B-T (needs --tsa; --tsa alone also means B-T)")
      ->check(CLI::IsMember({"none", "B-B", "B-T"}))
      ->capture_default_str();
  g->add_option("--xml-signature-id", a.signature_id, "Id of the ds:Signature element (default: sig-<random>)");
  g->add_flag("--xml-no-signing-time", a.no_signing_time,
              "Plain XML-DSig: leave out the Object/SignatureProperties/SigningTime of the e-invoice convention");
}

XmlVerifyOptions to_xml_verify_options(const XmlArgs& a) {
  XmlVerifyOptions o;
  o.signature = a.signature;
  o.target_id = a.target;
  o.include_canonical = a.canonical;
  o.enveloped_only = a.enveloped_only;
  return o;
}

XmlSignOptions to_xml_sign_options(const XmlArgs& a, const SignOptions& pdf) {
  if (pdf.level == PadesLevel::b_lt || pdf.level == PadesLevel::b_lta)
    throw Error(ErrorCategory::usage, "LEVEL_UNSUPPORTED", "XML signatures are XAdES B-B or B-T: use --xml-xades (and --tsa for B-T)");
  XmlSignOptions o;
  o.target_id = a.target;
  o.parent = a.parent;
  o.c14n = a.c14n == "c14n" ? XmlC14n::inclusive : a.c14n == "c14n11" ? XmlC14n::inclusive11 : XmlC14n::exclusive;
  o.xades = a.xades == "B-B" ? XadesLevel::b_b : a.xades == "B-T" ? XadesLevel::b_t : XadesLevel::none;
  if (pdf.tsa) o.xades = XadesLevel::b_t;
  o.tsa = pdf.tsa;
  o.signing_time = pdf.signing_time;
  o.signature_id = a.signature_id;
  o.einvoice_signing_time = !a.no_signing_time;
  return o;
}

}  // namespace libsign::cli
