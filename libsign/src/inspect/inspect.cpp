// `libsign inspect`: the structure of a PDF's signatures without a verdict — revisions, fields,
// byte ranges, CMS attributes and certificates — for people debugging a dossier.
#include "libsign/inspect.hpp"

#include <nlohmann/json.hpp>

#include "cms/signed_data.hpp"
#include "cms/timestamp.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "inspect/last_view.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"
#include "pki/certificate.hpp"

namespace libsign {
namespace {
using nlohmann::json;

std::string iso(long long t) { return core::iso_utc_unix(t); }

json certificate_summary(X509* cert) {
  CertificateInfo c = pki::describe(cert);
  return {{"subject", c.subject}, {"issuer", c.issuer}, {"serial", c.serial_hex}, {"not_before", c.not_before},
          {"not_after", c.not_after}, {"key", c.key_algorithm + "-" + std::to_string(c.key_bits)},
          {"signature_algorithm", c.signature_algorithm}, {"sha256", c.sha256}};
}

json cms_summary(const std::string& contents) {
  std::string error;
  auto sd = cms::parse_signed_data(contents, &error);
  if (!sd) return {{"error", error}};
  json certs = json::array();
  for (const auto& c : sd->certificates) certs.push_back(certificate_summary(c.get()));
  json attrs = {{"message_digest", sd->message_digest ? json(core::to_hex(*sd->message_digest)) : json(nullptr)},
                {"signing_time", sd->signing_time ? json(iso(*sd->signing_time)) : json(nullptr)},
                {"signing_certificate", sd->ess_kind == cms::EssKind::v2 ? "v2" : sd->ess_kind == cms::EssKind::v1 ? "v1" : "none"},
                {"archived_crls", sd->archived_crls.size()},
                {"archived_ocsp_responses", sd->archived_ocsp.size()}};
  json out = {{"signers", sd->signer_count},
              {"digest_algorithm", sd->digest_name},
              {"signature_algorithm", sd->signature_algorithm},
              {"encapsulated_content", sd->has_econtent},
              {"signed_attributes", sd->has_signed_attributes ? attrs : json(nullptr)},
              {"certificates", certs},
              {"signature_timestamp", nullptr}};
  if (sd->timestamp_token) {
    cms::TimestampToken t = cms::read_timestamp_token(*sd->timestamp_token);
    out["signature_timestamp"] = {{"gen_time", t.parsed ? json(iso(t.gen_time)) : json(nullptr)},
                                  {"imprint_algorithm", t.imprint_digest_name},
                                  {"tsa", t.tsa_certificate ? json(pki::describe(t.tsa_certificate.get()).subject) : json(nullptr)},
                                  {"error", t.error}};
  }
  return out;
}

json repairs_of(const pdf::Document& doc) {
  json out = json::array();
  for (const auto& r : doc.repairs())
    out.push_back({{"kind", r.kind}, {"offset", r.offset}, {"revision", r.revision ? json(*r.revision) : json(nullptr)},
                   {"detail", r.detail}});
  return out;
}

json inspect_json_value(std::string_view bytes) {
  pdf::Document doc = pdf::Document::open(bytes);
  json revisions = json::array();
  for (size_t i = 0; i < doc.revisions().size(); ++i) {
    const auto& r = doc.revisions()[i];
    revisions.push_back({{"index", i}, {"end_offset", r.end_offset}, {"xref_stream", r.is_xref_stream}});
  }
  json signatures = json::array();
  for (const auto& f : pdf::find_signatures(doc)) {
    json sig = {{"field", f.field_name},
                {"type", f.type},
                {"filter", f.filter},
                {"subfilter", f.subfilter},
                {"byte_range", f.byte_range},
                {"contents_offsets", {f.contents_begin, f.contents_end}},
                {"contents_bytes", f.contents.size()},
                {"m", f.signing_time},
                {"reason", f.reason},
                {"location", f.location},
                {"revision_introduced", f.revision_introduced},
                {"present_in_last_revision", f.present_in_last_revision},
                {"certification_p", f.is_certification ? json(f.docmdp_permissions) : json(nullptr)}};
    if (f.type == "DocTimeStamp" || f.subfilter == "ETSI.RFC3161") {
      cms::TimestampToken t = cms::read_timestamp_token(f.contents);
      sig["timestamp"] = {{"gen_time", t.parsed ? json(iso(t.gen_time)) : json(nullptr)}, {"error", t.error}};
    } else {
      sig["cms"] = cms_summary(f.contents);
    }
    signatures.push_back(sig);
  }
  return {{"schema", "libsign-inspect/1"},
          {"size", bytes.size()},
          {"revisions", revisions},
          {"signatures", signatures},
          {"empty_signature_fields", pdf::find_empty_signature_fields(doc)},
          {"last_revision", inspect::last_view_summary(doc)},
          // Last: the summaries above read objects, which may add repairs.
          {"reconstructed", doc.reconstructed()},
          {"repairs", repairs_of(doc)}};
}

void write_text(std::string& out, const json& value, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  for (auto it = value.begin(); it != value.end(); ++it) {
    const json& v = it.value();
    std::string key = value.is_object() ? it.key() : "-";
    if (v.is_object() || (v.is_array() && !v.empty() && v.front().is_object())) {
      out += pad + key + ":\n";
      write_text(out, v, indent + 2);
    } else {
      out += pad + key + ": " + (v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace)) + "\n";
    }
  }
}

}  // namespace

std::string inspect_pdf_json(std::string_view pdf_bytes) {
  return inspect_json_value(pdf_bytes).dump(2, ' ', false, json::error_handler_t::replace);
}

std::string inspect_pdf(std::string_view pdf_bytes) {
  json value = inspect_json_value(pdf_bytes);
  // Thousands of object numbers help a program, not a reader: the text shows the count only.
  value["last_revision"]["objects"].erase("numbers");
  std::string out;
  write_text(out, value, 0);
  return out;
}

std::string inspect_pdf_file(const std::string& path) {
  core::MappedFile file(path);
  return inspect_pdf(file.bytes());
}

std::string inspect_pdf_file_json(const std::string& path) {
  core::MappedFile file(path);
  return inspect_pdf_json(file.bytes());
}

}  // namespace libsign
