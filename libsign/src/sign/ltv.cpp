// PAdES B-LT / B-LTA: gather, for every signature of a document, its chain's certificates and a
// revocation status for each (embedded or fetched), write them into the DSS with one VRI entry per
// signature, then (B-LTA) a document timestamp over it all.
#include <chrono>

#include "cms/signed_data.hpp"
#include "cms/timestamp.hpp"
#include "core/encoding.hpp"
#include "libsign/sign.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"
#include "pki/certificate.hpp"
#include "pki/chain.hpp"
#include "pki/revocation.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"
#include "sign/atomic_output.hpp"
#include "sign/document_timestamp.hpp"
#include "sign/dss_writer.hpp"
#include "sign/ltv_evidence.hpp"
#include "validate/dss.hpp"

namespace libsign {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

using sign::Leaf;

// The certificates whose chains a signature relies on: its signer, and the TSA of its timestamp.
std::vector<Leaf> leaves_of(const pdf::SignatureField& field) {
  std::vector<Leaf> out;
  std::string error;
  auto sd = cms::parse_signed_data(field.contents, &error);
  if (!sd) return out;
  if (pki::Cert signer = cms::find_signer(*sd, sd->certificates)) out.push_back({signer, sd->certificates});
  if (sd->timestamp_token) {
    cms::TimestampToken t = cms::read_timestamp_token(*sd->timestamp_token);
    if (t.tsa_certificate) out.push_back({t.tsa_certificate, t.certificates});
  }
  return out;
}

std::string add_ltv(std::string_view pdf, const ExtendOptions& options) {
  pdf::Document doc = pdf::Document::open(pdf);
  validate::DssContents dss = validate::read_dss(doc);
  std::vector<pdf::SignatureField> fields = pdf::find_signatures(doc);
  if (fields.empty()) throw Error(ErrorCategory::usage, "NO_SIGNATURE_FOUND", "the document has no signature to extend");
  sign::EvidenceCollector collector(options.validation, dss.evidence);
  sign::ValidationData all;
  std::vector<sign::VriEntry> vri;
  for (const auto& f : fields) {
    sign::VriEntry entry{f.contents, {}};
    if (f.type == "DocTimeStamp" || f.subfilter == "ETSI.RFC3161") {
      cms::TimestampToken t = cms::read_timestamp_token(f.contents);
      if (t.tsa_certificate) collector.collect({t.tsa_certificate, t.certificates}, entry.data);
    } else {
      for (const auto& leaf : leaves_of(f)) collector.collect(leaf, entry.data);
    }
    for (const auto& c : entry.data.certificates) add_unique(all.certificates, c);
    for (const auto& o : entry.data.ocsp_responses) add_unique(all.ocsp_responses, o);
    for (const auto& c : entry.data.crls) add_unique(all.crls, c);
    vri.push_back(std::move(entry));
  }
  long long now = core::to_unix(std::chrono::system_clock::now());
  return sign::add_dss(pdf, all, vri, now);
}

}  // namespace

std::string extend_pdf(std::string_view pdf, const ExtendOptions& options) {
  if (options.to != PadesLevel::b_lt && options.to != PadesLevel::b_lta)
    throw Error(ErrorCategory::usage, "EXTEND_LEVEL_INVALID", "a document can be extended to B-LT or B-LTA");
  if (options.to == PadesLevel::b_lta && (!options.tsa || options.tsa->url.empty()))
    throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "PAdES B-LTA needs a time-stamping authority URL");
  std::string with_dss = add_ltv(pdf, options);
  if (options.to == PadesLevel::b_lt) return with_dss;
  return sign::add_document_timestamp(with_dss, *options.tsa);
}

void extend_pdf_file(const std::string& input, const std::string& output, const ExtendOptions& options, bool allow_overwrite) {
  sign::write_derived_file(input, output, allow_overwrite, [&](std::string_view pdf) { return extend_pdf(pdf, options); });
}

}  // namespace libsign
