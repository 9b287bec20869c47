// The CA certificates compiled into the library (generated from libsign/data/trust/<profile>/).
#pragma once
#include <vector>

namespace libsign::pki {

struct BuiltinCert {
  const char* profile;  // folder name: vn-gov, vn-public
  const char* file;
  const char* pem;
};

const std::vector<BuiltinCert>& builtin_trust_certs();

}  // namespace libsign::pki
