// XML-DSig steps: what each reference covers and whether its digest holds, who signed (KeyInfo, and
// the XAdES SigningCertificateV2 binding), and the signature value over the canonical SignedInfo.
#include "validate/xml_steps.hpp"

#include <algorithm>
#include <cctype>

#include "cms/digests.hpp"
#include "cms/near_miss.hpp"
#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "report/finding.hpp"
#include "validate/xml_coverage.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::validate {

void XmlSignatureState::add(const std::string& code, std::map<std::string, std::string> evidence) {
  report.findings.push_back(report::make_finding(code, std::move(evidence)));
}

void XmlSignatureState::check(const std::string& step, CheckStatus status, const std::string& detail) {
  report.checks.push_back({step, status, detail});
}

namespace {

int digest_strength(const std::string& d) {
  if (d == "md5") return 0;
  if (d == "sha1") return 1;
  return 2;
}

void note_digest(XmlSignatureState& st, const std::string& d) {
  if (d.empty()) return;
  if (st.weakest_digest.empty() || digest_strength(d) < digest_strength(st.weakest_digest)) st.weakest_digest = d;
}

std::string element_of(const xml::ReferenceResult& r) {
  return r.target ? xml::node_path(r.target) : std::string();
}

std::map<std::string, std::string> reference_evidence(const XmlSignatureState& st, const xml::ReferenceResult& r,
                                                      bool with_canonical) {
  std::map<std::string, std::string> e = {{"uri", r.uri}};
  if (r.target) e["element"] = element_of(r);
  if (r.whole_document && r.status == xml::RefStatus::ok) {
    // Which element the whole-document reference really signs (transforms may cut the root out).
    if (const xmlNode* root = signed_root(r, st.doc, st.sig.node)) {
      e["signed_root"] = xml::node_path(root);
      e["signed_root_name"] = reinterpret_cast<const char*>(root->name);
      e["signed_root_namespace"] = root->ns ? reinterpret_cast<const char*>(root->ns->href) : "";
    } else {
      e["signed_root"] = r.node_set ? "(no element)" : "(octets: not a node set)";
    }
  }
  if (!r.detail.empty()) e["detail"] = r.detail;
  if (!r.transforms.empty()) {
    std::string t;
    for (const auto& x : r.transforms) t += (t.empty() ? "" : " ") + x;
    e["transforms"] = t;
  }
  if (!r.digest.empty()) e["digest_algorithm"] = r.digest;
  if (!r.expected_b64.empty()) {
    e["digest_expected"] = r.expected_b64;
    e["digest_computed"] = r.actual_b64;
  }
  if (with_canonical && st.options->include_canonical) {
    size_t limit = st.options->canonical_limit;
    e["canonical_b64"] = core::base64_encode(std::string_view(r.canonical).substr(0, limit));
    e["canonical_size"] = std::to_string(r.canonical.size());
    if (r.canonical.size() > limit) e["canonical_truncated"] = "true";
  }
  return e;
}

}  // namespace

bool check_references(XmlSignatureState& st) {
  std::vector<xmlNode*> refs = xml::children(st.sig.signed_info, xml::kDsigNs, "Reference");
  if (refs.empty()) {
    st.add("XML_SIGNATURE_MALFORMED", {{"detail", "SignedInfo has no Reference"}});
    st.verdict.fail(SubIndication::format_failure);
    st.check("integrity", CheckStatus::failed, "SignedInfo has no Reference");
    return false;
  }
  // Each reference canonicalises (part of) the document: a signature with thousands of them would
  // make verification cost quadratic. E-forms have one to three.
  constexpr size_t kMaxReferences = 64;
  if (refs.size() > kMaxReferences) {
    st.add("XML_SIGNATURE_MALFORMED", {{"detail", std::to_string(refs.size()) + " references (at most 64 are checked)"}});
    st.verdict.fail(SubIndication::format_failure);
    st.check("integrity", CheckStatus::failed, "too many references");
    return false;
  }
  bool all_ok = true;
  std::string covered;
  xml::ProcessOptions po;
  po.max_bytes = st.options->max_bytes;
  po.enveloped_only = st.options->enveloped_only;
  for (xmlNode* ref : refs) {
    xml::ReferenceResult r = xml::process_reference(st.doc, st.sig.node, ref, po);
    note_digest(st, r.digest);
    switch (r.status) {
      case xml::RefStatus::ok:
        st.add("XML_REFERENCE_VALID", reference_evidence(st, r, true));
        covered += (covered.empty() ? "" : ", ") + (r.uri.empty() ? std::string("\"\"") : r.uri) + " (" + element_of(r) + ")";
        break;
      case xml::RefStatus::digest_mismatch:
        st.add("XML_DIGEST_MISMATCH", reference_evidence(st, r, true));
        st.verdict.fail(SubIndication::hash_failure);
        break;
      case xml::RefStatus::not_found:
        st.add("XML_REFERENCE_NOT_FOUND", reference_evidence(st, r, false));
        st.verdict.indeterminate(SubIndication::signed_data_not_found);
        break;
      case xml::RefStatus::duplicate_id:
        st.add("XML_ID_DUPLICATE", reference_evidence(st, r, false));
        st.verdict.fail(SubIndication::format_failure);
        break;
      case xml::RefStatus::external:
        st.add("XML_REFERENCE_EXTERNAL", reference_evidence(st, r, false));
        st.verdict.indeterminate(SubIndication::signed_data_not_found);
        break;
      case xml::RefStatus::unsupported_transform:
        st.add("XML_UNSUPPORTED_TRANSFORM", reference_evidence(st, r, false));
        st.verdict.indeterminate(SubIndication::none);
        break;
      case xml::RefStatus::transform_limit:
        st.add("XML_TRANSFORM_LIMIT_EXCEEDED", reference_evidence(st, r, false));
        st.verdict.indeterminate(SubIndication::none);
        break;
      case xml::RefStatus::unsupported_digest:
        st.add("DIGEST_ALGORITHM_UNSUPPORTED", reference_evidence(st, r, false));
        st.verdict.indeterminate(SubIndication::crypto_constraints_failure_no_poe);
        break;
      case xml::RefStatus::malformed:
        st.add("XML_SIGNATURE_MALFORMED", reference_evidence(st, r, false));
        st.verdict.fail(SubIndication::format_failure);
        break;
    }
    if (r.status != xml::RefStatus::ok) all_ok = false;
    st.references.push_back(std::move(r));
  }
  bool whole = std::any_of(st.references.begin(), st.references.end(),
                           [](const auto& r) { return r.status == xml::RefStatus::ok && r.whole_document; });
  st.report.coverage = whole ? Coverage::entire_file : Coverage::partial;
  st.check("integrity", all_ok ? CheckStatus::passed : CheckStatus::failed,
           all_ok ? "every reference digest matches: " + covered : "a reference does not hold (see findings)");
  return true;
}

// The verdict is about the element the caller named: the signature must cover that very node
// (not another one carrying the same Id elsewhere), all of it (transforms may cut parts out of a
// whole-document reference), and must not leave it out as "the signature".
void check_target(XmlSignatureState& st) {
  if (!st.target) return;
  const xmlNode* unsigned_node = nullptr;
  std::string signed_roots;
  for (const auto& r : st.references) {
    if (r.status != xml::RefStatus::ok || !r.target) continue;
    if (r.whole_document)
      if (const xmlNode* root = signed_root(r, st.doc, st.sig.node))
        signed_roots += (signed_roots.empty() ? "" : ", ") + xml::node_path(root);
    const xmlNode* missing = first_unsigned_node(r, st.sig.node, st.target);
    if (missing) {
      if (missing != st.target && !unsigned_node) unsigned_node = missing;
      continue;
    }
    st.add("XML_TARGET_SIGNED", {{"target", xml::node_path(st.target)}, {"uri", r.uri}});
    return;
  }
  std::map<std::string, std::string> e = {{"target", xml::node_path(st.target)}, {"target_id", st.options->target_id}};
  if (unsigned_node) e["unsigned_node"] = xml::node_path(unsigned_node);
  if (!signed_roots.empty()) e["signed_root"] = signed_roots;
  st.add("XML_TARGET_NOT_SIGNED", std::move(e));
  st.verdict.indeterminate(SubIndication::signed_data_not_found);
  st.check("integrity", CheckStatus::failed, "the signature does not cover the requested element");
}

namespace {
bool covered_by_reference(const XmlSignatureState& st, const xmlNode* n) {
  for (const auto& r : st.references)
    if (!first_unsigned_node(r, st.sig.node, n)) return true;
  return false;
}
}  // namespace

void read_signing_time(XmlSignatureState& st) {
  // Only signed times count: XAdES SignedProperties or the e-invoice Object when a reference covers it.
  std::string text;
  if (st.sig.signed_properties && covered_by_reference(st, st.sig.signed_properties)) text = st.sig.xades_signing_time;
  else if (st.sig.einvoice_signing_time_node && covered_by_reference(st, st.sig.einvoice_signing_time_node))
    text = st.sig.einvoice_signing_time;
  if (text.empty()) return;
  st.claimed_time = xml::parse_xml_time(text);
  if (st.claimed_time) st.report.signing_time = core::iso_utc_unix(*st.claimed_time);
}

namespace {

// Subject names compared loosely: quoting, escaping, spaces and case vary between tools; the order of
// components may be RFC 4514's or the Vietnamese portals' — compared as sets.
std::vector<std::string> name_parts(const std::string& name) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : name) {
    if (c == '"' || c == '\\' || c == ' ') continue;
    if (c == ',' || c == '+' || c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
      continue;
    }
    cur += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (!cur.empty()) parts.push_back(cur);
  for (auto& p : parts) {
    if (p.rfind("S=", 0) == 0) p = "ST=" + p.substr(2);
    if (p.rfind("E=", 0) == 0) p = "EMAILADDRESS=" + p.substr(2);
    if (p.rfind("T=", 0) == 0) p = "TITLE=" + p.substr(2);
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

std::string rfc2253(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(bio);
  return s;
}

bool subject_matches(const std::string& written, X509* cert) {
  auto w = name_parts(written);
  if (w == name_parts(rfc2253(cert))) return true;
  return w == name_parts(xml_subject_name(pki::der_of(cert)));
}

std::string value_for_verify(const XmlSignatureState& st) {
  if (st.sig.algorithm && st.sig.algorithm->key == "ec")
    return xml::ecdsa_raw_to_der(st.sig.signature_value).value_or(std::string());
  return st.sig.signature_value;
}

// A certificate whose public key OpenSSL cannot decode (unknown curve, damaged key) parses as a
// certificate but has no key: it matches no algorithm.
bool key_matches_algorithm(X509* cert, const std::string& key) {
  EVP_PKEY* public_key = X509_get0_pubkey(cert);
  if (!public_key) return false;
  int id = EVP_PKEY_get_base_id(public_key);
  return key == "rsa" ? id == EVP_PKEY_RSA : id == EVP_PKEY_EC;
}

}  // namespace

// Picks the signer among the KeyInfo certificates (the one whose key verifies SignedInfo) and checks
// the signature value. Returns false when there is no certificate at all.
bool identify_xml_signer(XmlSignatureState& st) {
  st.certificates = st.sig.certificates;
  if (st.certificates.empty()) {
    // KeyValue, KeyName, RetrievalMethod, issuer/serial or SKI only: libsign needs the certificate
    // itself to build a chain, so such signatures are outside what it checks.
    xmlNode* key_info = xml::first_child(st.sig.node, xml::kDsigNs, "KeyInfo");
    std::string kinds;
    for (xmlNode* c : xml::element_children(key_info)) kinds += (kinds.empty() ? "" : " ") + std::string(reinterpret_cast<const char*>(c->name));
    if (!kinds.empty()) st.add("XML_KEYINFO_UNSUPPORTED", {{"key_info", kinds}});
    else st.add("SIGNER_CERT_NOT_FOUND", {{"detail", "no X509Certificate in KeyInfo"}});
    st.verdict.indeterminate(SubIndication::no_signing_certificate_found);
    st.check("signer_identification", CheckStatus::failed, "KeyInfo holds no X.509 certificate");
    return false;
  }
  const std::string& uri = st.sig.signature_method_uri;
  st.report.signature_algorithm = uri;
  if (!st.sig.algorithm || !st.sig.c14n) {
    st.signer = st.certificates.front();
  } else {
    note_digest(st, st.sig.algorithm->digest);
    std::string canonical = xml::canonical_signed_info(st.doc, st.sig);
    std::string value = value_for_verify(st);
    const EVP_MD* md = cms::digest_by_name(st.sig.algorithm->digest);
    for (const auto& c : st.certificates) {
      if (md && key_matches_algorithm(c.get(), st.sig.algorithm->key) && pki::verifies_with(c.get(), canonical, value, md)) {
        st.signer = c;
        break;
      }
    }
    if (!st.signer) {
      // The first certificate that is not a CA's stands as the signer for the report.
      for (const auto& c : st.certificates)
        if (!X509_check_ca(c.get())) {
          st.signer = c;
          break;
        }
      if (!st.signer) st.signer = st.certificates.front();
    }
  }
  CertificateInfo info = pki::describe(st.signer.get());
  st.report.signer = info;

  for (const auto& written : st.sig.subject_names)
    if (!subject_matches(written, st.signer.get()))
      st.add("XML_SUBJECT_NAME_MISMATCH", {{"written", written}, {"certificate", info.subject}});

  if (st.sig.signed_properties) {
    if (!covered_by_reference(st, st.sig.signed_properties)) {
      st.add("XADES_SIGNED_PROPERTIES_NOT_SIGNED");
      st.verdict.indeterminate(SubIndication::sig_constraints_failure);
    } else if (st.sig.signing_certificates.empty()) {
      st.add("SIGNING_CERTIFICATE_ATTR_MISSING");
    } else {
      std::string der = pki::der_of(st.signer.get());
      bool match = false;
      for (const auto& d : st.sig.signing_certificates) {
        const EVP_MD* md = d.digest.empty() ? nullptr : cms::digest_by_name(d.digest);
        if (md && cms::digest_bytes(der, md) == d.value) match = true;
      }
      if (!match) {
        st.add("SIGNING_CERTIFICATE_MISMATCH", {{"signer_sha256", info.sha256},
                                                {"attribute", st.sig.signing_certificates.front().v2 ? "SigningCertificateV2"
                                                                                                    : "SigningCertificate"}});
        st.verdict.indeterminate(SubIndication::no_signing_certificate_found);
        st.check("signer_identification", CheckStatus::failed, "XAdES SigningCertificate names another certificate");
        return true;
      }
    }
  }
  st.check("signer_identification", CheckStatus::passed, "KeyInfo certificate: " + info.common_name);
  return true;
}

void check_xml_signature_value(XmlSignatureState& st) {
  if (!st.sig.c14n) {
    st.add("XML_UNSUPPORTED_TRANSFORM", {{"uri", st.sig.c14n_uri}, {"where", "SignedInfo CanonicalizationMethod"}});
    st.verdict.indeterminate(SubIndication::none);
    st.check("signature_value", CheckStatus::failed, "unsupported canonicalisation of SignedInfo");
    return;
  }
  if (!st.sig.algorithm) {
    st.add("SIGNATURE_ALGORITHM_UNSUPPORTED", {{"algorithm", st.sig.signature_method_uri}});
    st.verdict.indeterminate(SubIndication::crypto_constraints_failure_no_poe);
    st.check("signature_value", CheckStatus::failed, "unsupported signature algorithm");
    return;
  }
  std::string canonical = xml::canonical_signed_info(st.doc, st.sig);
  const EVP_MD* md = cms::digest_by_name(st.sig.algorithm->digest);
  st.canonical_signed_info = canonical;
  bool ok = md && key_matches_algorithm(st.signer.get(), st.sig.algorithm->key) &&
            pki::verifies_with(st.signer.get(), canonical, value_for_verify(st), md);
  st.signature_valid = ok;
  if (ok) {
    st.check("signature_value", CheckStatus::passed, st.sig.signature_method_uri + " verifies over the canonical SignedInfo");
    return;
  }
  // An RSA value with a leading zero dropped or added (signing-software fault): named, still a failure.
  if (md && st.sig.algorithm->key == "rsa" && key_matches_algorithm(st.signer.get(), "rsa")) {
    const size_t key_bytes = static_cast<size_t>(EVP_PKEY_get_size(X509_get0_pubkey(st.signer.get())));
    std::string adjusted = cms::rsa_value_adjusted(st.sig.signature_value, key_bytes);
    if (!adjusted.empty() && pki::verifies_with(st.signer.get(), canonical, adjusted, md)) {
      st.add("SIGNATURE_VALUE_LENGTH_WRONG", {{"value_bytes", std::to_string(st.sig.signature_value.size())},
                                              {"key_bytes", std::to_string(key_bytes)}, {"verifies_adjusted", "true"}});
      st.verdict.fail(SubIndication::format_failure);
      st.check("signature_value", CheckStatus::failed, "verifies only when a signing-software encoding fault is undone");
      return;
    }
  }
  std::map<std::string, std::string> e = {{"algorithm", st.sig.signature_method_uri}};
  if (st.options->include_canonical) e["canonical_b64"] = core::base64_encode(canonical.substr(0, st.options->canonical_limit));
  st.add("SIGNATURE_INVALID", e);
  st.verdict.fail(SubIndication::sig_crypto_failure);
  st.check("signature_value", CheckStatus::failed, "the signature value does not verify");
}

}  // namespace libsign::validate
