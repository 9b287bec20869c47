// The XML front end of the Verifier: XML-DSig / XAdES signatures of an e-form, then the common
// chain, revocation, time and policy steps.
#pragma once
#include <string>
#include <string_view>

#include "libsign/xml.hpp"
#include "validate/verifier_impl.hpp"

namespace libsign::validate {

// The entry the format-dispatching verify(bytes, label) calls for XML input.
DocumentReport verify_xml_bytes(const Verifier::Impl& impl, std::string_view xml, const std::string& label,
                                const XmlVerifyOptions& options);

}  // namespace libsign::validate
