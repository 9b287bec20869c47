// The XML front end: finds the ds:Signature elements of an e-form (or the one the caller selects),
// runs the XML steps, then the common chain / revocation / time / policy steps, and reports with the
// same model as for PDFs (format "xml").
#include "validate/xml_verifier.hpp"

#include "cms/digests.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "report/finding.hpp"
#include "validate/context.hpp"
#include "validate/xades_archive.hpp"
#include "validate/xml_steps.hpp"
#include "xml/xades_values.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::validate {
namespace {

// The XML front steps have filled `st`: its evidence goes into the format-neutral context and the
// steps every format shares judge timestamp, chain, revocation, time and policy.
void run_shared_steps(const Verifier::Impl& impl, XmlSignatureState& st, const xml::XadesValues& values,
                      long long validation_time, pki::Deadline deadline) {
  static const pki::RevocationEvidence no_dss;
  static const std::vector<pki::Cert> no_dss_certs;
  SignatureContext ctx{nullptr, nullptr, nullptr, impl.trust, validation_time, no_dss, no_dss_certs,
                       impl.fetcher, deadline, impl.options.revocation.require, st.report, st.verdict};
  ctx.embedded_certs = st.certificates;
  ctx.embedded_revocation.add("key-info", st.sig.crls, {});
  // XAdES B-LT validation data counts like any evidence the signature carries.
  ctx.embedded_certs.insert(ctx.embedded_certs.end(), values.certificates.begin(), values.certificates.end());
  ctx.embedded_revocation.add("xades-values", values.crls, values.ocsp);
  // B-LTA: a valid archive timestamp proves the signature existed at its time (a valid signature
  // timestamp, earlier, replaces it in check_timestamp).
  ctx.archive_poe = check_archive_timestamps(st, values, impl.trust, validation_time);
  ctx.proven_time = ctx.archive_poe;
  ctx.digest_name = st.weakest_digest;
  if (!st.sig.timestamp_token.empty()) ctx.timestamp_token = st.sig.timestamp_token;
  ctx.timestamped_data = st.timestamped_data;
  ctx.signer = st.signer;
  ctx.claimed_time = st.claimed_time;
  ctx.cross = impl.botan();
  ctx.chain_cache = &impl.chain_cache;
  run_common_steps(ctx);
  cross_check_xml(ctx, st);
  st.verdict = ctx.verdict;
}

SignatureReport verify_one(const Verifier::Impl& impl, xmlDoc* doc, xmlNode* node, xmlNode* target,
                           const XmlVerifyOptions& options, long long validation_time, pki::Deadline deadline, size_t index) {
  SignatureReport s;
  s.id = "sig" + std::to_string(index + 1);
  s.kind = "approval";
  begin_cross_check(s.cross_check, impl.botan() != nullptr);
  Verdict verdict;
  XmlSignatureState st{doc, xml::parse_signature(node), &options, target, s, verdict};
  s.field_name = st.sig.id.empty() ? xml::node_path(node) : st.sig.id;
  const xml::XadesValues values = xml::read_xades_values(node);
  s.subfilter = !values.archive_timestamps.empty()                                ? "XAdES-B-LTA"
                : values.has_certificate_values || values.has_revocation_values ? "XAdES-B-LT"
                : !st.sig.timestamp_token.empty()                               ? "XAdES-B-T"
                : st.sig.signed_properties                                      ? "XAdES-B-B"
                                                                                : "XML-DSig";
  auto settle = [&] {
    auto [indication, sub] = st.verdict.settle();
    s.indication = indication;
    s.sub_indication = sub;
    return std::move(s);
  };
  if (!st.sig.malformed.empty()) {
    st.add("XML_SIGNATURE_MALFORMED", {{"detail", st.sig.malformed}, {"element", xml::node_path(node)}});
    st.verdict.fail(SubIndication::format_failure);
    st.check("integrity", CheckStatus::failed, st.sig.malformed);
    return settle();
  }
  if (st.sig.algorithm) s.digest_algorithm = st.sig.algorithm->digest;
  if (!check_references(st)) return settle();
  check_target(st);
  check_wrapping(st);
  check_manifests(st);
  read_signing_time(st);
  if (!identify_xml_signer(st)) {
    if (!st.sig.algorithm || !st.sig.c14n) check_xml_signature_value(st);  // says which algorithm is unsupported
    return settle();
  }
  check_xml_signature_value(st);
  if (!st.sig.timestamp_token.empty()) {
    xml::C14nMethod m = st.sig.timestamp_c14n ? *st.sig.timestamp_c14n : xml::C14nMethod{};
    st.timestamped_data = xml::canonical_signature_value(doc, st.sig, m);
  }
  run_shared_steps(impl, st, values, validation_time, deadline);
  return settle();
}

}  // namespace

DocumentReport verify_xml_bytes(const Verifier::Impl& impl, std::string_view bytes, const std::string& label,
                                const XmlVerifyOptions& options) {
  DocumentReport report;
  report.path = label;
  report.format = "xml";
  report.size = bytes.size();
  report.revisions = 1;
  report.trust_profile = impl.trust.selected_profile();
  const long long validation_time = impl.validation_time();
  report.validation_time = core::iso_utc_unix(validation_time);
  report.sha256 = core::to_hex(cms::digest_bytes(bytes, EVP_sha256()));

  xml::ParseLimits limits;
  limits.max_bytes = options.max_bytes;
  limits.max_depth = options.max_depth;
  xml::DocPtr doc = xml::parse(bytes, limits);

  std::vector<xmlNode*> all = xml::find_all(doc.get(), xml::kDsigNs, "Signature");
  std::vector<xmlNode*> chosen;
  if (options.signature.empty()) {
    chosen = all;
  } else if (options.signature[0] == '/') {
    for (xmlNode* n : xml::select_elements(doc.get(), options.signature))
      if (xml::is_element(n, xml::kDsigNs, "Signature")) chosen.push_back(n);
    if (chosen.size() > 1) {
      report.findings.push_back(report::make_finding("XML_SIGNATURE_AMBIGUOUS", {{"selector", options.signature},
                                                                                  {"matches", std::to_string(chosen.size())}}));
      chosen.clear();
    }
  } else {
    for (xmlNode* n : all)
      if (xml::attribute(n, "Id") == options.signature) chosen.push_back(n);
    if (chosen.size() > 1) {
      report.findings.push_back(report::make_finding("XML_ID_DUPLICATE", {{"id", options.signature}}));
      chosen.clear();
    }
  }
  if (all.empty()) report.findings.push_back(report::make_finding("NO_SIGNATURE_FOUND"));
  else if (chosen.empty() && !report.has_finding("XML_ID_DUPLICATE") && !report.has_finding("XML_SIGNATURE_AMBIGUOUS"))
    report.findings.push_back(report::make_finding("XML_SIGNATURE_NOT_FOUND", {{"selector", options.signature}}));

  xmlNode* target = nullptr;
  bool target_problem = false;
  if (!options.target_id.empty()) {
    // By path (what an application reads) or by Id.
    auto found = options.target_id[0] == '/' ? xml::select_elements(doc.get(), options.target_id)
                                             : xml::elements_with_id(doc.get(), options.target_id);
    if (found.size() == 1) {
      target = found[0];
    } else {
      target_problem = true;
      bool by_path = options.target_id[0] == '/';
      report.findings.push_back(report::make_finding(found.empty() || by_path ? "XML_TARGET_NOT_FOUND" : "XML_ID_DUPLICATE",
                                                     {{"id", options.target_id}, {"matches", std::to_string(found.size())}}));
    }
  }

  const pki::Deadline deadline = impl.fetcher.deadline_from_now();
  if (!target_problem)
    for (size_t i = 0; i < chosen.size(); ++i)
      report.signatures.push_back(verify_one(impl, doc.get(), chosen[i], target, options, validation_time, deadline, i));

  settle_document(report);
  // A duplicated Id (of the selected signature or of the target) is a failure even without a signature.
  if (report.signatures.empty() && report.has_finding("XML_ID_DUPLICATE")) {
    report.indication = Indication::total_failed;
    report.sub_indication = SubIndication::format_failure;
  }
  return report;
}

}  // namespace libsign::validate

namespace libsign {

// Both go through damage forensics (docs/damage.md), like verify and verify_pdf: only after a failure.
DocumentReport Verifier::verify_xml(std::string_view xml_bytes, const XmlVerifyOptions& options, const std::string& label) const {
  return validate::with_damage_forensics(*this, xml_bytes, label,
                                         [&] { return validate::verify_xml_bytes(*impl_, xml_bytes, label, options); });
}

DocumentReport Verifier::verify_xml_file(const std::string& path, const XmlVerifyOptions& options) const {
  core::MappedFile file(path);
  return validate::with_damage_forensics(*this, file.bytes(), path,
                                         [&] { return validate::verify_xml_bytes(*impl_, file.bytes(), path, options); });
}

DocumentReport verify_xml(const Verifier& verifier, std::string_view xml, const XmlVerifyOptions& options,
                          const std::string& label) {
  return verifier.verify_xml(xml, options, label);
}

DocumentReport verify_xml_file(const Verifier& verifier, const std::string& path, const XmlVerifyOptions& options) {
  return verifier.verify_xml_file(path, options);
}

}  // namespace libsign
