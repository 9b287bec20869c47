#include "validate/dss.hpp"

#include "libsign/error.hpp"
#include "pki/certificate.hpp"

namespace libsign::validate {
namespace {

// The decoded streams of the DSS array `key` (each entry a reference to a stream).
std::vector<std::string> dss_streams(const pdf::Document& doc, const pdf::ObjPtr& dss, const char* key, size_t revision) {
  std::vector<std::string> out;
  pdf::ObjPtr array = doc.get(dss, key, revision);
  if (!array || !array->is_array()) return out;
  for (const auto& item : array->items()) {
    try {
      pdf::ObjPtr stream = doc.resolve(item, revision);
      if (stream && stream->is_stream()) out.push_back(doc.stream_data(*stream, revision));
    } catch (const Error&) {
      // A damaged DSS entry is not evidence; the revocation step reports what is missing.
    }
  }
  return out;
}

}  // namespace

DssContents read_dss(const pdf::Document& doc) {
  DssContents contents;
  size_t last = doc.last_revision();
  try {
    pdf::ObjPtr dss = doc.get(doc.catalog(last), "DSS", last);
    if (!dss || !dss->is_dict()) return contents;
    contents.evidence.crls_der = dss_streams(doc, dss, "CRLs", last);
    contents.evidence.ocsp_der = dss_streams(doc, dss, "OCSPs", last);
    for (const auto& der : dss_streams(doc, dss, "Certs", last)) {
      auto certs = pki::parse_certificates(der);
      contents.certificates.insert(contents.certificates.end(), certs.begin(), certs.end());
    }
  } catch (const Error&) {
  }
  return contents;
}

}  // namespace libsign::validate
