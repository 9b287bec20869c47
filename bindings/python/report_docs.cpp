// Docstrings for every report field and readable reprs, attached after module.cpp registered the
// classes (one table here keeps module.cpp's binding lines short and easy to merge).
#include "report_docs.hpp"

#include <pybind11/stl.h>

#include <utility>
#include <vector>

namespace py = pybind11;

namespace libsign::python {
namespace {

struct FieldDoc {
  const char* cls;
  const char* field;  // nullptr: the class itself
  const char* doc;
};

// Kept in step with libsign/report.hpp and docs/report-schema.md; tests/python/test_stubs.py checks
// that every public property has one.
const FieldDoc kDocs[] = {
    {"Finding", nullptr, "One finding of the verification: a stable catalog code (libsign.explain(code)), its "
                         "severity, messages and hints in English and Vietnamese, and the evidence that led to it."},
    {"Finding", "code", "Stable code from the findings catalog, e.g. CERT_REVOKED (docs/errors.md)."},
    {"Finding", "severity", "'info', 'warning' or 'error'."},
    {"Finding", "message_en", "What happened, in English."},
    {"Finding", "message_vi", "What happened, in Vietnamese."},
    {"Finding", "hint_en", "What to do about it, in English ('' when nothing)."},
    {"Finding", "hint_vi", "What to do about it, in Vietnamese ('' when nothing)."},
    {"Finding", "evidence", "Dict of str: the values that led to the finding (certificate, times, object numbers...)."},

    {"Check", nullptr, "One step of the validation pipeline and its outcome."},
    {"Check", "step", "integrity, signer_identification, signature_value, chain, revocation, time, policy or modifications."},
    {"Check", "status", "'passed', 'failed', 'skipped' or 'warning'."},
    {"Check", "detail", "One line in English."},

    {"CertificateInfo", nullptr, "A certificate of a signature's chain, a TSA or a signer, described for people."},
    {"CertificateInfo", "subject", "Subject name, UTF-8, most specific attribute first (RFC 4514 order)."},
    {"CertificateInfo", "issuer", "Issuer name, as subject."},
    {"CertificateInfo", "common_name", "CN of the subject."},
    {"CertificateInfo", "organization", "O of the subject."},
    {"CertificateInfo", "organizational_unit", "OU of the subject."},
    {"CertificateInfo", "title", "Title (job title) of the subject."},
    {"CertificateInfo", "locality", "L of the subject."},
    {"CertificateInfo", "state", "ST (province) of the subject."},
    {"CertificateInfo", "country", "C of the subject."},
    {"CertificateInfo", "email", "E-mail address of the subject."},
    {"CertificateInfo", "identifiers", "Vietnamese identifiers found in the subject, e.g. {'CCCD': '0010...', 'MST': '0100686209-199'}."},
    {"CertificateInfo", "serial", "Serial number, hex."},
    {"CertificateInfo", "not_before", "Start of validity, ISO 8601 UTC."},
    {"CertificateInfo", "not_after", "End of validity, ISO 8601 UTC."},
    {"CertificateInfo", "sha256", "SHA-256 fingerprint of the DER, lower-case hex."},
    {"CertificateInfo", "key_algorithm", "RSA, EC, Ed25519, ..."},
    {"CertificateInfo", "key_bits", "Key size in bits."},
    {"CertificateInfo", "signature_algorithm", "Algorithm of the certificate's own signature."},
    {"CertificateInfo", "self_signed", "True for a self-signed certificate (a root, or a self-signed leaf)."},
    {"CertificateInfo", "trust_profile", "The known trust profile whose anchor or intermediate this is ('user' for trust=, '' when unknown)."},

    {"TimestampInfo", nullptr, "An RFC 3161 timestamp: the signature timestamp, a document timestamp or an archive timestamp."},
    {"TimestampInfo", "present", "True when the signature carries this timestamp."},
    {"TimestampInfo", "valid", "True when the token is intact, matches what it stamps and its TSA chain is trusted."},
    {"TimestampInfo", "gen_time", "The time it proves, ISO 8601 UTC ('' when absent)."},
    {"TimestampInfo", "tsa", "CertificateInfo of the time-stamping authority, or None."},
    {"TimestampInfo", "detail", "One line in English."},

    {"RevocationInfo", nullptr, "The revocation status of the signer's certificate and where it came from (docs/revocation.md)."},
    {"RevocationInfo", "source", "Origin of the deciding item: none, signed-data, revocation-values, adbe-archival, key-info, "
                                 "xades-values, dss or online."},
    {"RevocationInfo", "status", "'unknown', 'good' or 'revoked'."},
    {"RevocationInfo", "produced_at", "thisUpdate of the CRL or producedAt of the OCSP response used, ISO 8601 UTC."},
    {"RevocationInfo", "revocation_time", "When the certificate was revoked, ISO 8601 UTC ('' unless revoked)."},
    {"RevocationInfo", "reason", "The CRL/OCSP revocation reason, e.g. keyCompromise."},
    {"RevocationInfo", "crls", "Number of CRLs found in the signature and document."},
    {"RevocationInfo", "ocsp_responses", "Number of OCSP responses found in the signature and document."},

    {"ManifestReference", nullptr, "XML: one ds:Reference inside a ds:Manifest, checked and shown but never part of the verdict."},
    {"ManifestReference", "manifest", "The Id of the ds:Manifest, or its path."},
    {"ManifestReference", "manifest_signed", "True when a reference of SignedInfo covers the manifest."},
    {"ManifestReference", "uri", "The URI as written."},
    {"ManifestReference", "element", "Path of the element it resolved to ('' when none)."},
    {"ManifestReference", "status", "'ok', 'failed', 'unresolvable', 'unsupported' or 'malformed'."},
    {"ManifestReference", "digest_algorithm", "e.g. 'sha256' ('' when unknown)."},
    {"ManifestReference", "detail", "One line in English."},

    {"CrossCheckItem", nullptr, "One item the Botan cross-check compared (docs/security.md)."},
    {"CrossCheckItem", "item", "'digest', 'signature', 'path' or 'structure'."},
    {"CrossCheckItem", "libsign", "What libsign (OpenSSL) concluded: match/mismatch, valid/invalid, trusted/trusted_outside_validity/not_trusted, readable/unreadable."},
    {"CrossCheckItem", "botan", "What Botan concluded, in the same words, or 'unsupported'."},
    {"CrossCheckItem", "result", "'agree', 'disagree' or 'unsupported'."},
    {"CrossCheckItem", "detail", "Botan's reason, one line."},
    {"CrossCheck", nullptr, "The second engine's view of a signature (VerifyOptions cross_check)."},
    {"CrossCheck", "engine", "e.g. 'botan 2.19.3' ('' when off)."},
    {"CrossCheck", "result", "'agree', 'disagree' (ENGINE_DISAGREEMENT), 'unsupported' or 'off'."},
    {"CrossCheck", "compared", "List of CrossCheckItem."},
    {"CrossCheck", "note", "What was not compared and why."},

    {"ModifiedObject", nullptr, "A PDF object changed by a revision after a signature."},
    {"ModifiedObject", "object", "The object, e.g. '12 0 R'."},
    {"ModifiedObject", "description", "What changed, for people."},
    {"ModifiedObject", "level", "NONE, LTV_UPDATES, FORM_FILLING, ANNOTATIONS or OTHER."},

    {"RevisionModification", nullptr, "What one PDF revision after a signature changed."},
    {"RevisionModification", "revision", "0-based revision index."},
    {"RevisionModification", "level", "The worst change of the revision: NONE, LTV_UPDATES, FORM_FILLING, ANNOTATIONS or OTHER."},
    {"RevisionModification", "objects", "List of ModifiedObject, the most severe first (at most 200)."},
    {"RevisionModification", "objects_omitted", "Changed objects beyond those listed."},

    {"SignatureReport", nullptr, "The verdict on one signature (ETSI EN 319 102-1) with everything that led to it."},
    {"SignatureReport", "id", "'sig1', 'sig2', ... in file order."},
    {"SignatureReport", "field_name", "PDF: the signature field's name (the first of field_names)."},
    {"SignatureReport", "field_names", "PDF: every field whose value is this signature."},
    {"SignatureReport", "found_via", "PDF: 'acroform' or 'page-annots' (a field missing from /AcroForm); None for XML and CMS."},
    {"SignatureReport", "kind", "'approval', 'certification' or 'document-timestamp'."},
    {"SignatureReport", "indication", "'TOTAL_PASSED', 'TOTAL_FAILED' or 'INDETERMINATE'. Not TOTAL_PASSED without a revocation "
                                      "status unless revocation={'required': False} (docs/revocation.md)."},
    {"SignatureReport", "sub_indication", "ETSI sub-indication, e.g. 'TRY_LATER', 'HASH_FAILURE'; None when there is none."},
    {"SignatureReport", "signer", "CertificateInfo of the signer, or None when it could not be identified."},
    {"SignatureReport", "chain", "List of CertificateInfo: signer first, anchor last (as built, possibly partial)."},
    {"SignatureReport", "signing_time", "Claimed signing time (CMS signingTime, /M, XAdES SigningTime), ISO 8601 UTC; never proof."},
    {"SignatureReport", "timestamp", "TimestampInfo of the signature timestamp (for a document timestamp, itself)."},
    {"SignatureReport", "archive_timestamps", "List of TimestampInfo: XAdES/CAdES B-LTA archive timestamps, oldest first."},
    {"SignatureReport", "subfilter", "PDF /SubFilter, or the XAdES/CAdES level found."},
    {"SignatureReport", "digest_algorithm", "e.g. 'sha256'."},
    {"SignatureReport", "signature_algorithm", "e.g. 'rsaEncryption', 'ecdsa-with-SHA256'."},
    {"SignatureReport", "byte_range", "PDF /ByteRange as a list of int."},
    {"SignatureReport", "revision", "Index of the PDF revision this signature covers (-1 if none)."},
    {"SignatureReport", "coverage", "ENTIRE_FILE, ENTIRE_REVISION, PARTIAL or UNKNOWN."},
    {"SignatureReport", "modification_level", "Worst change after signing: NONE, LTV_UPDATES, FORM_FILLING, ANNOTATIONS or OTHER."},
    {"SignatureReport", "modifications", "List of RevisionModification: the revisions after this signature."},
    {"SignatureReport", "docmdp_permission", "P (1-3) of a certification signature, else None."},
    {"SignatureReport", "reason", "The reason the signer gave."},
    {"SignatureReport", "location", "The location the signer gave."},
    {"SignatureReport", "contact_info", "The contact information the signer gave."},
    {"SignatureReport", "name", "The signer name written in the signature dictionary (/Name), if any."},
    {"SignatureReport", "revocation", "RevocationInfo of the signer's certificate."},
    {"SignatureReport", "cross_check", "CrossCheck: what Botan, a second engine, concluded beside libsign."},
    {"SignatureReport", "manifest_references", "XML: list of ManifestReference, in document order."},
    {"SignatureReport", "checks", "List of Check: every validation step and its outcome."},
    {"SignatureReport", "findings", "List of Finding about this signature."},
    {"SignatureReport", "finding_codes", "The codes of findings, in order."},

    {"DocumentReport", nullptr, "The result of verifying one document: its signatures and document-level findings. "
                                "to_text(lang) is what a clerk reads, to_json() the libsign-report/1 JSON (docs/report-schema.md)."},
    {"DocumentReport", "path", "The path, or the label given for bytes."},
    {"DocumentReport", "format", "'pdf', 'xml' or 'cms'."},
    {"DocumentReport", "sha256", "SHA-256 of the bytes verified, lower-case hex."},
    {"DocumentReport", "size", "Size in bytes."},
    {"DocumentReport", "revisions", "PDF: number of revisions (incremental updates)."},
    {"DocumentReport", "indication", "The worst indication of the signatures: 'TOTAL_PASSED', 'TOTAL_FAILED' or 'INDETERMINATE'."},
    {"DocumentReport", "sub_indication", "Sub-indication of the deciding signature, or None."},
    {"DocumentReport", "validation_time", "The time the verdict holds for, ISO 8601 UTC (at=, or now)."},
    {"DocumentReport", "trust_profile", "The trust profile used."},
    {"DocumentReport", "signatures", "List of SignatureReport in file order."},
    {"DocumentReport", "findings", "List of Finding about the document itself (no signature, damage, ...)."},
    {"DocumentReport", "inner", "For a .p7m holding a PDF or XML: that document's own DocumentReport; else None."},
    {"DocumentReport", "recovered",
     "For a file damaged in transit (DAMAGE_* findings): the report of the original rebuilt from it, when that "
     "rebuilt original was verified; else None. It never replaces this report's own indication (docs/damage.md)."},
    {"DocumentReport", "recovery_method", "How `recovered` was rebuilt (e.g. \"base64-decode\"); \"\" when there is none."},
    {"DocumentReport", "worst_indication", "The worse of indication and, when it has signatures, inner.indication."},

    {"Signer", nullptr, "A signing key with its certificates, from load_pkcs12(), load_pem() or load_pkcs11()."},
    {"Signer", "certificates", "List of DER bytes: the signer's certificate first, then the chain embedded in signatures."},
    {"Signer", "key_type", "'rsa' or 'ec'."},
};

std::string quoted(const std::string& text) { return py::repr(py::str(text)); }

std::string finding_repr(const Finding& f) {
  return "<Finding " + f.code + " (" + to_string(f.severity) + "): " + f.message_en + ">";
}

std::string certificate_repr(const CertificateInfo& c) {
  std::string out = "<CertificateInfo " + quoted(c.common_name.empty() ? c.subject : c.common_name);
  if (!c.organization.empty()) out += " O=" + quoted(c.organization);
  return out + " serial=" + c.serial_hex + " not_after=" + c.not_after + (c.self_signed ? " self-signed" : "") + ">";
}

std::string signature_repr(const SignatureReport& s) {
  std::string out = "<SignatureReport " + s.id + " " + to_string(s.indication);
  if (s.sub_indication != SubIndication::none) out += std::string("/") + to_string(s.sub_indication);
  if (!s.field_name.empty()) out += " field=" + quoted(s.field_name);
  if (s.signer) out += " signer=" + quoted(s.signer->common_name);
  if (!s.signing_time.empty()) out += " signing_time=" + s.signing_time;
  std::string codes;
  for (const auto& f : s.findings) codes += (codes.empty() ? "" : ", ") + f.code;
  return out + " findings=[" + codes + "]>";
}

std::string document_repr(const DocumentReport& d) {
  std::string out = "<DocumentReport " + quoted(d.path) + " " + d.format + " " + to_string(d.indication);
  if (d.sub_indication != SubIndication::none) out += std::string("/") + to_string(d.sub_indication);
  out += " signatures=" + std::to_string(d.signatures.size());
  if (!d.findings.empty()) out += " findings=" + std::to_string(d.findings.size());
  if (d.inner) out += " inner=" + std::string(to_string(d.inner->indication));
  return out + ">";
}

// The CN of an RFC 2253 name (the whole name when it has none).
std::string common_name_of(const std::string& subject) {
  size_t start = subject.rfind("CN=", 0) == 0 ? 0 : subject.find(",CN=");
  if (start == std::string::npos) start = subject.find(", CN=");
  if (start == std::string::npos) return subject;
  start = subject.find("CN=", start) + 3;
  std::string out;
  for (size_t i = start; i < subject.size() && subject[i] != ','; ++i) {
    if (subject[i] == '\\' && i + 1 < subject.size()) ++i;  // an escaped character
    out += subject[i];
  }
  return out;
}

std::string signer_repr(const Signer& s) {
  std::string subject = s.certificates().empty() ? std::string() : xml_subject_name(s.certificates().front());
  return "<Signer " + s.key_type() + " " + quoted(common_name_of(subject)) + " certificates=" +
         std::to_string(s.certificates().size()) + ">";
}

template <class T>
void set_repr(py::module_& m, const char* name, std::string (*describe)(const T&)) {
  py::object cls = m.attr(name);
  cls.attr("__repr__") = py::cpp_function([describe](const T& value) { return describe(value); }, py::is_method(cls),
                                          py::name("__repr__"));
}

}  // namespace

pybind11::dict stats_dict(const VerifierStats& stats) {
  auto by_kind = [](const VerifierStats::ByKind& k) {
    pybind11::dict d;
    d["ocsp"] = k.ocsp;
    d["crl"] = k.crl;
    d["ca_issuers"] = k.ca_issuers;
    return d;
  };
  pybind11::dict out;
  out["revocation_fetches"] = by_kind(stats.revocation_fetches);
  out["revocation_fetch_failures"] = by_kind(stats.revocation_fetch_failures);
  out["revocation_cache_hits"] = by_kind(stats.revocation_cache_hits);
  out["chain_cache_hits"] = stats.chain_cache_hits;
  out["chain_cache_misses"] = stats.chain_cache_misses;
  return out;
}

std::string verifier_repr(const VerifyOptions& o) {
  std::string revocation = std::string(o.revocation.online ? "online" : "offline") + ", " +
                           (o.revocation.require ? "required" : "optional");
  std::string out = "<Verifier trust_profile=" + quoted(o.trust_profile) + " revocation=" + quoted(revocation);
  if (!o.trust_paths.empty()) out += " trust=" + std::to_string(o.trust_paths.size()) + " file(s)";
  out += " at=" + (o.at ? quoted(format_time(*o.at)) : std::string("now"));
  return out + ">";
}

void document_classes(py::module_& m) {
  for (const FieldDoc& d : kDocs) {
    if (!py::hasattr(m, d.cls)) continue;
    py::object cls = m.attr(d.cls);
    if (!d.field) {
      cls.attr("__doc__") = d.doc;
    } else if (py::hasattr(cls, d.field)) {
      // pybind11 fields are Python properties, whose __doc__ is writable.
      py::getattr(cls, "__dict__")[d.field].attr("__doc__") = d.doc;
    }
  }
  set_repr<Finding>(m, "Finding", finding_repr);
  set_repr<CertificateInfo>(m, "CertificateInfo", certificate_repr);
  set_repr<SignatureReport>(m, "SignatureReport", signature_repr);
  set_repr<DocumentReport>(m, "DocumentReport", document_repr);
  set_repr<Check>(m, "Check", +[](const Check& c) { return "<Check " + c.step + " " + to_string(c.status) + ": " + c.detail + ">"; });
  set_repr<TimestampInfo>(m, "TimestampInfo", +[](const TimestampInfo& t) {
    if (!t.present) return std::string("<TimestampInfo absent>");
    return std::string("<TimestampInfo ") + (t.valid ? "valid " : "invalid ") + t.gen_time + ">";
  });
  set_repr<RevocationInfo>(m, "RevocationInfo", +[](const RevocationInfo& r) {
    return "<RevocationInfo " + r.status + " source=" + r.source + (r.reason.empty() ? "" : " reason=" + r.reason) + ">";
  });
  set_repr<ModifiedObject>(m, "ModifiedObject", +[](const ModifiedObject& o) {
    return "<ModifiedObject " + o.object + " " + to_string(o.level) + ": " + o.description + ">";
  });
  set_repr<RevisionModification>(m, "RevisionModification", +[](const RevisionModification& r) {
    return "<RevisionModification revision=" + std::to_string(r.revision) + " " + to_string(r.level) +
           " objects=" + std::to_string(r.objects.size() + static_cast<size_t>(r.objects_omitted)) + ">";
  });
  set_repr<ManifestReference>(m, "ManifestReference", +[](const ManifestReference& r) {
    return "<ManifestReference " + quoted(r.uri) + " " + r.status + ">";
  });
  py::object signer = m.attr("Signer");
  signer.attr("__repr__") = py::cpp_function([](const Signer& s) { return signer_repr(s); }, py::is_method(signer),
                                             py::name("__repr__"));
}

}  // namespace libsign::python
