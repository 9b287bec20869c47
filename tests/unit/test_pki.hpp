// Helpers shared by the unit tests that sign and verify with the test PKI (certs-test).
#pragma once
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "test_support.hpp"

namespace libsign::test {

// gov-official's key and chain from its PKCS#12 (loaded once).
inline const Signer& gov_official() {
  static auto signer = load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
  return *signer;
}

// Verification under the test government profile at 2026-07-01T00:00:00Z.
inline VerifyOptions test_gov_options() {
  VerifyOptions v;
  v.profile_dirs = {source_path("certs-test/profiles")};
  v.trust_profile = "test-gov";
  v.at = parse_time("2026-07-01T00:00:00Z");
  v.revocation.require = false;  // said explicitly: the default requires a status (docs/revocation.md)
  return v;
}

}  // namespace libsign::test
