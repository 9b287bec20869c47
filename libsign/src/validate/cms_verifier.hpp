// Verifying a detached or enveloping CMS signature (CAdES).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_source.hpp"
#include "validate/verifier_impl.hpp"

namespace libsign::validate {

// Given the enclosed content of an enveloping SignedData, the report of that document's own
// signatures (DocumentReport::inner), or nullptr when it is not a document to verify.
using InnerVerifier = std::function<std::shared_ptr<const DocumentReport>(std::string_view content)>;

// `content`: the detached content; nullptr for an enveloping signature (or one whose content is missing).
// `inner`: called at most once, with the enclosed content of a readable enveloping SignedData.
DocumentReport verify_cms_bytes(const Verifier::Impl& impl, std::string_view signature,
                                const core::ByteSource* content, const std::string& label,
                                const InnerVerifier& inner = {});

}  // namespace libsign::validate
