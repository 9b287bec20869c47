#include "cms/revocation_values.hpp"

#include "core/der_reader.hpp"
#include "pki/revocation.hpp"

namespace libsign::cms {
namespace {

constexpr std::string_view kOidSignedData("\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 9);  // 1.2.840.113549.1.7.2
constexpr std::string_view kOidRiOcsp("\x2b\x06\x01\x05\x05\x07\x10\x02", 8);          // 1.3.6.1.5.5.7.16.2

// RevocationInfoChoice ::= CHOICE { crl CertificateList, other [1] IMPLICIT OtherRevocationInfoFormat }
// OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OBJECT IDENTIFIER, otherRevInfo ANY }
void read_choice(const core::DerElement& choice, RevocationLists& out) {
  if (choice.tag == 0x30) {
    out.crls.emplace_back(choice.whole);
    return;
  }
  if (choice.tag == 0xa1) {
    auto parts = core::der_children(choice.content);
    if (parts.size() == 2 && parts[0].tag == 0x06 && parts[0].content == kOidRiOcsp && parts[1].tag == 0x30) {
      out.ocsp.emplace_back(parts[1].whole);
      return;
    }
  }
  ++out.other_formats;
}

}  // namespace

RevocationLists signed_data_revocation(std::string_view content_info_der) {
  RevocationLists out;
  // ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT SignedData }
  core::DerReader top(content_info_der);
  auto info = top.next();
  if (!info || info->tag != 0x30) return out;
  auto info_parts = core::der_children(info->content);
  if (info_parts.size() != 2 || info_parts[0].content != kOidSignedData || info_parts[1].tag != 0xa0) return out;
  auto wrapped = core::der_children(info_parts[1].content);
  if (wrapped.size() != 1 || wrapped[0].tag != 0x30) return out;
  // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, certificates [0] IMPLICIT
  //   OPTIONAL, crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos }
  auto fields = core::der_children(wrapped[0].content);
  out.walked = !fields.empty();
  for (const auto& field : fields) {
    if (field.tag != 0xa1) continue;
    for (const auto& choice : core::der_children(field.content)) read_choice(choice, out);
  }
  return out;
}

RevocationLists revocation_values(std::string_view der) {
  RevocationLists out;
  core::DerReader top(der);
  auto outer = top.next();
  if (!outer || outer->tag != 0x30) return out;
  for (const auto& field : core::der_children(outer->content)) {
    if (field.tag != 0xa0 && field.tag != 0xa1) {
      ++out.other_formats;
      continue;
    }
    auto list = core::der_children(field.content);
    if (list.size() != 1 || list[0].tag != 0x30) continue;
    for (const auto& item : core::der_children(list[0].content)) {
      if (field.tag == 0xa0) out.crls.emplace_back(item.whole);
      else out.ocsp.push_back(pki::ocsp_response_from_basic(item.whole));
    }
  }
  return out;
}

std::vector<std::string> certificate_values(std::string_view der) {
  std::vector<std::string> out;
  core::DerReader top(der);
  auto outer = top.next();
  if (!outer || outer->tag != 0x30) return out;
  for (const auto& cert : core::der_children(outer->content))
    if (cert.tag == 0x30) out.emplace_back(cert.whole);
  return out;
}

}  // namespace libsign::cms
