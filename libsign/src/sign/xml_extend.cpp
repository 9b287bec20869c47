// `extend_xml`: XAdES B-LT / B-LTA (ETSI EN 319 132-1 §5.5) added to the signatures of an e-form.
// Only unsigned properties are written, after what they must follow: SignedInfo, the references' data
// and the signature value stay byte-identical once canonicalised.
#include "sign/xml_extend.hpp"

#include <algorithm>

#include "cms/digests.hpp"
#include "cms/timestamp.hpp"
#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "sign/atomic_output.hpp"
#include "sign/ltv_evidence.hpp"
#include "sign/timestamp_client.hpp"
#include "xml/dsig.hpp"
#include "xml/xades_values.hpp"
#include "xml/xml_doc.hpp"

namespace libsign {
namespace sign {
namespace {

[[noreturn]] void usage(const std::string& code, const std::string& message) {
  throw Error(ErrorCategory::usage, code, message);
}

xmlNode* add(xmlNode* parent, xmlNs* ns, const char* name, const std::string& content = {}) {
  return xmlNewTextChild(parent, ns, BAD_CAST name, content.empty() ? nullptr : BAD_CAST content.c_str());
}

xmlNs* xades_ns(xmlNode* signature) {
  xml::XadesValues v = xml::read_xades_values(signature);
  if (!v.qualifying_properties) usage("XML_NOT_XADES", "the signature has no XAdES QualifyingProperties");
  return v.qualifying_properties->ns;
}

}  // namespace

xmlNode* unsigned_signature_properties(xmlNode* signature) {
  xml::XadesValues v = xml::read_xades_values(signature);
  if (!v.qualifying_properties) usage("XML_NOT_XADES", "the signature has no XAdES QualifyingProperties");
  if (v.unsigned_signature_properties) return v.unsigned_signature_properties;
  xmlNs* xades = v.qualifying_properties->ns;
  xmlNode* up = nullptr;
  for (xmlNode* c : xml::element_children(v.qualifying_properties))
    if (xml::is_element(c, reinterpret_cast<const char*>(xades->href), "UnsignedProperties")) up = c;
  if (!up) up = add(v.qualifying_properties, xades, "UnsignedProperties");
  return add(up, xades, "UnsignedSignatureProperties");
}

void add_signature_timestamp(xmlDoc* doc, xmlNode* signature, const TsaOptions& tsa) {
  xml::ParsedSignature parsed = xml::parse_signature(signature);
  if (!parsed.signature_value_node || !parsed.c14n) usage("XML_SIGNATURE_MALFORMED", "the signature has no usable SignedInfo or SignatureValue");
  xmlNode* usp = unsigned_signature_properties(signature);
  xmlNs* xades = xades_ns(signature);
  std::string stamped = xml::canonical_signature_value(doc, parsed, *parsed.c14n);
  std::string token = request_timestamp(tsa, stamped);
  xmlNode* ts = add(usp, xades, "SignatureTimeStamp");
  if (!parsed.id.empty()) xmlSetProp(ts, BAD_CAST "Id", BAD_CAST(parsed.id + "-timestamp").c_str());
  xmlSetProp(add(ts, signature->ns, "CanonicalizationMethod"), BAD_CAST "Algorithm", BAD_CAST parsed.c14n_uri.c_str());
  add(ts, xades, "EncapsulatedTimeStamp", core::base64_encode(token));
}

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The signer: the KeyInfo certificate SigningCertificate(V2) names, else the first one.
pki::Cert signer_of(const xml::ParsedSignature& s) {
  for (const auto& d : s.signing_certificates) {
    const EVP_MD* md = d.digest.empty() ? nullptr : cms::digest_by_name(d.digest);
    if (!md) continue;
    for (const auto& c : s.certificates)
      if (cms::digest_bytes(pki::der_of(c.get()), md) == d.value) return c;
  }
  if (s.certificates.empty()) usage("SIGNER_CERT_NOT_FOUND", "the signature's KeyInfo has no X.509 certificate");
  return s.certificates.front();
}

// What is already in the signature, so that nothing is written twice.
struct Present {
  std::vector<std::string> certificates, crls, ocsp;
};

Present present_in(const xml::ParsedSignature& s, const xml::XadesValues& v) {
  Present p;
  for (const auto& c : s.certificates) p.certificates.push_back(pki::der_of(c.get()));
  for (const auto& c : v.certificates) p.certificates.push_back(pki::der_of(c.get()));
  p.crls = v.crls;
  p.crls.insert(p.crls.end(), s.crls.begin(), s.crls.end());
  p.ocsp = v.ocsp;
  return p;
}

ValidationData missing(const ValidationData& collected, const Present& present) {
  ValidationData out;
  for (const auto& c : collected.certificates)
    if (!contains(present.certificates, c)) out.certificates.push_back(c);
  for (const auto& c : collected.crls)
    if (!contains(present.crls, c)) out.crls.push_back(c);
  for (const auto& o : collected.ocsp_responses)
    if (!contains(present.ocsp, o)) out.ocsp_responses.push_back(o);
  return out;
}

// xades:CertificateValues and xades:RevocationValues under `parent` (always both: B-LT names them).
void write_values(xmlNode* parent, xmlNs* xades, const ValidationData& data) {
  xmlNode* certs = add(parent, xades, "CertificateValues");
  for (const auto& c : data.certificates) add(certs, xades, "EncapsulatedX509Certificate", core::base64_encode(c));
  xmlNode* revocation = add(parent, xades, "RevocationValues");
  if (!data.crls.empty()) {
    xmlNode* crls = add(revocation, xades, "CRLValues");
    for (const auto& c : data.crls) add(crls, xades, "EncapsulatedCRLValue", core::base64_encode(c));
  }
  if (!data.ocsp_responses.empty()) {
    xmlNode* ocsp = add(revocation, xades, "OCSPValues");
    for (const auto& o : data.ocsp_responses) add(ocsp, xades, "EncapsulatedOCSPValue", core::base64_encode(o));
  }
}

xmlNs* xades141_ns(xmlNode* element) { return xmlNewNs(element, BAD_CAST xml::kXades141Ns, BAD_CAST "xades141"); }

Leaf tsa_leaf(const std::string& token_der) {
  cms::TimestampToken t = cms::read_timestamp_token(token_der);
  if (!t.tsa_certificate) usage("LTV_EVIDENCE_MISSING", "a timestamp of the signature has no readable TSA certificate");
  return {t.tsa_certificate, t.certificates};
}

// B-LT for one signature: the chains of its signer and of its signature timestamp's TSA, with their
// revocation data; and, when the signature already has an archive timestamp, the newest one's chain
// and status in a xades141:TimeStampValidationData (what comes after an archive timestamp must).
void add_validation_data(xmlNode* signature, const ExtendOptions& options) {
  xml::ParsedSignature parsed = xml::parse_signature(signature);
  xml::XadesValues values = xml::read_xades_values(signature);
  pki::RevocationEvidence embedded{values.crls, values.ocsp};
  embedded.crls_der.insert(embedded.crls_der.end(), parsed.crls.begin(), parsed.crls.end());
  EvidenceCollector collector(options.validation, embedded);
  ValidationData collected;
  std::vector<pki::Cert> pool = parsed.certificates;
  pool.insert(pool.end(), values.certificates.begin(), values.certificates.end());
  collector.collect({signer_of(parsed), pool}, collected);
  if (!parsed.timestamp_token.empty()) collector.collect(tsa_leaf(parsed.timestamp_token), collected);
  if (!values.archive_timestamps.empty()) collector.collect(tsa_leaf(values.archive_timestamps.back().token), collected);

  ValidationData add_now = missing(collected, present_in(parsed, values));
  xmlNode* usp = values.unsigned_signature_properties;
  xmlNs* xades = values.qualifying_properties->ns;
  if (values.archive_timestamps.empty()) {
    if (values.has_certificate_values || values.has_revocation_values) {
      if (add_now.certificates.empty() && add_now.crls.empty() && add_now.ocsp_responses.empty()) return;
    }
    write_values(usp, xades, add_now);
    return;
  }
  if (add_now.certificates.empty() && add_now.crls.empty() && add_now.ocsp_responses.empty()) return;
  xmlNode* tsvd = xmlNewChild(usp, nullptr, BAD_CAST "TimeStampValidationData", nullptr);
  xmlSetNs(tsvd, xades141_ns(tsvd));
  write_values(tsvd, xades, add_now);
}

// B-LTA for one signature: an archive timestamp over the octets EN 319 132-1 §5.5.2.2 lists.
void add_archive_timestamp(xmlDoc* doc, xmlNode* signature, const TsaOptions& tsa) {
  xml::ParsedSignature parsed = xml::parse_signature(signature);
  std::vector<std::string> reference_data;
  for (xmlNode* ref : xml::children(parsed.signed_info, xml::kDsigNs, "Reference")) {
    xml::ReferenceResult r = xml::process_reference(doc, signature, ref, {});
    if (r.status != xml::RefStatus::ok)
      usage("XML_DIGEST_MISMATCH", "reference '" + r.uri + "' does not hold; a broken signature is not archived: " + r.detail);
    reference_data.push_back(std::move(r.canonical));
  }
  xmlNode* usp = unsigned_signature_properties(signature);
  xmlNs* xades = xades_ns(signature);
  size_t count = xml::read_xades_values(signature).archive_timestamps.size();
  xmlNode* ats = xmlNewChild(usp, nullptr, BAD_CAST "ArchiveTimeStamp", nullptr);
  xmlSetNs(ats, xades141_ns(ats));
  if (!parsed.id.empty())
    xmlSetProp(ats, BAD_CAST "Id", BAD_CAST(parsed.id + "-archive-timestamp-" + std::to_string(count + 1)).c_str());
  xmlSetProp(add(ats, signature->ns, "CanonicalizationMethod"), BAD_CAST "Algorithm", BAD_CAST parsed.c14n_uri.c_str());
  xmlNode* encapsulated = add(ats, xades, "EncapsulatedTimeStamp");
  xml::XadesValues values = xml::read_xades_values(signature);
  std::string input = xml::archive_timestamp_input(doc, signature, reference_data, values, ats, *parsed.c14n);
  xmlNodeSetContent(encapsulated, BAD_CAST core::base64_encode(request_timestamp(tsa, input)).c_str());
}

}  // namespace
}  // namespace sign

std::string extend_xml(std::string_view input, const ExtendOptions& options) {
  if (options.to != PadesLevel::b_lt && options.to != PadesLevel::b_lta)
    throw Error(ErrorCategory::usage, "EXTEND_LEVEL_INVALID", "an XAdES signature can be extended to B-LT or B-LTA");
  const bool has_tsa = options.tsa && !options.tsa->url.empty();
  if (options.to == PadesLevel::b_lta && !has_tsa)
    throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "XAdES B-LTA needs a time-stamping authority URL");
  xml::DocPtr doc = xml::parse(input);
  std::vector<xmlNode*> signatures = xml::find_all(doc.get(), xml::kDsigNs, "Signature");
  if (signatures.empty()) throw Error(ErrorCategory::usage, "NO_SIGNATURE_FOUND", "the document has no signature to extend");
  std::vector<xmlNode*> xades;
  for (xmlNode* s : signatures)
    if (xml::read_xades_values(s).qualifying_properties) xades.push_back(s);
  if (xades.empty())
    throw Error(ErrorCategory::usage, "XML_NOT_XADES",
                "the document's signatures are plain XML-DSig (no XAdES QualifyingProperties): they cannot carry long-term data");
  for (xmlNode* s : xades) {
    xml::ParsedSignature parsed = xml::parse_signature(s);
    if (!parsed.malformed.empty() || !parsed.c14n)
      throw Error(ErrorCategory::usage, "XML_SIGNATURE_MALFORMED", parsed.malformed.empty() ? "unsupported canonicalisation" : parsed.malformed);
    // B-T first, while nothing follows where the signature timestamp goes (a signature already
    // extended without one keeps it that way: its archive timestamp is then its proof of existence).
    xml::XadesValues values = xml::read_xades_values(s);
    bool extended = values.has_certificate_values || values.has_revocation_values || !values.archive_timestamps.empty();
    if (parsed.timestamp_token.empty() && has_tsa && !extended) sign::add_signature_timestamp(doc.get(), s, *options.tsa);
    sign::unsigned_signature_properties(s);
    sign::add_validation_data(s, options);
    if (options.to == PadesLevel::b_lta) sign::add_archive_timestamp(doc.get(), s, *options.tsa);
  }
  return xml::serialize(doc.get());
}

void extend_xml_file(const std::string& input, const std::string& output, const ExtendOptions& options, bool allow_overwrite) {
  sign::write_derived_file(input, output, allow_overwrite, [&](std::string_view xml) { return extend_xml(xml, options); });
}

}  // namespace libsign
