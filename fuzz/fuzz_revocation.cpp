// OCSP responses and CRLs judged for a real certificate of the test PKI (the first input byte chooses
// which kind the rest is; libFuzzer finds both).
#include "fuzz_common.hpp"
#include "pki/certificate.hpp"
#include "pki/revocation.hpp"

namespace {
struct Pair {
  libsign::pki::Cert cert, issuer;
};
const Pair& pair() {
  static const Pair p = [] {
    Pair out;
    auto leaf = libsign::pki::load_certificates(std::string(LIBSIGN_FUZZ_PKI_DIR) + "/gov-official.pem");
    auto ca = libsign::pki::load_certificates(std::string(LIBSIGN_FUZZ_PKI_DIR) + "/gov-ca.pem");
    out.cert = leaf.at(0);
    out.issuer = ca.at(0);
    return out;
  }();
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  libsign::pki::RevocationEvidence evidence;
  std::vector<std::string> item{std::string(fuzz::view(data + 1, size - 1))};
  if (data[0] & 1) evidence.add("fuzz", {}, item);
  else evidence.add("fuzz", item, {});
  libsign::pki::RevocationTimes times{1782864000, 1781913600, (data[0] & 2) != 0};
  fuzz::expect_only_library_errors(
      [&] { libsign::pki::check_revocation(pair().cert.get(), pair().issuer.get(), evidence, times); });
  return 0;
}
