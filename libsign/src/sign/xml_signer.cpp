// Signing XML e-forms: an enveloped ds:Signature (optionally XAdES B-B / B-T) whose SignedInfo is
// canonicalised here and signed by any Signer (PKCS#12, PEM, PKCS#11 token, remote service).
#include <openssl/rand.h>

#include <ctime>
#include <filesystem>

#include "cms/digests.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "libsign/xml.hpp"
#include "pki/certificate.hpp"
#include "sign/atomic_output.hpp"
#include "sign/external_state.hpp"
#include "sign/timestamp_client.hpp"
#include "sign/xml_extend.hpp"
#include "xml/c14n.hpp"
#include "xml/dsig.hpp"
#include "xml/xml_doc.hpp"

namespace libsign {
namespace {

using xml::kDsigNs;
using xml::kXadesNs;
constexpr const char* kDigest = "sha256";

[[noreturn]] void usage(const std::string& code, const std::string& message) {
  throw Error(ErrorCategory::usage, code, message);
}

xmlNode* unique_by_id(xmlDoc* doc, const std::string& id, const std::string& missing_code) {
  auto found = xml::elements_with_id(doc, id);
  if (found.empty()) usage(missing_code, "no element has Id '" + id + "'");
  if (found.size() > 1) usage("XML_ID_DUPLICATE", std::to_string(found.size()) + " elements have Id '" + id + "'");
  return found[0];
}

xmlNode* find_parent(xmlDoc* doc, const std::string& where) {
  if (where.empty()) return xmlDocGetRootElement(doc);
  if (where[0] != '/') return unique_by_id(doc, where, "XML_PARENT_NOT_FOUND");
  std::vector<xmlNode*> found = xml::select_elements(doc, where);
  if (found.size() != 1)
    usage("XML_PARENT_NOT_FOUND", "the XPath selects " + std::to_string(found.size()) + " elements, not one");
  return found[0];
}

std::string random_id() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error(ErrorCategory::crypto_backend, "SIGNING_FAILED", "no randomness");
  return "sig-" + core::to_hex(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
}

std::string format_time(long long t, long long offset, bool with_zone) {
  std::string s = core::format_unix(t + offset, "%Y-%m-%dT%H:%M:%S");
  if (with_zone) s += offset == 0 ? "Z" : "+07:00";
  return s;
}

xmlNode* add(xmlNode* parent, xmlNs* ns, const char* name, const std::string& content = {}) {
  return xmlNewTextChild(parent, ns, BAD_CAST name, content.empty() ? nullptr : BAD_CAST content.c_str());
}

void set_attr(xmlNode* n, const char* name, const std::string& value) {
  xmlSetProp(n, BAD_CAST name, BAD_CAST value.c_str());
}

xmlNode* add_reference(xmlNode* signed_info, xmlNs* ds, const std::string& uri, const std::string& type,
                       const std::vector<std::string>& transforms) {
  xmlNode* ref = add(signed_info, ds, "Reference");
  if (!type.empty()) set_attr(ref, "Type", type);
  set_attr(ref, "URI", uri);
  xmlNode* ts = add(ref, ds, "Transforms");
  for (const auto& t : transforms) set_attr(add(ts, ds, "Transform"), "Algorithm", t);
  set_attr(add(ref, ds, "DigestMethod"), "Algorithm", xml::digest_uri(kDigest));
  add(ref, ds, "DigestValue");
  return ref;
}

// The digest is computed by the verifier's own reference processing: signer and verifier agree.
void fill_digest(xmlDoc* doc, xmlNode* signature, xmlNode* ref) {
  xml::ReferenceResult r = xml::process_reference(doc, signature, ref, {});
  if (r.status != xml::RefStatus::ok && r.status != xml::RefStatus::digest_mismatch)
    throw Error(ErrorCategory::usage, "SIGNING_FAILED", "cannot digest reference " + r.uri + ": " + r.detail);
  xmlNodeSetContent(xml::first_child(ref, kDsigNs, "DigestValue"), BAD_CAST r.actual_b64.c_str());
}

size_t ec_half(const std::string& cert_der) {
  auto certs = pki::parse_certificates(cert_der);
  EVP_PKEY* key = certs.empty() ? nullptr : X509_get0_pubkey(certs.front().get());
  int bits = key ? EVP_PKEY_get_bits(key) : 0;
  return static_cast<size_t>((bits + 7) / 8);
}

// A signature laid out in the document, everything but its value: what sign_xml signs at once and
// prepare_external_xml hands to a remote service.
struct Prepared {
  xml::DocPtr doc;
  xmlNode* signature = nullptr;
  std::string id;
  std::string canonical_signed_info;  // the bytes to sign
};

Prepared build_signature(std::string_view input, const Signer& signer, const XmlSignOptions& options) {
  if (signer.certificates().empty()) usage("KEY_WITHOUT_CERTIFICATE", "the signer has no certificate");
  if (options.xades == XadesLevel::b_t && (!options.tsa || options.tsa->url.empty()))
    usage("TSA_URL_MISSING", "XAdES B-T needs a time-stamping authority (TSA URL)");
  const std::string key = signer.key_type();
  if (key != "rsa" && key != "ec") usage("KEY_TYPE_UNSUPPORTED", "XML signatures need an RSA or EC key");

  xml::ParseLimits limits;
  limits.max_bytes = options.max_bytes;
  xml::DocPtr owned = xml::parse(input, limits);
  xmlDoc* doc = owned.get();
  xmlNode* target = options.target_id.empty() ? nullptr : unique_by_id(doc, options.target_id, "XML_TARGET_NOT_FOUND");
  xmlNode* parent = find_parent(doc, options.parent);
  const std::string id = options.signature_id.empty() ? random_id() : options.signature_id;
  for (const std::string& taken : {id, id + "-signedprops", id + "-signingtime"})
    if (!xml::elements_with_id(doc, taken).empty()) usage("XML_ID_DUPLICATE", "Id '" + taken + "' is already used in the document");

  xml::C14nMethod::Kind kind = options.c14n == XmlC14n::exclusive   ? xml::C14nMethod::exclusive10
                               : options.c14n == XmlC14n::inclusive ? xml::C14nMethod::inclusive10
                                                                    : xml::C14nMethod::inclusive11;
  const std::string c14n = xml::c14n_uri(kind);
  const auto& certs = signer.certificates();
  long long now = core::to_unix(options.signing_time ? *options.signing_time : std::chrono::system_clock::now());

  // <Signature xmlns="…xmldsig#" Id=…> in the default namespace, as Vietnamese e-forms write it.
  xmlNode* sig = xmlNewDocNode(doc, nullptr, BAD_CAST "Signature", nullptr);
  xmlNs* ds = xmlNewNs(sig, BAD_CAST kDsigNs, nullptr);
  xmlSetNs(sig, ds);
  set_attr(sig, "Id", id);
  xmlAddChild(parent, sig);

  xmlNode* signed_info = add(sig, ds, "SignedInfo");
  set_attr(add(signed_info, ds, "CanonicalizationMethod"), "Algorithm", c14n);
  set_attr(add(signed_info, ds, "SignatureMethod"), "Algorithm", xml::signature_uri(key, kDigest));
  const std::string enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
  xmlNode* data_ref = add_reference(signed_info, ds, target ? "#" + options.target_id : "", "", {enveloped, c14n});
  add(sig, ds, "SignatureValue");  // filled once SignedInfo is signed
  xmlNode* x509 = add(add(sig, ds, "KeyInfo"), ds, "X509Data");
  add(x509, ds, "X509SubjectName", xml_subject_name(certs.front()));
  for (const auto& der : certs) add(x509, ds, "X509Certificate", core::base64_encode(der));

  xmlNode* props_ref = nullptr;
  xmlNode* qualifying = nullptr;
  xmlNs* xades = nullptr;
  if (options.xades != XadesLevel::none) {
    xmlNode* object = add(sig, ds, "Object");
    qualifying = xmlNewChild(object, nullptr, BAD_CAST "QualifyingProperties", nullptr);
    xades = xmlNewNs(qualifying, BAD_CAST kXadesNs, BAD_CAST "xades");
    xmlSetNs(qualifying, xades);
    set_attr(qualifying, "Target", "#" + id);
    xmlNode* sp = add(qualifying, xades, "SignedProperties");
    set_attr(sp, "Id", id + "-signedprops");
    xmlNode* ssp = add(sp, xades, "SignedSignatureProperties");
    add(ssp, xades, "SigningTime", format_time(now, 0, true));
    xmlNode* cert_digest = add(add(add(ssp, xades, "SigningCertificateV2"), xades, "Cert"), xades, "CertDigest");
    set_attr(add(cert_digest, ds, "DigestMethod"), "Algorithm", xml::digest_uri(kDigest));
    add(cert_digest, ds, "DigestValue", core::base64_encode(cms::digest_bytes(certs.front(), EVP_sha256())));
    props_ref = add_reference(signed_info, ds, "#" + id + "-signedprops", "http://uri.etsi.org/01903#SignedProperties", {c14n});
  } else if (options.einvoice_signing_time) {
    xmlNode* object = add(sig, ds, "Object");
    set_attr(object, "Id", id + "-signingtime");
    xmlNode* prop = add(add(object, ds, "SignatureProperties"), ds, "SignatureProperty");
    set_attr(prop, "Target", "#" + id);
    add(prop, ds, "SigningTime", format_time(now, 7 * 3600, false));
    props_ref = add_reference(signed_info, ds, "#" + id + "-signingtime",
                              "http://www.w3.org/2000/09/xmldsig#SignatureProperties", {c14n});
  }

  fill_digest(doc, sig, data_ref);
  if (props_ref) fill_digest(doc, sig, props_ref);
  Prepared p;
  p.canonical_signed_info = xml::canonicalize(doc, xml::NodeSet{signed_info, {}, true}, xml::C14nMethod{kind, false, {}});
  p.doc = std::move(owned);
  p.signature = sig;
  p.id = id;
  return p;
}

// Writes the signature value (RSA as is, ECDSA as r||s) and, for B-T, the signature timestamp over
// the canonical ds:SignatureValue. Works on a freshly built or a re-parsed prepared signature.
void complete_signature(xmlDoc* doc, xmlNode* signature, const std::string& value, bool timestamp,
                        const std::optional<TsaOptions>& tsa) {
  xml::ParsedSignature parsed = xml::parse_signature(signature);
  if (!parsed.signature_value_node || !parsed.c14n) throw Error(ErrorCategory::usage, "EXTERNAL_STATE_INVALID", "no prepared signature");
  xmlNodeSetContent(parsed.signature_value_node, BAD_CAST core::base64_encode(value).c_str());
  if (!timestamp) return;
  if (!tsa || tsa->url.empty()) usage("TSA_URL_MISSING", "XAdES B-T needs a time-stamping authority (TSA URL)");
  bool xades = false;
  for (xmlNode* object : xml::children(signature, kDsigNs, "Object"))
    if (xml::first_child(object, kXadesNs, "QualifyingProperties")) xades = true;
  if (!xades) throw Error(ErrorCategory::usage, "EXTERNAL_STATE_INVALID", "B-T without XAdES properties");
  sign::add_signature_timestamp(doc, signature, *tsa);
}

}  // namespace

std::string sign_xml(std::string_view input, const Signer& signer, const XmlSignOptions& options) {
  Prepared p = build_signature(input, signer, options);
  std::string value = signer.sign(p.canonical_signed_info, kDigest);
  if (signer.key_type() == "ec") {
    auto raw = xml::ecdsa_der_to_raw(value, ec_half(signer.certificates().front()));
    if (!raw) throw Error(ErrorCategory::crypto_backend, "SIGNING_FAILED", "the ECDSA signature is not DER");
    value = *raw;
  }
  complete_signature(p.doc.get(), p.signature, value, options.xades == XadesLevel::b_t, options.tsa);
  return xml::serialize(p.doc.get());
}

void sign_xml_file(const std::string& input, const std::string& output, const Signer& signer,
                   const XmlSignOptions& options, bool allow_overwrite) {
  std::error_code ec;
  if (!allow_overwrite && (input == output || std::filesystem::equivalent(input, output, ec)))
    usage("OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
  std::string signed_xml;
  {
    core::MappedFile file(input);
    signed_xml = sign_xml(file.bytes(), signer, options);
  }
  sign::AtomicOutput out(output);
  out.write(signed_xml);
  out.commit();
}

namespace {
constexpr const char* kExternalSchema = "libsign-external-xml/1";

// What a service returned, as XML-DSig writes it: RSA as is; ECDSA as r||s (a DER value is converted).
// Checked against the certificate before anything is written.
std::string checked_value(const sign::CertificateOnlySigner& signer, const std::string& canonical, const std::string& signature) {
  std::string value = signature, der = signature;
  if (signer.key_type() == "ec") {
    size_t half = ec_half(signer.certificates().front());
    if (auto raw = xml::ecdsa_der_to_raw(signature, half)) {
      value = *raw;
    } else if (signature.size() == 2 * half) {
      der = xml::ecdsa_raw_to_der(signature).value_or(std::string());
    }
  }
  if (!pki::verifies_with(signer.certificate(), canonical, der, EVP_sha256()))
    sign::refuse("EXTERNAL_SIGNATURE_INVALID", "the returned signature value does not verify with the signer's certificate");
  return value;
}
}  // namespace

ExternalRequest prepare_external_xml(std::string_view input, const std::vector<std::string>& certificates,
                                     const XmlSignOptions& options) {
  sign::CertificateOnlySigner signer(certificates);
  XmlSignOptions laid_out = options;
  laid_out.tsa.reset();  // the timestamp comes at finish, over the returned value
  if (laid_out.xades == XadesLevel::b_t) laid_out.xades = XadesLevel::b_b;
  Prepared p = build_signature(input, signer, laid_out);
  ExternalRequest request;
  request.data_to_sign = p.canonical_signed_info;
  request.digest = cms::digest_bytes(request.data_to_sign, EVP_sha256());
  nlohmann::json state = {{"schema", kExternalSchema},
                          {"created", core::to_unix(std::chrono::system_clock::now())},
                          {"input_size", input.size()},
                          {"input_sha256", core::base64_encode(cms::digest_bytes(input, EVP_sha256()))},
                          {"signature_id", p.id},
                          {"prepared", core::base64_encode(xml::serialize(p.doc.get()))},
                          {"certificates", sign::certificates_field(certificates)},
                          {"timestamp", options.xades == XadesLevel::b_t}};
  request.state = state.dump();
  return request;
}

std::string finish_external_xml(std::string_view input, const std::string& state_text, const std::string& signature,
                                const std::optional<TsaOptions>& tsa, std::chrono::seconds max_age) {
  nlohmann::json state = sign::read_state(state_text, kExternalSchema, max_age);
  if (sign::number_field(state, "input_size") != input.size() ||
      sign::bytes_field(state, "input_sha256") != cms::digest_bytes(input, EVP_sha256()))
    sign::refuse("EXTERNAL_STATE_MISMATCH", "the prepared state belongs to another document (or the document changed since)");
  sign::CertificateOnlySigner signer(sign::certificates_of(state));
  xml::ParseLimits limits;
  limits.max_bytes = std::max<size_t>(limits.max_bytes, input.size() + (1u << 20));
  xml::DocPtr doc = xml::parse(sign::bytes_field(state, "prepared"), limits);
  const std::string id = state.value("signature_id", "");
  xmlNode* sig = nullptr;
  for (xmlNode* n : xml::find_all(doc.get(), kDsigNs, "Signature"))
    if (xml::attribute(n, "Id") == id) sig = n;
  if (!sig) sign::refuse("EXTERNAL_STATE_INVALID", "the prepared signature is missing");
  xml::ParsedSignature parsed = xml::parse_signature(sig);
  if (!parsed.signed_info || !parsed.c14n) sign::refuse("EXTERNAL_STATE_INVALID", "the prepared signature is incomplete");
  std::string canonical = xml::canonical_signed_info(doc.get(), parsed);
  std::string value = checked_value(signer, canonical, signature);
  complete_signature(doc.get(), sig, value, state.value("timestamp", false), tsa);
  return xml::serialize(doc.get());
}

}  // namespace libsign
