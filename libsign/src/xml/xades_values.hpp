// Long-term XAdES (ETSI EN 319 132-1 B-LT / B-LTA): the validation data a signature carries in its
// xades:UnsignedSignatureProperties (CertificateValues, RevocationValues, xades141:TimeStampValidationData)
// and its xades141:ArchiveTimeStamp elements, with the octets an archive timestamp's imprint covers.
// Both namespaces (1.3.2 and 1.4.1) are read for every element. No verdicts here.
#pragma once
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <vector>

#include "pki/openssl_ptr.hpp"
#include "xml/c14n.hpp"

namespace libsign::xml {

struct ArchiveTimestamp {
  xmlNode* node = nullptr;
  std::string token;           // DER RFC 3161 token (EncapsulatedTimeStamp); empty when unreadable
  C14nMethod c14n;             // its ds:CanonicalizationMethod (Canonical XML 1.0 when absent)
};

struct XadesValues {
  xmlNode* qualifying_object = nullptr;        // the ds:Object holding xades:QualifyingProperties
  xmlNode* qualifying_properties = nullptr;
  xmlNode* unsigned_signature_properties = nullptr;
  std::vector<pki::Cert> certificates;         // CertificateValues + TimeStampValidationData (untrusted)
  std::vector<std::string> crls;               // DER CertificateList
  std::vector<std::string> ocsp;               // DER OCSPResponse (a BasicOCSPResponse is wrapped)
  bool has_certificate_values = false, has_revocation_values = false;
  std::vector<ArchiveTimestamp> archive_timestamps;  // in document order
  int unreadable = 0;                          // encapsulated items that were not Base64 DER of their kind
};

// The XAdES unsigned validation data of `signature` (a ds:Signature).
XadesValues read_xades_values(xmlNode* signature);

// OCSPResponse DER for `der`, which may be an OCSPResponse or a BasicOCSPResponse; nullopt for neither.
std::optional<std::string> as_ocsp_response(const std::string& der);

// The octets an archive timestamp's imprint covers (EN 319 132-1 §5.5.2.2), canonicalised with the
// timestamp's method: each reference's digested data (`reference_data`, in SignedInfo order),
// SignedInfo, SignatureValue, KeyInfo (when present), every unsigned signature property before
// `archive` in document order, then every ds:Object but the one holding QualifyingProperties.
std::string archive_timestamp_input(xmlDoc* doc, xmlNode* signature, const std::vector<std::string>& reference_data,
                                    const XadesValues& values, const xmlNode* archive, const C14nMethod& method);

}  // namespace libsign::xml
