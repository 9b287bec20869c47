#include "cms/near_miss.hpp"

#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <vector>

#include "core/der_reader.hpp"
#include "pki/certificate.hpp"

namespace libsign::cms {
namespace {

// Whether every length in `der` (and inside its constructed elements) is definite and in its
// shortest form: the BER fault of signing software that OpenSSL's re-encoding removes.
bool minimal_lengths(std::string_view der, int depth = 0) {
  if (depth > 32) return false;
  while (!der.empty()) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    if (der.size() < 2) return false;
    if (p[1] & 0x80) {
      const size_t count = p[1] & 0x7f;
      if (count == 0 || der.size() < 3 || p[2] == 0) return false;  // indefinite, or a leading zero octet
      if (count == 1 && p[2] < 0x80) return false;                  // fits the short form
    }
    core::DerReader reader(der);
    auto element = reader.next();
    if (!element) return false;
    if ((element->tag & 0x20) && !minimal_lengths(element->content, depth + 1)) return false;
    der.remove_prefix(element->whole.size());
  }
  return true;
}

}  // namespace

std::string rsa_value_adjusted(std::string_view value, size_t key_bytes) {
  if (value.size() == key_bytes) return {};
  if (value.size() < key_bytes) return std::string(key_bytes - value.size(), '\0') + std::string(value);
  const size_t extra = value.size() - key_bytes;
  if (value.substr(0, extra).find_first_not_of('\0') != std::string_view::npos) return {};
  return std::string(value.substr(extra));
}

std::string signed_attributes_as_written(std::string_view content_info_der, int signer_index) {
  core::DerReader top(content_info_der);
  auto info = top.next();
  if (!info || info->tag != 0x30) return {};
  auto info_parts = core::der_children(info->content);
  if (info_parts.size() < 2 || info_parts[1].tag != 0xa0) return {};
  auto wrapped = core::der_children(info_parts[1].content);
  if (wrapped.empty() || wrapped[0].tag != 0x30) return {};
  auto fields = core::der_children(wrapped[0].content);
  if (fields.empty() || fields.back().tag != 0x31) return {};  // signerInfos is the last field
  auto signer_infos = core::der_children(fields.back().content);
  if (signer_index < 0 || static_cast<size_t>(signer_index) >= signer_infos.size()) return {};
  // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL, ... }
  auto parts = core::der_children(signer_infos[static_cast<size_t>(signer_index)].content);
  if (parts.size() < 4 || parts[3].tag != 0xa0) return {};
  std::string attrs(parts[3].whole);
  attrs[0] = '\x31';
  return attrs;
}

std::string ecdsa_value_as_der(std::string_view value) {
  core::DerReader top(value);
  auto outer = top.next();
  if (!outer || outer->tag != 0x30) return {};
  auto numbers = core::der_children(outer->content);
  if (numbers.size() != 2 || numbers[0].tag != 0x02 || numbers[1].tag != 0x02) return {};
  std::string body;
  for (const auto& n : numbers) {
    std::string_view digits = n.content;
    while (!digits.empty() && digits.front() == '\0') digits.remove_prefix(1);
    std::string minimal(digits.empty() ? std::string(1, '\0') : std::string(digits));
    if (static_cast<unsigned char>(minimal.front()) & 0x80) minimal.insert(minimal.begin(), '\0');  // stays positive
    if (minimal.size() > 127) return {};
    body += '\x02';
    body += static_cast<char>(minimal.size());
    body += minimal;
  }
  if (body.size() > 255) return {};
  std::string der = body.size() > 127 ? std::string("\x30\x81", 2) : std::string("\x30", 1);
  der += static_cast<char>(body.size());
  der += body;
  return der == value ? std::string() : der;
}

NearMiss explain_invalid_signature(const SignedData& sd, X509* signer) {
  NearMiss miss;
  EVP_PKEY* key = signer ? X509_get0_pubkey(signer) : nullptr;
  if (!key || !sd.digest || !sd.has_signed_attributes || sd.signed_attributes_as_written.empty()) return miss;
  const int id = EVP_PKEY_get_base_id(key);
  if (sd.signature_algorithm == "1.2.840.113549.1.1.10" || sd.signature_algorithm == "rsassaPss") return miss;
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC) return miss;

  const std::string_view as_written = sd.signed_attributes_as_written;
  std::string value = sd.signature_value;
  NearMiss tried;
  tried.value_bytes = value.size();
  if (id == EVP_PKEY_RSA) {
    tried.key_bytes = static_cast<size_t>(EVP_PKEY_get_size(key));
    if (std::string adjusted = rsa_value_adjusted(value, tried.key_bytes); !adjusted.empty()) {
      value = std::move(adjusted);
      tried.rsa_length_wrong = true;
    }
  } else if (std::string der = ecdsa_value_as_der(value); !der.empty()) {
    value = std::move(der);
    tried.ecdsa_value_not_der = true;
  }
  if (!pki::verifies_with(signer, as_written, value, sd.digest)) return miss;
  // It verifies over the attributes as written; OpenSSL verified over their DER re-encoding, which
  // differs when the lengths are not minimal.
  tried.signed_attributes_not_der = !minimal_lengths(as_written);
  tried.verifies = true;
  return tried;
}

}  // namespace libsign::cms
