#include "cms/armor.hpp"

#include "core/encoding.hpp"

namespace libsign::cms {
namespace {

// DER of OID 1.2.840.113549.1.7.2 (id-signedData), tag and length included.
constexpr std::string_view kSignedDataOid{"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 11};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// The body between "-----BEGIN X-----" and "-----END X-----" (the first block), or nullopt.
std::optional<std::string_view> pem_body(std::string_view text) {
  size_t begin = text.find("-----BEGIN ");
  if (begin == std::string_view::npos) return std::nullopt;
  size_t body = text.find('\n', begin);
  size_t end = text.find("-----END ", begin);
  if (body == std::string_view::npos || end == std::string_view::npos || end < body) return std::nullopt;
  return text.substr(body + 1, end - body - 1);
}

}  // namespace

bool looks_like_signed_data(std::string_view der) {
  // ContentInfo ::= SEQUENCE { contentType OID, ... }: the OID right after the SEQUENCE header
  // (definite length in 1 to 5 bytes, or indefinite BER). A file that merely holds those bytes
  // somewhere (a PDF quoting a signature) is not a SignedData.
  if (der.size() < 16 || static_cast<unsigned char>(der[0]) != 0x30) return false;
  const auto first = static_cast<unsigned char>(der[1]);
  size_t header = 2;
  if (first > 0x80) {
    if (first > 0x84) return false;
    header += first - 0x80u;
  }
  return der.substr(header, kSignedDataOid.size()) == kSignedDataOid;
}

std::optional<std::string> signed_data_der(std::string_view bytes) {
  if (looks_like_signed_data(bytes)) return std::string(bytes);
  std::string_view text = trim(bytes);
  if (auto body = pem_body(text)) text = *body;
  if (text.size() > (256u << 20)) return std::nullopt;  // no Base64 signature is that large
  auto der = core::base64_decode(text);
  if (der && looks_like_signed_data(*der)) return der;
  return std::nullopt;
}

std::string to_pem(std::string_view der) {
  std::string b64 = core::base64_encode(der);
  std::string out = "-----BEGIN CMS-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END CMS-----\n";
}

}  // namespace libsign::cms
