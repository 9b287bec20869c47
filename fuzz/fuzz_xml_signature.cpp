// XML parsing under the library's limits, then every ds:Signature read and its references processed.
#include "fuzz_common.hpp"
#include "xml/dsig.hpp"
#include "xml/xml_doc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_library_errors([&] {
    auto doc = libsign::xml::parse(fuzz::view(data, size));
    if (!doc) return;
    int seen = 0;
    for (xmlNode* node : libsign::xml::find_all(doc.get(), "http://www.w3.org/2000/09/xmldsig#", "Signature")) {
      if (++seen > 4) break;
      auto parsed = libsign::xml::parse_signature(node);
      if (!parsed.malformed.empty()) continue;
      fuzz::expect_only_library_errors([&] { libsign::xml::canonical_signed_info(doc.get(), parsed); });
      libsign::xml::ProcessOptions options;
      int refs = 0;
      for (xmlNode* ref : libsign::xml::children(parsed.signed_info, "http://www.w3.org/2000/09/xmldsig#", "Reference")) {
        if (++refs > 8) break;
        fuzz::expect_only_library_errors([&] { libsign::xml::process_reference(doc.get(), node, ref, options); });
      }
    }
  });
  return 0;
}
