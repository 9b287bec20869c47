// Unsigned XAdES properties written after the signature value: the signature timestamp (B-T, also
// used by xml_signer) and the long-term additions of `extend_xml` (B-LT values, B-LTA archive timestamps).
#pragma once
#include <libxml/tree.h>

#include "libsign/sign.hpp"

namespace libsign::sign {

// The xades:UnsignedSignatureProperties of `signature`, created under its QualifyingProperties when missing.
// Throws Error(usage, XML_NOT_XADES) when the signature has no QualifyingProperties.
xmlNode* unsigned_signature_properties(xmlNode* signature);

// Appends a xades:SignatureTimeStamp over the canonical ds:SignatureValue (SignedInfo's method) from `tsa`.
void add_signature_timestamp(xmlDoc* doc, xmlNode* signature, const TsaOptions& tsa);

}  // namespace libsign::sign
