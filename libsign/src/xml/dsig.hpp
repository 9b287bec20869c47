// XML-DSig mechanics: algorithms, references, SignedInfo, KeyInfo and the XAdES properties of one
// ds:Signature. No trust decisions here: validate/xml_verifier turns these results into findings.
#pragma once
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <vector>

#include "pki/openssl_ptr.hpp"
#include "xml/c14n.hpp"
#include "xml/transforms.hpp"

namespace libsign::xml {

// Digest of a DigestMethod URI: "sha1", "sha256", ...; "" when unsupported.
std::string digest_of_uri(const std::string& uri);
std::string digest_uri(const std::string& digest);  // inverse, for signing
struct SignatureAlgorithm {
  std::string digest;  // "sha256"
  std::string key;     // "rsa" | "ec"
};
std::optional<SignatureAlgorithm> signature_algorithm_of_uri(const std::string& uri);
std::string signature_uri(const std::string& key, const std::string& digest);

// ECDSA values: XML-DSig writes r||s, each as long as the curve order; OpenSSL wants DER.
std::optional<std::string> ecdsa_raw_to_der(const std::string& raw);
std::optional<std::string> ecdsa_der_to_raw(const std::string& der, size_t half);

enum class RefStatus {
  ok,                  // digest matches
  digest_mismatch,
  not_found,           // URI resolves to nothing
  duplicate_id,        // two elements carry the Id
  external,            // not a same-document reference
  unsupported_transform,
  transform_limit,     // an XPath transform beyond the operation or node limits
  unsupported_digest,
  malformed,
};

struct ReferenceResult {
  std::string uri, type, id;
  RefStatus status = RefStatus::malformed;
  std::string detail;
  std::string digest;            // "sha256"
  xmlNode* target = nullptr;     // the element the reference selects (document element for URI="")
  bool whole_document = false;
  bool enveloped = false;        // the enveloped-signature transform applied
  std::vector<std::string> transforms;
  std::string canonical;         // the bytes that were digested
  std::string expected_b64, actual_b64;
  bool signed_properties = false;  // Type = XAdES SignedProperties
  // The node set of `doc` that was canonicalised and digested (after enveloped, XPath and Filter 2.0
  // transforms): what "this node is signed" is judged on. Empty when the digested bytes are not a
  // node set of `doc` (Base64 output, or XPath applied to re-parsed octets).
  std::optional<NodeSet> node_set;
};

struct ProcessOptions {
  size_t max_bytes = 64u << 20;  // for octet streams re-parsed between transforms
  // Only enveloped-signature and C14N: XPath, XPath Filter 2.0 and Base64 are unsupported_transform.
  bool enveloped_only = false;
  XPathLimits xpath;
};

ReferenceResult process_reference(xmlDoc* doc, xmlNode* signature, xmlNode* reference, const ProcessOptions& options);

struct ParsedSignature {
  xmlNode* node = nullptr;
  xmlNode* signed_info = nullptr;
  std::string id;
  std::string malformed;         // non-empty: what is missing or wrong
  std::string c14n_uri, signature_method_uri;
  std::optional<C14nMethod> c14n;
  std::optional<SignatureAlgorithm> algorithm;
  std::string signature_value;   // decoded
  xmlNode* signature_value_node = nullptr;
  std::vector<pki::Cert> certificates;  // KeyInfo/X509Data/X509Certificate, in order
  std::vector<std::string> subject_names;  // X509SubjectName texts
  std::vector<std::string> crls;           // X509CRL, DER (revocation evidence carried in KeyInfo)
  // The e-invoice convention: Object/SignatureProperties/SignatureProperty/SigningTime (local time).
  std::string einvoice_signing_time;
  xmlNode* einvoice_signing_time_node = nullptr;
  // XAdES.
  xmlNode* signed_properties = nullptr;
  std::string xades_signing_time;
  struct CertDigest {
    std::string digest;          // "sha256"
    std::string value;           // raw
    bool v2 = true;
  };
  std::vector<CertDigest> signing_certificates;
  std::string timestamp_token;   // DER of the first SignatureTimeStamp/EncapsulatedTimeStamp
  std::optional<C14nMethod> timestamp_c14n;
};

ParsedSignature parse_signature(xmlNode* signature);
std::string canonical_signed_info(xmlDoc* doc, const ParsedSignature& s);
// The C14N of ds:SignatureValue: what a XAdES SignatureTimeStamp's imprint covers.
std::string canonical_signature_value(xmlDoc* doc, const ParsedSignature& s, const C14nMethod& method);

// "2023-10-19T11:11:51" (no zone: Vietnamese local time, +07:00) or with Z / ±hh:mm → unix seconds.
std::optional<long long> parse_xml_time(const std::string& text);

}  // namespace libsign::xml
