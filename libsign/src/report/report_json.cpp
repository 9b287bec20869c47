// JSON form of the report, schema "libsign-report/1" (docs/report-schema.md).
// Every documented key is always present; absent values are null or empty.
#include <nlohmann/json.hpp>

#include "libsign/report.hpp"

namespace libsign {
namespace {
using nlohmann::json;

json sub_json(SubIndication s) { return s == SubIndication::none ? json(nullptr) : json(to_string(s)); }
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json finding_json(const Finding& f) {
  return {{"code", f.code},
          {"severity", to_string(f.severity)},
          {"message", {{"en", f.message_en}, {"vi", f.message_vi}}},
          {"hint", {{"en", f.hint_en}, {"vi", f.hint_vi}}},
          {"evidence", f.evidence}};
}

// Errors first, then warnings, then information; the order within a severity is the pipeline's.
json sorted_findings_json(const std::vector<Finding>& findings) {
  json out = json::array();
  for (Severity s : {Severity::error, Severity::warning, Severity::info})
    for (const auto& f : findings)
      if (f.severity == s) out.push_back(finding_json(f));
  return out;
}

json certificate_json(const CertificateInfo& c) {
  return {{"subject", c.subject},
          {"issuer", c.issuer},
          {"common_name", c.common_name},
          {"organization", text_or_null(c.organization)},
          {"organizational_unit", text_or_null(c.organizational_unit)},
          {"title", text_or_null(c.title)},
          {"locality", text_or_null(c.locality)},
          {"state", text_or_null(c.state)},
          {"country", text_or_null(c.country)},
          {"email", text_or_null(c.email)},
          {"identifiers", c.identifiers},
          {"serial", c.serial_hex},
          {"not_before", c.not_before},
          {"not_after", c.not_after},
          {"sha256", c.sha256},
          {"key_algorithm", c.key_algorithm},
          {"key_bits", c.key_bits},
          {"signature_algorithm", c.signature_algorithm},
          {"self_signed", c.self_signed},
          {"trust_profile", text_or_null(c.trust_profile)}};
}

json signature_json(const SignatureReport& s) {
  json chain = json::array();
  for (const auto& c : s.chain) chain.push_back(certificate_json(c));
  json checks = json::array();
  for (const auto& c : s.checks) checks.push_back({{"step", c.step}, {"status", to_string(c.status)}, {"detail", c.detail}});
  json findings = sorted_findings_json(s.findings);
  json modifications = json::array();
  for (const auto& m : s.modifications) {
    json objects = json::array();
    for (const auto& o : m.objects)
      objects.push_back({{"object", o.object},
                         {"description", o.description},
                         {"level", to_string(o.level)},
                         {"kind", o.kind},
                         {"page", o.page > 0 ? json(o.page) : json(nullptr)}});
    modifications.push_back(
        {{"revision", m.revision}, {"level", to_string(m.level)}, {"objects", objects}, {"objects_omitted", m.objects_omitted}});
  }
  auto timestamp_json = [](const TimestampInfo& t) {
    return json{{"present", t.present},
                {"valid", t.valid},
                {"gen_time", text_or_null(t.gen_time)},
                {"tsa", t.tsa ? certificate_json(*t.tsa) : json(nullptr)},
                {"detail", t.detail}};
  };
  json timestamp = timestamp_json(s.timestamp);
  json archive_timestamps = json::array();
  for (const auto& t : s.archive_timestamps) archive_timestamps.push_back(timestamp_json(t));
  json revocation = {{"source", s.revocation.source},
                     {"status", s.revocation.status},
                     {"produced_at", text_or_null(s.revocation.produced_at)},
                     {"revocation_time", text_or_null(s.revocation.revocation_time)},
                     {"reason", text_or_null(s.revocation.reason)},
                     {"crls", s.revocation.crls},
                     {"ocsp_responses", s.revocation.ocsp_responses}};
  json manifest_references = json::array();
  for (const auto& m : s.manifest_references)
    manifest_references.push_back({{"manifest", m.manifest},
                                   {"manifest_signed", m.manifest_signed},
                                   {"uri", m.uri},
                                   {"element", text_or_null(m.element)},
                                   {"status", m.status},
                                   {"digest_algorithm", text_or_null(m.digest_algorithm)},
                                   {"detail", text_or_null(m.detail)}});
  json cross_items = json::array();
  for (const auto& c : s.cross_check.compared)
    cross_items.push_back({{"item", c.item}, {"libsign", c.libsign}, {"botan", c.botan}, {"result", c.result},
                           {"detail", text_or_null(c.detail)}});
  json cross_check = {{"engine", text_or_null(s.cross_check.engine)},
                      {"result", s.cross_check.result},
                      {"compared", cross_items},
                      {"note", text_or_null(s.cross_check.note)}};
  return {{"id", s.id},
          {"field_name", s.field_name},
          {"field_names", s.field_names},
          {"found_via", text_or_null(s.found_via)},
          {"kind", s.kind},
          {"indication", to_string(s.indication)},
          {"sub_indication", sub_json(s.sub_indication)},
          {"signer", s.signer ? certificate_json(*s.signer) : json(nullptr)},
          {"chain", chain},
          {"signing_time", text_or_null(s.signing_time)},
          {"timestamp", timestamp},
          {"archive_timestamps", archive_timestamps},
          {"subfilter", s.subfilter},
          {"digest_algorithm", text_or_null(s.digest_algorithm)},
          {"signature_algorithm", text_or_null(s.signature_algorithm)},
          {"byte_range", s.byte_range},
          {"revision", s.revision},
          {"coverage", to_string(s.coverage)},
          {"modification_level", to_string(s.modification_level)},
          {"modifications", modifications},
          {"docmdp_permission", s.docmdp_permission ? json(*s.docmdp_permission) : json(nullptr)},
          {"reason", text_or_null(s.reason)},
          {"location", text_or_null(s.location)},
          {"contact_info", text_or_null(s.contact_info)},
          {"name", text_or_null(s.name)},
          {"revocation", revocation},
          {"manifest_references", manifest_references},
          {"cross_check", cross_check},
          {"checks", checks},
          {"findings", findings}};
}

// The "document" object; an enveloping CMS nests its content's report under "inner".
json document_json(const DocumentReport& d) {
  json signatures_json = json::array();
  for (const auto& s : d.signatures) signatures_json.push_back(signature_json(s));
  json findings_json = sorted_findings_json(d.findings);
  return {{"path", d.path},
          {"format", d.format},
          {"sha256", d.sha256},
          {"size", d.size},
          {"revisions", d.revisions},
          {"indication", to_string(d.indication)},
          {"sub_indication", sub_json(d.sub_indication)},
          {"validation_time", d.validation_time},
          {"trust_profile", d.trust_profile},
          {"signatures", signatures_json},
          {"findings", findings_json},
          {"inner", d.inner ? document_json(*d.inner) : json(nullptr)},
          {"recovered", d.recovered ? document_json(*d.recovered) : json(nullptr)},
          {"recovery_method", text_or_null(d.recovery_method)}};
}

}  // namespace

std::string DocumentReport::to_json(int indent) const {
  json doc = {{"schema", "libsign-report/1"}, {"document", document_json(*this)}};
  // Invalid UTF-8 from a hostile file must not make serialisation throw.
  return doc.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace libsign
