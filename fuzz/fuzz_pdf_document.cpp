// The PDF reader: whole file, every revision's view, objects, streams, signature discovery.
#include "fuzz_common.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] {
    auto doc = libsign::pdf::Document::open(fuzz::view(data, size));
    for (size_t r = 0; r < doc.revisions().size(); ++r) {
      fuzz::expect_only_library_errors([&] { doc.catalog(r); });
      for (uint32_t n = 1; n < 64; ++n) {
        fuzz::expect_only_library_errors([&] {
          auto obj = doc.object(libsign::pdf::Ref{n, 0}, r);
          if (obj && obj->is_stream()) doc.stream_data(*obj, r);
        });
      }
    }
    fuzz::expect_only_library_errors([&] { libsign::pdf::find_signatures(doc); });
    (void)doc.repairs();
  });
  return 0;
}
