// Revocation evidence and certificates a CMS signature carries outside its signed attributes:
// SignedData.crls (RFC 5652 RevocationInfoChoices: CertificateList, and RFC 5940 OCSP responses) and
// the CAdES unsigned attributes id-aa-ets-certValues / id-aa-ets-revocationValues (ETSI EN 319 122-1).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace libsign::cms {

struct RevocationLists {
  std::vector<std::string> crls;  // CertificateList DER
  std::vector<std::string> ocsp;  // OCSPResponse DER (CAdES BasicOCSPResponse values are wrapped)
  int other_formats = 0;          // RevocationInfoChoices / otherRevVals of a format not read here
  bool walked = false;            // the enclosing structure could be read as DER
};

// SignedData.crls of a ContentInfo (DER). `walked` is false when the encoding cannot be walked
// (e.g. BER indefinite lengths: re-encode first).
RevocationLists signed_data_revocation(std::string_view content_info_der);

// RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
//   ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL, otherRevVals [2] OtherRevVals OPTIONAL }
RevocationLists revocation_values(std::string_view der);

// CertificateValues ::= SEQUENCE OF Certificate: the certificates' DER.
std::vector<std::string> certificate_values(std::string_view der);

}  // namespace libsign::cms
