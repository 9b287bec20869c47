// POST /v1/verify: the body is the file (PDF, XML, CMS), or multipart/form-data with the parts
// "signature" and "content" (a detached CMS and what it signs). The answer is the libsign-report/1
// JSON with HTTP 200 whatever the verdict.
#include "libsign/cms.hpp"
#include "libsign/verify.hpp"
#include "libsign/xml.hpp"
#include "routes.hpp"

namespace libsign::serve {
namespace {

// The request's verify options: the operator's defaults, narrowed by the query. A request may pick
// another trust profile, a validation time and the revocation policy, or go offline; it can never
// add hosts, trust files or profile folders.
VerifyOptions options_of(const Service& s, const httplib::Request& req) {
  VerifyOptions o = s.verifiers->defaults();
  o.trust_profile = parameter(req, "trust_profile", o.trust_profile);
  if (req.has_param("at")) o.at = parse_time(req.get_param_value("at"));
  if (flag_parameter(req, "offline", false)) o.revocation.online = false;
  const std::string revocation = parameter(req, "revocation", o.revocation.require ? "required" : "optional");
  if (revocation != "required" && revocation != "optional")
    throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "revocation wants required or optional");
  o.revocation.require = revocation == "required";
  o.verify_inner = flag_parameter(req, "inner", true);
  return o;
}

XmlVerifyOptions xml_options_of(const httplib::Request& req) {
  XmlVerifyOptions x;
  x.target_id = parameter(req, "xml_target");
  x.signature = parameter(req, "xml_signature");
  x.enveloped_only = flag_parameter(req, "xml_enveloped_only", false);
  return x;
}

}  // namespace

void handle_verify(Service& s, const httplib::Request& req, httplib::Response& res) {
  check_parameters(req, {"trust_profile", "at", "offline", "revocation", "inner", "lang", "format", "xml_target",
                         "xml_signature", "xml_enveloped_only", "name"});
  const std::string format = parameter(req, "format", "json"), lang = parameter(req, "lang", "en");
  if (format != "json" && format != "text")
    throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "format wants json or text");
  if (lang != "en" && lang != "vi") throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "lang wants en or vi");
  const std::string label = parameter(req, "name");
  auto verifier = s.verifiers->get(options_of(s, req));

  DocumentReport report;
  if (req.is_multipart_form_data()) {
    auto signature = part(req, "signature");
    if (!signature) throw Error(ErrorCategory::usage, "SERVICE_PARAMETER_INVALID", "multipart verify needs a part named 'signature'");
    auto content = part(req, "content");
    report = content ? verifier->verify_cms(*signature, std::string_view(*content), label) : verifier->verify_cms(*signature, std::nullopt, label);
  } else if (detect_format(req.body) == "xml") {
    report = verifier->verify_xml(req.body, xml_options_of(req), label);
  } else {
    report = verifier->verify(req.body, label);  // Error(format, INPUT_FORMAT_UNKNOWN) -> 415
  }
  context().indication = to_string(report.worst_indication());
  s.metrics.verdict(context().indication);
  if (format == "text") res.set_content(report.to_text(lang), "text/plain; charset=utf-8");
  else res.set_content(report.to_json(2), "application/json");
}

}  // namespace libsign::serve
