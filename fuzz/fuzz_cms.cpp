// CMS SignedData: every SignerInfo, the signer lookup and the signature check with the embedded certificates.
#include "cms/signed_data.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  auto sd = libsign::cms::parse_signed_data(fuzz::view(data, size), &error, 0);
  if (!sd) return 0;
  for (int i = 1; i < std::min(sd->signer_count, 4); ++i) libsign::cms::parse_signed_data(fuzz::view(data, size), &error, i);
  libsign::pki::Cert signer = libsign::cms::find_signer(*sd, sd->certificates);
  if (signer) {
    libsign::cms::ess_matches(*sd, signer.get());
    libsign::cms::verify_signature_value(*sd, signer.get(), std::string(32, '\0'));
  }
  return 0;
}
