// XAdES B-LTA: the xades141:ArchiveTimeStamp elements of one signature. Each is checked against the
// octets it must cover (xml/xades_values.hpp); the last against the validation time, each earlier
// one at the time of the next valid one (chained archive timestamps each cover the earlier ones).
#pragma once
#include <optional>

#include "pki/trust_store.hpp"
#include "validate/xml_steps.hpp"
#include "xml/xades_values.hpp"

namespace libsign::validate {

// Records ARCHIVE_TIMESTAMP_VALID / ARCHIVE_TIMESTAMP_INVALID, the "archive_timestamp" check and
// report.archive_timestamps (document order). Returns the earliest time a valid one proves: the proof
// of existence of the signature and of the validation data it covers. An invalid one proves nothing.
std::optional<long long> check_archive_timestamps(XmlSignatureState& st, const xml::XadesValues& values,
                                                  const pki::TrustStore& trust, long long validation_time);

}  // namespace libsign::validate
