#include "validate/xades_archive.hpp"

#include "cms/timestamp.hpp"
#include "core/encoding.hpp"
#include "libsign/error.hpp"
#include "pki/certificate.hpp"
#include "validate/timestamp_judge.hpp"

namespace libsign::validate {

std::optional<long long> check_archive_timestamps(XmlSignatureState& st, const xml::XadesValues& values,
                                                  const pki::TrustStore& trust, long long validation_time) {
  const auto& archives = values.archive_timestamps;
  if (archives.empty()) return std::nullopt;
  // Each one canonicalises the signature again: a file with hundreds would make verification quadratic.
  constexpr size_t kMaxArchiveTimestamps = 32;
  if (archives.size() > kMaxArchiveTimestamps) {
    st.add("ARCHIVE_TIMESTAMP_INVALID", {{"detail", std::to_string(archives.size()) + " archive timestamps (at most 32 are checked)"}});
    st.check("archive_timestamp", CheckStatus::failed, "too many archive timestamps; none is used as proof of existence");
    return std::nullopt;
  }
  std::vector<std::string> reference_data;
  for (const auto& r : st.references) reference_data.push_back(r.canonical);

  std::vector<TimestampInfo> infos(archives.size());
  std::optional<long long> poe;  // earliest valid among the later ones, then among all
  bool all_valid = true;
  for (size_t i = archives.size(); i-- > 0;) {
    const xml::ArchiveTimestamp& a = archives[i];
    TimestampInfo& info = infos[i];
    info.present = true;
    cms::TimestampToken token = cms::read_timestamp_token(a.token);
    TokenVerdict v;
    try {
      std::string input = xml::archive_timestamp_input(st.doc, st.sig.node, reference_data, values, a.node, a.c14n);
      v = judge_timestamp(trust, token, input, poe ? *poe : validation_time);
    } catch (const Error& e) {
      v.why = "the covered elements cannot be canonicalised: " + e.code();
    }
    if (token.parsed) info.gen_time = core::iso_utc_unix(token.gen_time);
    if (token.tsa_certificate) {
      CertificateInfo tsa = pki::describe(token.tsa_certificate.get());
      tsa.trust_profile = trust.profile_of(token.tsa_certificate.get());
      info.tsa = tsa;
    }
    info.valid = v.valid;
    info.detail = v.valid ? "valid" : v.why;
    std::map<std::string, std::string> evidence = {{"index", std::to_string(i + 1)}};
    if (!info.gen_time.empty()) evidence["gen_time"] = info.gen_time;
    if (v.valid) {
      poe = poe ? std::min(*poe, token.gen_time) : token.gen_time;
      st.add("ARCHIVE_TIMESTAMP_VALID", evidence);
    } else {
      all_valid = false;
      evidence["detail"] = v.why;
      st.add("ARCHIVE_TIMESTAMP_INVALID", evidence);
    }
  }
  st.report.archive_timestamps = infos;
  st.check("archive_timestamp", all_valid ? CheckStatus::passed : CheckStatus::failed,
           all_valid ? std::to_string(archives.size()) + " archive timestamp(s) cover the signature and its validation data"
                     : "an archive timestamp does not hold (see findings); it proves nothing");
  return poe;
}

}  // namespace libsign::validate
