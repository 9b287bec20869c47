// RFC 7512 pkcs11: URIs given on the command line.
#include "fuzz_common.hpp"
#include "sign/pkcs11_uri.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] { libsign::sign::parse_pkcs11_uri(std::string(fuzz::view(data, size))); });
  return 0;
}
