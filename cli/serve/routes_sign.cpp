// POST /v1/sign, /v1/sign/prepare, /v1/sign/finish: signing with the keys configured on the server.
// A PDF is signed inside (PAdES), an XML e-form inside (XML-DSig/XAdES), anything else — or any file
// with mode=detached/enveloping — gets a CAdES signature (.p7s / .p7m).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "libsign/cms.hpp"
#include "libsign/sign.hpp"
#include "libsign/xml.hpp"
#include "routes.hpp"

namespace libsign::serve {
namespace {

[[noreturn]] void bad(const std::string& detail) {
  throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", detail);
}

// The key the request names, if its token may use it.
const Key& chosen_key(const Service& s, const httplib::Request& req) {
  const std::string name = parameter(req, "key");
  if (name.empty()) bad("give key=NAME (a key of the service's config)");
  const Token& token = *context().token;
  if (!token.allows_key(name))
    throw Error(ErrorCategory::usage, "SERVICE_KEY_FORBIDDEN", "this token may not sign with key '" + name + "'");
  const Key* key = s.keys.find(name);
  if (!key) throw Error(ErrorCategory::usage, "SERVICE_KEY_UNKNOWN", "the service has no key named '" + name + "'");
  return *key;
}

struct Plan {
  std::string kind;  // pdf, xml, cms
  SignOptions pdf;
  XmlSignOptions xml;
  CmsSignOptions cms;
};

Plan plan_of(const Service& s, const httplib::Request& req, const std::string& body) {
  Plan p;
  const std::string mode = parameter(req, "mode", "auto");
  if (mode != "auto" && mode != "detached" && mode != "enveloping") bad("mode wants auto, detached or enveloping");
  const std::string format = detect_format(body.substr(0, 1024));
  p.kind = mode != "auto" ? "cms" : format == "pdf" || format == "xml" ? format : "cms";
  if (body.empty()) throw Error(ErrorCategory::format, "INPUT_FORMAT_UNKNOWN", "the request body is empty: nothing to sign");

  const std::string level = parameter(req, "level", "B-B");
  if (level != "B-B" && level != "B-T" && level != "B-LT" && level != "B-LTA") bad("level wants B-B, B-T, B-LT or B-LTA");
  std::optional<TsaOptions> tsa = s.settings.tsa_options();
  if (level != "B-B" && !tsa) throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "level " + level + " needs a TSA in the service's config");
  std::optional<std::chrono::system_clock::time_point> signing_time;
  if (req.has_param("signing_time")) signing_time = parse_time(req.get_param_value("signing_time"));

  p.pdf.level = level == "B-T" ? PadesLevel::b_t : level == "B-LT" ? PadesLevel::b_lt : level == "B-LTA" ? PadesLevel::b_lta : PadesLevel::b_b;
  if (level != "B-B") p.pdf.tsa = tsa;
  p.pdf.validation = s.verifiers->defaults();
  p.pdf.field_name = parameter(req, "field");
  p.pdf.reason = parameter(req, "reason");
  p.pdf.location = parameter(req, "location");
  p.pdf.contact_info = parameter(req, "contact");
  p.pdf.signing_time = signing_time;
  if (req.has_param("certify")) {
    const std::string c = req.get_param_value("certify");
    if (c != "1" && c != "2" && c != "3") bad("certify wants 1, 2 or 3");
    p.pdf.certify = std::stoi(c);
  }
  if (req.has_param("visible")) {
    VisibleSignature v;
    char tail = 0;
    if (std::sscanf(req.get_param_value("visible").c_str(), "%d:%lf,%lf,%lf,%lf%c", &v.page, &v.x, &v.y, &v.width, &v.height, &tail) != 5)
      throw Error(ErrorCategory::usage, "RECTANGLE_INVALID", "visible wants PAGE:X,Y,W,H (points), e.g. 1:350,60,220,80");
    p.pdf.visible = v;
  }

  p.cms.enveloping = mode == "enveloping";
  p.cms.pem = flag_parameter(req, "pem", false);
  p.cms.signing_time = signing_time;
  if (p.kind == "cms" && (level == "B-LT" || level == "B-LTA")) throw Error(ErrorCategory::usage, "LEVEL_UNSUPPORTED", "CMS signatures are made at B-B or B-T");
  if (level == "B-T") {
    p.cms.level = CadesLevel::b_t;
    p.cms.tsa = tsa;
  }

  const std::string c14n = parameter(req, "xml_c14n", "exc"), xades = parameter(req, "xml_xades", level == "B-T" ? "B-T" : "none");
  if (c14n != "exc" && c14n != "c14n" && c14n != "c14n11") bad("xml_c14n wants exc, c14n or c14n11");
  if (xades != "none" && xades != "B-B" && xades != "B-T") bad("xml_xades wants none, B-B or B-T");
  if (p.kind == "xml" && (level == "B-LT" || level == "B-LTA")) throw Error(ErrorCategory::usage, "LEVEL_UNSUPPORTED", "XML signatures are XAdES B-B or B-T");
  p.xml.target_id = parameter(req, "xml_target");
  p.xml.parent = parameter(req, "xml_parent");
  p.xml.c14n = c14n == "c14n" ? XmlC14n::inclusive : c14n == "c14n11" ? XmlC14n::inclusive11 : XmlC14n::exclusive;
  p.xml.xades = xades == "B-B" ? XadesLevel::b_b : xades == "B-T" ? XadesLevel::b_t : XadesLevel::none;
  if (p.xml.xades == XadesLevel::b_t) {
    if (!tsa) throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "XAdES B-T needs a TSA in the service's config");
    p.xml.tsa = tsa;
  }
  p.xml.signing_time = signing_time;
  p.xml.signature_id = parameter(req, "xml_signature_id");
  return p;
}

const char* content_type_of(const Plan& p) {
  if (p.kind == "pdf") return "application/pdf";
  if (p.kind == "xml") return "application/xml";
  return p.cms.enveloping ? "application/pkcs7-mime" : "application/pkcs7-signature";
}

const std::initializer_list<const char*> kSignParameters = {
    "key", "mode", "level", "pem", "reason", "location", "contact", "field", "signing_time", "certify", "visible",
    "xml_target", "xml_parent", "xml_c14n", "xml_xades", "xml_signature_id"};

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16;
    out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

}  // namespace

void handle_sign(Service& s, const httplib::Request& req, httplib::Response& res) {
  check_parameters(req, kSignParameters);
  const Key& key = chosen_key(s, req);
  if (!key.signer)
    throw Error(ErrorCategory::usage, "SERVICE_KEY_UNKNOWN", "key '" + key.name + "' has only a certificate: use /v1/sign/prepare");
  Plan p = plan_of(s, req, req.body);
  std::string signed_bytes = p.kind == "pdf"   ? sign_pdf(req.body, *key.signer, p.pdf)
                             : p.kind == "xml" ? sign_xml(req.body, *key.signer, p.xml)
                                               : sign_cms(req.body, *key.signer, p.cms);
  res.set_content(std::move(signed_bytes), content_type_of(p));
}

// Phase 1 of two-phase signing: the document and key=NAME (its certificates); answers what to sign.
void handle_sign_prepare(Service& s, const httplib::Request& req, httplib::Response& res) {
  check_parameters(req, kSignParameters);
  const Key& key = chosen_key(s, req);
  Plan p = plan_of(s, req, req.body);
  ExternalRequest r = p.kind == "pdf"   ? prepare_external_signature(req.body, key.certificates, p.pdf)
                      : p.kind == "xml" ? prepare_external_xml(req.body, key.certificates, p.xml)
                                        : prepare_external_cms(req.body, key.certificates, p.cms);
  nlohmann::json out = {{"state", r.state},
                        {"digest_algorithm", r.digest_algorithm},
                        {"digest_hex", hex(r.digest)},
                        {"digest_base64", base64(r.digest)},
                        {"data_to_sign_base64", base64(r.data_to_sign)}};
  res.set_content(out.dump(2), "application/json");
}

// Phase 2: multipart parts "document" (the same bytes as phase 1), "state" and "signature" (the raw
// signature value, or a whole CMS from the signing service) -> the signed document.
void handle_sign_finish(Service& s, const httplib::Request& req, httplib::Response& res) {
  check_parameters(req, {});
  auto document = part(req, "document"), state = part(req, "state"), signature = part(req, "signature");
  if (!document || !state || !signature)
    throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "finish wants multipart parts 'document', 'state' and 'signature'");
  const bool cms = state->find("\"libsign-external-cms/1\"") != std::string::npos;
  const bool xml = state->find("\"libsign-external-xml/1\"") != std::string::npos;
  std::optional<TsaOptions> tsa = s.settings.tsa_options();
  std::string out = xml   ? finish_external_xml(*document, *state, *signature, tsa)
                    : cms ? finish_external_cms(*document, *state, *signature, tsa)
                          : finish_external_signature(*document, *state, *signature, tsa);
  const char* type = xml ? "application/xml" : cms ? "application/pkcs7-signature" : "application/pdf";
  res.set_content(std::move(out), type);
}

}  // namespace libsign::serve
