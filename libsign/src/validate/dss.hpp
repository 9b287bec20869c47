// The document security store (/DSS, ISO 32000-2 §12.8.4.3): certificates, CRLs and OCSP
// responses a PDF carries for long-term validation.
#pragma once
#include <vector>

#include "pdf/document.hpp"
#include "pki/revocation.hpp"

namespace libsign::validate {

struct DssContents {
  pki::RevocationEvidence evidence;
  std::vector<pki::Cert> certificates;
};

// Reads the DSS of the last revision. An unreadable DSS yields what could be read.
DssContents read_dss(const pdf::Document& doc);

}  // namespace libsign::validate
