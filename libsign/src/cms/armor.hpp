// CMS signatures arrive as DER, as PEM ("-----BEGIN PKCS7-----" / "-----BEGIN CMS-----") or as bare
// Base64 (portals often store .p7s that way). One place turns any of them into DER.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace libsign::cms {

// Whether `der` starts like a ContentInfo of type signedData (a SEQUENCE header, then that OID).
bool looks_like_signed_data(std::string_view der);
// The DER of a DER/PEM/Base64 SignedData; nullopt when it is none of them.
std::optional<std::string> signed_data_der(std::string_view bytes);
// PEM armour of a DER SignedData ("-----BEGIN CMS-----", as OpenSSL writes it).
std::string to_pem(std::string_view der);

}  // namespace libsign::cms
