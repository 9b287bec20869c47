// A line of the diagnose state file, and an aggregate as it travels between workers.
#include "fuzz_common.hpp"
#include "libsign/diagnose.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(fuzz::view(data, size));
  fuzz::expect_only_library_errors([&] { libsign::diagnose::FileResult::from_json(text); });
  fuzz::expect_only_library_errors([&] { libsign::diagnose::Aggregate::from_json(text); });
  return 0;
}
