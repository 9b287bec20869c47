// The Verifier: finds every signature of a PDF and runs the pipeline on each.
#include <future>

#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "libsign/verify.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"
#include "report/finding.hpp"
#include "validate/context.hpp"
#include "validate/dss.hpp"
#include "validate/pdf_date.hpp"
#include "validate/repairs.hpp"
#include "validate/verifier_impl.hpp"

namespace libsign {

namespace {

// Above this size the whole-file SHA-256 of the report runs on a second core, beside the signature digests.
constexpr size_t kParallelHashThreshold = 8u << 20;

std::string sha256_hex(const core::ByteSource& source) {
  return core::to_hex(validate::digest_ranges(source, {{0, source.bytes.size()}}, EVP_sha256()));
}

std::string kind_of(const pdf::SignatureField& f) {
  if (f.type == "DocTimeStamp" || f.subfilter == "ETSI.RFC3161") return "document-timestamp";
  return f.is_certification ? "certification" : "approval";
}

std::string ref_text(const pdf::Ref& r) { return std::to_string(r.num) + " " + std::to_string(r.gen) + " R"; }

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Signature dictionaries that no field names are reported, not verified: nothing in the document
// claims them as its signature, so a verdict on them would vouch for a signature nobody sees.
void report_unreferenced_values(const pdf::Document& pdf, const std::vector<pdf::SignatureField>& fields,
                                DocumentReport& doc) {
  for (const auto& v : pdf::find_unreferenced_signature_values(pdf, fields)) {
    std::map<std::string, std::string> evidence{{"object", ref_text(*v.value_ref)},
                                                {"revision", std::to_string(v.revision_introduced)}};
    if (!v.type.empty()) evidence["type"] = v.type;
    if (!v.subfilter.empty()) evidence["subfilter"] = v.subfilter;
    doc.findings.push_back(report::make_finding("SIGNATURE_VALUE_UNREFERENCED", std::move(evidence)));
  }
}

// Where the signature was found, when that is not the ordinary way.
void report_discovery(const pdf::SignatureField& f, validate::SignatureContext& ctx) {
  if (f.found_via == "page-annots") ctx.add("SIGNATURE_FIELD_NOT_IN_ACROFORM", {{"field", f.field_name}});
  if (f.field_names.size() > 1) {
    std::map<std::string, std::string> evidence{{"fields", joined(f.field_names)}};
    if (f.value_ref) evidence["object"] = ref_text(*f.value_ref);
    ctx.add("SIGNATURE_VALUE_SHARED", std::move(evidence));
  }
}

bool supported_subfilter(const std::string& s) {
  return s == "adbe.pkcs7.detached" || s == "ETSI.CAdES.detached" || s == "adbe.pkcs7.sha1" || s == "ETSI.RFC3161";
}

void run_pipeline(validate::SignatureContext& ctx, int docmdp_p) {
  using namespace validate;
  SignatureReport& r = ctx.report;
  bool have_ranges = check_byte_range(ctx);
  if (r.kind == "document-timestamp") {
    verify_document_timestamp(ctx);
    check_modifications(ctx, docmdp_p);
    return;
  }
  if (!supported_subfilter(ctx.field->subfilter)) {
    ctx.add("UNSUPPORTED_SUBFILTER", {{"subfilter", ctx.field->subfilter}});
    ctx.verdict.indeterminate(SubIndication::none);
    ctx.check("integrity", CheckStatus::skipped, "unsupported SubFilter " + ctx.field->subfilter);
    return;
  }
  if (!have_ranges || !read_cms_and_digest(ctx)) return;
  const cms::SignedData& sd = *ctx.signed_data;
  if (sd.signing_time) ctx.claimed_time = sd.signing_time;
  else if (auto m = parse_pdf_date(ctx.field->signing_time)) ctx.claimed_time = m;
  if (ctx.claimed_time) r.signing_time = core::iso_utc_unix(*ctx.claimed_time);

  if (!identify_signer(ctx)) return;
  check_signature_value(ctx);
  run_common_steps(ctx);
  check_modifications(ctx, docmdp_p);
}

}  // namespace

Verifier::Verifier(const VerifyOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Verifier::~Verifier() = default;
Verifier::Verifier(Verifier&&) noexcept = default;
Verifier& Verifier::operator=(Verifier&&) noexcept = default;
const VerifyOptions& Verifier::options() const { return impl_->options; }

VerifierStats Verifier::stats() const {
  VerifierStats stats;
  impl_->fetcher.add_counts(stats);
  stats.chain_cache_hits = impl_->chain_cache.hits();
  stats.chain_cache_misses = impl_->chain_cache.misses();
  return stats;
}

DocumentReport Verifier::verify_pdf_file(const std::string& path) const {
  core::MappedFile file(path);
  return validate::with_damage_forensics(*this, file.bytes(), path, [&] {
    return validate::verify_pdf_source(*impl_, {file.bytes(), file.fd()}, path);
  });
}

DocumentReport Verifier::verify_pdf(std::string_view bytes, const std::string& label) const {
  return validate::with_damage_forensics(*this, bytes, label, [&] { return validate::verify_pdf_source(*impl_, {bytes}, label); });
}

namespace validate {

DocumentReport verify_pdf_source(const Verifier::Impl& impl, const core::ByteSource& source, const std::string& label) {
  std::string_view bytes = source.bytes;
  DocumentReport doc;
  doc.path = label;
  doc.size = bytes.size();
  doc.trust_profile = impl.trust.selected_profile();
  const long long validation_time = impl.validation_time();
  doc.validation_time = core::iso_utc_unix(validation_time);

  std::future<std::string> file_hash;
  if (bytes.size() >= kParallelHashThreshold) file_hash = std::async(std::launch::async, sha256_hex, source);
  else doc.sha256 = sha256_hex(source);

  pdf::Document pdf = pdf::Document::open(bytes);
  doc.revisions = static_cast<int>(pdf.revisions().size());
  validate::DssContents dss = validate::read_dss(pdf);
  const pki::Deadline deadline = impl.fetcher.deadline_from_now();  // one budget for the whole document
  std::vector<pdf::SignatureField> fields = pdf::find_signatures(pdf);

  for (const auto& name : pdf::find_empty_signature_fields(pdf))
    doc.findings.push_back(report::make_finding("SIGNATURE_FIELD_EMPTY", {{"field", name}}));
  if (fields.empty()) doc.findings.push_back(report::make_finding("NO_SIGNATURE_FOUND"));

  // The DocMDP permission of the first certification signature governs every later change.
  int certification_p = 0;
  int certification_revision = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    const pdf::SignatureField& f = fields[i];
    SignatureReport s;
    s.id = "sig" + std::to_string(i + 1);
    s.field_name = f.field_name;
    s.field_names = f.field_names;
    s.found_via = f.found_via;
    s.kind = kind_of(f);
    s.subfilter = f.subfilter;
    s.reason = f.reason;
    s.location = f.location;
    s.contact_info = f.contact_info;
    s.name = f.name;
    if (f.is_certification) s.docmdp_permission = f.docmdp_permissions;
    if (!f.present_in_last_revision)
      doc.findings.push_back(report::make_finding("SIGNATURE_REMOVED_IN_LATER_REVISION", {{"field", f.field_name}}));

    validate::SignatureContext ctx{&source, &pdf, &f, impl.trust, validation_time, dss.evidence, dss.certificates,
                                   impl.fetcher, deadline, impl.options.revocation.require, s, {}};
    ctx.cross = impl.botan();
    ctx.chain_cache = &impl.chain_cache;
    report_discovery(f, ctx);
    int p_in_force = 0;
    if (f.is_certification && certification_p == 0) {
      p_in_force = f.docmdp_permissions;
    } else if (certification_p > 0 && static_cast<int>(f.revision_introduced) >= certification_revision) {
      p_in_force = certification_p;
    }
    run_pipeline(ctx, p_in_force);
    validate::cross_check(ctx);
    if (f.is_certification && certification_p == 0) {
      certification_p = f.docmdp_permissions;
      certification_revision = static_cast<int>(f.revision_introduced);
    }
    auto [indication, sub] = ctx.verdict.settle();
    s.indication = indication;
    s.sub_indication = sub;
    doc.signatures.push_back(std::move(s));
  }
  report_unreferenced_values(pdf, fields, doc);

  validate::report_encryption(pdf, doc);
  validate::report_repairs(pdf, doc);
  validate::settle_document(doc);
  if (file_hash.valid()) doc.sha256 = file_hash.get();
  return doc;
}

}  // namespace validate

long long Verifier::Impl::validation_time() const {
  return core::to_unix(options.at ? *options.at : std::chrono::system_clock::now());
}

namespace validate {
void settle_document(DocumentReport& doc) {
  doc.indication = doc.signatures.empty() ? Indication::indeterminate : Indication::total_passed;
  doc.sub_indication = SubIndication::none;
  for (const auto& s : doc.signatures) {
    if (s.indication == Indication::total_failed && doc.indication != Indication::total_failed) {
      doc.indication = s.indication;
      doc.sub_indication = s.sub_indication;
    } else if (s.indication == Indication::indeterminate && doc.indication == Indication::total_passed) {
      doc.indication = s.indication;
      doc.sub_indication = s.sub_indication;
    }
  }
}
}  // namespace validate

DocumentReport verify_pdf_file(const std::string& path, const VerifyOptions& options) {
  return Verifier(options).verify_pdf_file(path);
}

DocumentReport verify_pdf(std::string_view pdf_bytes, const VerifyOptions& options) {
  return Verifier(options).verify_pdf(pdf_bytes);
}

std::vector<std::string> builtin_trust_profiles() { return {"vn-gov", "vn-public", "vn-all"}; }

}  // namespace libsign
