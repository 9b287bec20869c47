// Writing the document security store (/DSS, ISO 32000-2 §12.8.4.3; ETSI EN 319 142-1 §5.4.2) for
// PAdES B-LT / B-LTA: certificates, OCSP responses and CRLs added to the catalog's /DSS in an
// incremental update, merged with what the DSS already holds.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "pdf/document.hpp"

namespace libsign::sign {

// DER items, one per string.
struct ValidationData {
  std::vector<std::string> certificates, ocsp_responses, crls;
};

// The validation data of one signature, for its /VRI entry.
struct VriEntry {
  // The signature's /Contents bytes: the CMS ContentInfo DER. Zero padding after it (as /Contents holds
  // it) is allowed: the key hashes only the DER, whose length is read from the outer TLV header.
  std::string contents_der;
  ValidationData data;
};

// The /VRI key of a signature: upper-case hex SHA-1 of the DER of its CMS ContentInfo, i.e. of the first
// (tag + length + content) bytes of `contents`, the length taken from the outer definite-length header.
// A value that is not such a TLV (indefinite length, garbage) is hashed whole.
std::string vri_key(std::string_view contents);

// The bytes of an incremental update of `doc` (the last revision) that adds or merges the catalog's /DSS:
// /Certs /OCSPs /CRLs arrays of FlateDecode streams, each item deduplicated by content against the streams the
// DSS already has and within this update, and /VRI << /<SHA1HEX> << /Cert [...] /OCSP [...] /CRL [...]
// /TU (D:...) >> >> entries (an existing entry for the same key is merged; its other keys such as /TS stay).
// Items named only in a VriEntry are added to the top-level arrays too.
// Existing DSS shapes are kept: a direct or indirect /DSS, direct or indirect arrays and /VRI.
// `base_offset`: where the update starts in the final file (the document's size plus a separator line end
// when pdf::needs_separator). Returns an empty string when nothing would change (everything is there already).
// Throws Error(format, PDF_MALFORMED) when the trailer has no indirect /Root.
std::string dss_update(const pdf::Document& doc, size_t base_offset, const ValidationData& all,
                       const std::vector<VriEntry>& vri, long long now_unix);

// Convenience: the whole new file (`pdf` itself when nothing changes).
std::string add_dss(std::string_view pdf, const ValidationData& all, const std::vector<VriEntry>& vri, long long now_unix);

// The same from file to file, through sign::AtomicOutput (the original bytes copied by the kernel; `input`
// never changes; `output` may equal `input` only with `allow_overwrite`: Error(usage, OUTPUT_IS_INPUT)).
// When nothing changes, `output` is a copy of `input`.
void add_dss_file(const std::string& input, const std::string& output, const ValidationData& all,
                  const std::vector<VriEntry>& vri, long long now_unix, bool allow_overwrite = false);

}  // namespace libsign::sign
