// DER encoding for the structures libsign writes itself (CMS SignedData, its signed attributes).
// Each function returns the complete TLV.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace libsign::core::der {

std::string tlv(unsigned char tag, std::string_view content);
std::string sequence(const std::vector<std::string>& items);
std::string set(const std::vector<std::string>& items);   // SET: items as given
std::string set_of(std::vector<std::string> items);       // SET OF: DER order (sorted encodings)
std::string integer(long long value);  // non-negative
std::string integer_bytes(std::string_view big_endian_unsigned);  // a positive big integer
std::string oid(std::string_view dotted);                 // "1.2.840.113549.1.7.2"
std::string octet_string(std::string_view bytes);
std::string null();
std::string boolean(bool value);
std::string utc_time(long long unix_seconds);             // YYMMDDHHMMSSZ (years 1950-2049)
std::string context(int number, std::string_view content, bool constructed = true);  // [n] IMPLICIT/EXPLICIT wrapper
std::string algorithm(std::string_view dotted_oid, bool with_null_parameters);

}  // namespace libsign::core::der
