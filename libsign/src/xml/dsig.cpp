#include "xml/dsig.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <cstring>
#include <ctime>

#include "cms/digests.hpp"
#include "core/encoding.hpp"
#include "libsign/error.hpp"
#include "pki/certificate.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::xml {
namespace {

constexpr const char* kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
constexpr const char* kExcC14nNs = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr const char* kSignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

struct UriName {
  const char* uri;
  const char* name;
};
const UriName kDigests[] = {
    {"http://www.w3.org/2000/09/xmldsig#sha1", "sha1"},
    {"http://www.w3.org/2001/04/xmldsig-more#sha224", "sha224"},
    {"http://www.w3.org/2001/04/xmlenc#sha256", "sha256"},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", "sha384"},
    {"http://www.w3.org/2001/04/xmlenc#sha512", "sha512"},
    {"http://www.w3.org/2001/04/xmldsig-more#md5", "md5"},
};
struct UriAlg {
  const char* uri;
  const char* digest;
  const char* key;
};
const UriAlg kSignatures[] = {
    {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", "sha1", "rsa"},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha224", "sha224", "rsa"},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "sha256", "rsa"},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "sha384", "rsa"},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "sha512", "rsa"},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-md5", "md5", "rsa"},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", "sha1", "ec"},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224", "sha224", "ec"},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "sha256", "ec"},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "sha384", "ec"},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "sha512", "ec"},
};

xmlNode* child_local(xmlNode* parent, const char* local) {
  if (!parent) return nullptr;
  for (xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(c->name), local) == 0) return c;
  return nullptr;
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<C14nMethod> method_of(xmlNode* transform_or_method) {
  auto m = c14n_method(attribute(transform_or_method, "Algorithm"));
  if (m && m->kind == C14nMethod::exclusive10) {
    if (xmlNode* inc = first_child(transform_or_method, kExcC14nNs, "InclusiveNamespaces")) {
      std::string list = attribute(inc, "PrefixList");
      size_t pos = 0;
      while (pos < list.size()) {
        size_t end = list.find_first_of(" \t\r\n", pos);
        if (end == std::string::npos) end = list.size();
        if (end > pos) m->inclusive_prefixes.push_back(list.substr(pos, end - pos));
        pos = end + 1;
      }
    }
  }
  return m;
}

// Parses "#xpointer(id('X'))" / "#xpointer(id(\"X\"))"; nullopt when it is not that form.
std::optional<std::string> xpointer_id(const std::string& fragment) {
  const std::string head = "xpointer(id(";
  if (fragment.rfind(head, 0) != 0 || fragment.size() < head.size() + 4) return std::nullopt;
  std::string rest = fragment.substr(head.size());
  if (rest.size() < 4 || rest.substr(rest.size() - 2) != "))") return std::nullopt;
  rest = rest.substr(0, rest.size() - 2);
  char q = rest.front();
  if ((q != '\'' && q != '"') || rest.back() != q) return std::nullopt;
  return rest.substr(1, rest.size() - 2);
}

}  // namespace

std::string digest_of_uri(const std::string& uri) {
  for (const auto& d : kDigests)
    if (uri == d.uri) return d.name;
  return {};
}

std::string digest_uri(const std::string& digest) {
  for (const auto& d : kDigests)
    if (digest == d.name) return d.uri;
  return {};
}

std::optional<SignatureAlgorithm> signature_algorithm_of_uri(const std::string& uri) {
  for (const auto& s : kSignatures)
    if (uri == s.uri) return SignatureAlgorithm{s.digest, s.key};
  return std::nullopt;
}

std::string signature_uri(const std::string& key, const std::string& digest) {
  for (const auto& s : kSignatures)
    if (key == s.key && digest == s.digest) return s.uri;
  return {};
}

std::optional<std::string> ecdsa_raw_to_der(const std::string& raw) {
  if (raw.empty() || raw.size() % 2 != 0 || raw.size() > 264) return std::nullopt;
  size_t half = raw.size() / 2;
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(p, static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(p + half, static_cast<int>(half), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::optional<std::string> ecdsa_der_to_raw(const std::string& der, size_t half) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return std::nullopt;
  std::string out(half * 2, '\0');
  bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(&out[0]), static_cast<int>(half)) > 0 &&
            BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(&out[half]), static_cast<int>(half)) > 0;
  ECDSA_SIG_free(sig);
  if (!ok) return std::nullopt;
  return out;
}

ReferenceResult process_reference(xmlDoc* doc, xmlNode* signature, xmlNode* reference, const ProcessOptions& options) {
  ReferenceResult r;
  r.uri = attribute(reference, "URI");
  r.type = attribute(reference, "Type");
  r.id = attribute(reference, "Id");
  r.signed_properties = r.type == kSignedPropertiesType;
  bool has_uri = xmlHasProp(reference, BAD_CAST "URI") != nullptr;

  NodeSet set;
  if (!has_uri) {
    r.status = RefStatus::external;
    r.detail = "a Reference without URI needs an application-defined data object";
    return r;
  }
  if (r.uri.empty() || r.uri == "#xpointer(/)") {
    r.whole_document = true;
    r.target = xmlDocGetRootElement(doc);
    set.comments = !r.uri.empty();
  } else if (r.uri[0] == '#') {
    std::string fragment = r.uri.substr(1);
    std::string id = fragment;
    if (auto x = xpointer_id(fragment)) {
      id = *x;
      set.comments = true;
    } else if (fragment.rfind("xpointer(", 0) == 0) {
      r.status = RefStatus::unsupported_transform;
      r.detail = "XPointer expression other than / or id(): " + r.uri;
      return r;
    }
    std::vector<xmlNode*> found = elements_with_id(doc, id);
    if (found.empty()) {
      r.status = RefStatus::not_found;
      r.detail = "no element has Id '" + id + "'";
      return r;
    }
    if (found.size() > 1) {
      r.status = RefStatus::duplicate_id;
      r.detail = std::to_string(found.size()) + " elements have Id '" + id + "': " + node_path(found[0]) + ", " +
                 node_path(found[1]);
      return r;
    }
    r.target = found[0];
    set.apex = found[0];
  } else {
    r.status = RefStatus::external;
    r.detail = "references outside the document are not followed: " + r.uri;
    return r;
  }

  xmlNode* digest_method = first_child(reference, kDsigNs, "DigestMethod");
  xmlNode* digest_value = first_child(reference, kDsigNs, "DigestValue");
  if (!digest_method || !digest_value) {
    r.status = RefStatus::malformed;
    r.detail = "Reference without DigestMethod or DigestValue";
    return r;
  }
  std::string digest_alg = attribute(digest_method, "Algorithm");
  r.digest = digest_of_uri(digest_alg);
  const EVP_MD* md = r.digest.empty() ? nullptr : cms::digest_by_name(r.digest);
  if (!md) {
    r.status = RefStatus::unsupported_digest;
    r.detail = digest_alg;
    return r;
  }

  xmlDoc* current = doc;
  DocPtr reparsed;
  bool octets = false;
  std::string data;
  // The first node set of `doc` canonicalised; a later C14N of its octets keeps the same content.
  std::optional<NodeSet> signed_set;
  bool set_exact = true;
  std::vector<xmlNode*> transforms = children(first_child(reference, kDsigNs, "Transforms"), kDsigNs, "Transform");
  if (transforms.size() > 8) {  // e-forms use two; each costs a canonicalisation
    r.status = RefStatus::malformed;
    r.detail = std::to_string(transforms.size()) + " transforms (at most 8)";
    return r;
  }
  // Octets back to a node set: parse them (same safe parser), the whole result is the set. Octets
  // that are not XML (Base64 of binary content) fail this reference, not the whole document.
  auto to_node_set = [&] {
    if (!octets) return;
    ParseLimits limits;
    limits.max_bytes = options.max_bytes;
    try {
      reparsed = parse(data, limits);
    } catch (const Error& e) {
      throw TransformError(e.code() == "XML_LIMIT_EXCEEDED" ? TransformError::limit : TransformError::malformed,
                           "the octets of the previous transform are not acceptable XML (" + e.code() + ")");
    }
    current = reparsed.get();
    set = NodeSet{nullptr, {}, true, {}};
    octets = false;
  };
  try {
    for (xmlNode* t : transforms) {
      std::string alg = attribute(t, "Algorithm");
      r.transforms.push_back(alg);
      if (alg == kEnveloped) {
        if (octets) {
          r.status = RefStatus::unsupported_transform;
          r.detail = "enveloped-signature after canonicalisation";
          return r;
        }
        set.excluded.push_back(signature);
        r.enveloped = true;
        continue;
      }
      const bool extended = alg == kXPathTransform || alg == kFilter2Transform || alg == kBase64Transform;
      if (extended && options.enveloped_only) {
        r.status = RefStatus::unsupported_transform;
        r.detail = alg + " (only the enveloped-signature transform is enabled)";
        return r;
      }
      if (alg == kXPathTransform || alg == kFilter2Transform) {
        to_node_set();
        if (current != doc) set_exact = false;
        set.filters.push_back(alg == kXPathTransform ? xpath_transform(current, t, options.xpath)
                                                     : filter2_transform(current, t, options.xpath));
        continue;
      }
      if (alg == kBase64Transform) {
        data = octets ? base64_of_octets(data) : base64_of_nodes(current, set);
        octets = true;
        set_exact = false;
        continue;
      }
      auto method = method_of(t);
      if (!method) {
        r.status = RefStatus::unsupported_transform;
        r.detail = alg;
        return r;
      }
      to_node_set();
      if (current == doc && !signed_set) signed_set = set;
      data = canonicalize(current, set, *method);
      octets = true;
    }
  } catch (const TransformError& e) {
    r.status = e.kind == TransformError::limit      ? RefStatus::transform_limit
               : e.kind == TransformError::malformed ? RefStatus::malformed
                                                     : RefStatus::unsupported_transform;
    r.detail = e.what();
    return r;
  }
  if (!octets) {
    if (current == doc && !signed_set) signed_set = set;
    data = canonicalize(current, set, C14nMethod{});
  }
  if (set_exact) r.node_set = std::move(signed_set);

  std::string expected = core::base64_decode(text(digest_value)).value_or(std::string());
  std::string actual = cms::digest_bytes(data, md);
  r.canonical = std::move(data);
  r.expected_b64 = core::base64_encode(expected);
  r.actual_b64 = core::base64_encode(actual);
  r.status = expected == actual ? RefStatus::ok : RefStatus::digest_mismatch;
  if (r.status == RefStatus::digest_mismatch) r.detail = "the digest of the referenced data does not match DigestValue";
  return r;
}

ParsedSignature parse_signature(xmlNode* signature) {
  ParsedSignature s;
  s.node = signature;
  s.id = attribute(signature, "Id");
  s.signed_info = first_child(signature, kDsigNs, "SignedInfo");
  s.signature_value_node = first_child(signature, kDsigNs, "SignatureValue");
  if (!s.signed_info || !s.signature_value_node) {
    s.malformed = "ds:Signature without SignedInfo or SignatureValue";
    return s;
  }
  xmlNode* cm = first_child(s.signed_info, kDsigNs, "CanonicalizationMethod");
  xmlNode* sm = first_child(s.signed_info, kDsigNs, "SignatureMethod");
  if (!cm || !sm) {
    s.malformed = "SignedInfo without CanonicalizationMethod or SignatureMethod";
    return s;
  }
  s.c14n_uri = attribute(cm, "Algorithm");
  s.c14n = method_of(cm);
  s.signature_method_uri = attribute(sm, "Algorithm");
  s.algorithm = signature_algorithm_of_uri(s.signature_method_uri);
  auto value = core::base64_decode(text(s.signature_value_node));
  if (!value) {
    s.malformed = "SignatureValue is not Base64";
    return s;
  }
  s.signature_value = *value;

  xmlNode* key_info = first_child(signature, kDsigNs, "KeyInfo");
  for (xmlNode* data : children(key_info, kDsigNs, "X509Data")) {
    for (xmlNode* c : children(data, kDsigNs, "X509Certificate")) {
      auto der = core::base64_decode(text(c));
      if (!der) continue;
      auto certs = pki::parse_certificates(*der);
      if (!certs.empty()) s.certificates.push_back(certs.front());
    }
    for (xmlNode* n : children(data, kDsigNs, "X509SubjectName")) s.subject_names.push_back(trim(text(n)));
    for (xmlNode* n : children(data, kDsigNs, "X509CRL"))
      if (auto der = core::base64_decode(text(n))) s.crls.push_back(*der);
  }

  for (xmlNode* object : children(signature, kDsigNs, "Object")) {
    if (xmlNode* props = child_local(object, "SignatureProperties"))
      for (xmlNode* p = props->children; p; p = p->next)
        if (xmlNode* t = child_local(p, "SigningTime"); t && !s.einvoice_signing_time_node) {
          s.einvoice_signing_time = trim(text(t));
          s.einvoice_signing_time_node = t;
        }
    xmlNode* qp = first_child(object, kXadesNs, "QualifyingProperties");
    if (!qp) continue;
    xmlNode* sp = first_child(qp, kXadesNs, "SignedProperties");
    if (sp && !s.signed_properties) {
      s.signed_properties = sp;
      xmlNode* ssp = first_child(sp, kXadesNs, "SignedSignatureProperties");
      s.xades_signing_time = trim(text(first_child(ssp, kXadesNs, "SigningTime")));
      for (const char* which : {"SigningCertificateV2", "SigningCertificate"}) {
        for (xmlNode* cert : children(first_child(ssp, kXadesNs, which), kXadesNs, "Cert")) {
          xmlNode* cd = first_child(cert, kXadesNs, "CertDigest");
          ParsedSignature::CertDigest d;
          d.v2 = std::strcmp(which, "SigningCertificateV2") == 0;
          d.digest = digest_of_uri(attribute(first_child(cd, kDsigNs, "DigestMethod"), "Algorithm"));
          d.value = core::base64_decode(text(first_child(cd, kDsigNs, "DigestValue"))).value_or(std::string());
          s.signing_certificates.push_back(std::move(d));
        }
      }
    }
    xmlNode* usp = first_child(first_child(qp, kXadesNs, "UnsignedProperties"), kXadesNs, "UnsignedSignatureProperties");
    if (xmlNode* ts = first_child(usp, kXadesNs, "SignatureTimeStamp"); ts && s.timestamp_token.empty()) {
      xmlNode* m = first_child(ts, kDsigNs, "CanonicalizationMethod");
      s.timestamp_c14n = m ? method_of(m) : std::optional<C14nMethod>(C14nMethod{});
      s.timestamp_token = core::base64_decode(text(first_child(ts, kXadesNs, "EncapsulatedTimeStamp"))).value_or(std::string());
    }
  }
  return s;
}

std::string canonical_signed_info(xmlDoc* doc, const ParsedSignature& s) {
  if (!s.c14n)  // found by fuzzing: callers must not reach here without a known method, but a typed error beats UB
    throw Error(ErrorCategory::format, "XML_UNSUPPORTED_TRANSFORM", "SignedInfo canonicalisation not supported: " + s.c14n_uri);
  return canonicalize(doc, NodeSet{s.signed_info, {}, true}, *s.c14n);
}

std::string canonical_signature_value(xmlDoc* doc, const ParsedSignature& s, const C14nMethod& method) {
  return canonicalize(doc, NodeSet{s.signature_value_node, {}, true}, method);
}

std::optional<long long> parse_xml_time(const std::string& text) {
  int y, mo, d, h, mi, se;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &consumed) != 6) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::string rest = text.substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
    rest = rest.substr(i);
  }
  long long offset = 7 * 3600;  // no zone: Vietnamese local time
  if (rest == "Z") offset = 0;
  else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = std::atoi(rest.substr(1, 2).c_str()), om = std::atoi(rest.substr(4, 2).c_str());
    offset = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  return core::unix_from_fields(y, mo, d, h, mi, se) - offset;
}

}  // namespace libsign::xml
