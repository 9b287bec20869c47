#include "xml/xades_values.hpp"

#include <openssl/ocsp.h>

#include <cstring>

#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "pki/revocation.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::xml {
namespace {

constexpr const char* kXadesNamespaces[] = {kXadesNs, kXades141Ns};

// `local` in either XAdES namespace.
bool is_xades(const xmlNode* n, const char* local) {
  for (const char* ns : kXadesNamespaces)
    if (is_element(n, ns, local)) return true;
  return false;
}

std::vector<xmlNode*> xades_children(xmlNode* parent, const char* local) {
  std::vector<xmlNode*> out;
  for (xmlNode* c : element_children(parent))
    if (is_xades(c, local)) out.push_back(c);
  return out;
}

xmlNode* xades_child(xmlNode* parent, const char* local) {
  auto found = xades_children(parent, local);
  return found.empty() ? nullptr : found.front();
}

std::optional<std::string> decoded(xmlNode* n) {
  auto der = core::base64_decode(text(n));
  if (!der || der->empty()) return std::nullopt;
  return der;
}

void read_certificates(xmlNode* values, XadesValues& out) {
  for (xmlNode* c : xades_children(values, "EncapsulatedX509Certificate")) {
    auto der = decoded(c);
    auto certs = der ? pki::parse_certificates(*der) : std::vector<pki::Cert>{};
    if (certs.empty()) ++out.unreadable;
    else out.certificates.push_back(certs.front());
  }
}

void read_revocation(xmlNode* values, XadesValues& out) {
  for (xmlNode* c : xades_children(xades_child(values, "CRLValues"), "EncapsulatedCRLValue")) {
    auto der = decoded(c);
    const auto* p = der ? reinterpret_cast<const unsigned char*>(der->data()) : nullptr;
    X509_CRL* crl = p ? d2i_X509_CRL(nullptr, &p, static_cast<long>(der->size())) : nullptr;
    if (!crl) {
      ++out.unreadable;
      continue;
    }
    X509_CRL_free(crl);
    out.crls.push_back(*der);
  }
  for (xmlNode* c : xades_children(xades_child(values, "OCSPValues"), "EncapsulatedOCSPValue")) {
    auto der = decoded(c);
    auto response = der ? as_ocsp_response(*der) : std::nullopt;
    if (response) out.ocsp.push_back(*response);
    else ++out.unreadable;
  }
}

ArchiveTimestamp read_archive_timestamp(xmlNode* n) {
  ArchiveTimestamp a;
  a.node = n;
  if (xmlNode* m = first_child(n, kDsigNs, "CanonicalizationMethod"))
    if (auto method = c14n_method(attribute(m, "Algorithm"))) a.c14n = *method;
  if (xmlNode* t = xades_child(n, "EncapsulatedTimeStamp")) a.token = decoded(t).value_or(std::string());
  return a;
}

}  // namespace

std::optional<std::string> as_ocsp_response(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  if (OCSP_RESPONSE* r = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size()))) {
    OCSP_RESPONSE_free(r);
    return der;
  }
  // XAdES OCSPValues (like CAdES revocation-values) may hold the BasicOCSPResponse alone.
  p = reinterpret_cast<const unsigned char*>(der.data());
  OCSP_BASICRESP* basic = d2i_OCSP_BASICRESP(nullptr, &p, static_cast<long>(der.size()));
  if (!basic) return std::nullopt;
  OCSP_BASICRESP_free(basic);
  return pki::ocsp_response_from_basic(der);
}

XadesValues read_xades_values(xmlNode* signature) {
  XadesValues v;
  for (xmlNode* object : children(signature, kDsigNs, "Object")) {
    if (xmlNode* qp = xades_child(object, "QualifyingProperties")) {
      v.qualifying_object = object;
      v.qualifying_properties = qp;
      break;
    }
  }
  v.unsigned_signature_properties = xades_child(xades_child(v.qualifying_properties, "UnsignedProperties"),
                                                "UnsignedSignatureProperties");
  for (xmlNode* p : element_children(v.unsigned_signature_properties)) {
    if (is_xades(p, "CertificateValues")) {
      v.has_certificate_values = true;
      read_certificates(p, v);
    } else if (is_xades(p, "RevocationValues")) {
      v.has_revocation_values = true;
      read_revocation(p, v);
    } else if (is_xades(p, "TimeStampValidationData")) {
      read_certificates(xades_child(p, "CertificateValues"), v);
      read_revocation(xades_child(p, "RevocationValues"), v);
    } else if (is_xades(p, "ArchiveTimeStamp")) {
      v.archive_timestamps.push_back(read_archive_timestamp(p));
    }
  }
  return v;
}

std::string archive_timestamp_input(xmlDoc* doc, xmlNode* signature, const std::vector<std::string>& reference_data,
                                    const XadesValues& values, const xmlNode* archive, const C14nMethod& method) {
  auto c14n = [&](xmlNode* n) { return canonicalize(doc, NodeSet{n, {}, true, {}}, method); };
  std::string input;
  for (const auto& data : reference_data) input += data;
  input += c14n(first_child(signature, kDsigNs, "SignedInfo"));
  input += c14n(first_child(signature, kDsigNs, "SignatureValue"));
  if (xmlNode* key_info = first_child(signature, kDsigNs, "KeyInfo")) input += c14n(key_info);
  for (xmlNode* p : element_children(values.unsigned_signature_properties)) {
    if (p == archive) break;
    input += c14n(p);
  }
  for (xmlNode* object : children(signature, kDsigNs, "Object"))
    if (object != values.qualifying_object) input += c14n(object);
  return input;
}

}  // namespace libsign::xml
