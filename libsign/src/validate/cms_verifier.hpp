// Verifying a detached or enveloping CMS signature (CAdES).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_source.hpp"
#include "validate/verifier_impl.hpp"

namespace libsign::validate {

// `content`: the detached content; nullptr for an enveloping signature (or one whose content is missing).
DocumentReport verify_cms_bytes(const Verifier::Impl& impl, std::string_view signature,
                                const core::ByteSource* content, const std::string& label);

}  // namespace libsign::validate
