// What the pipeline steps share while validating one PDF signature.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "core/byte_source.hpp"
#include "cms/timestamp.hpp"
#include "libsign/report.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"
#include "pki/chain.hpp"
#include "pki/chain_cache.hpp"
#include "pki/revocation.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"
#include "validate/verdict.hpp"

namespace libsign::crosscheck {
class BotanTrust;
}

namespace libsign::validate {

// A signature of any format: the front steps of its format (PDF/CMS, detached CMS, XML) fill the
// format-neutral evidence below, then run_common_steps judges timestamp, chain, revocation, time and
// policy the same way for all.
struct SignatureContext {
  SignatureContext(const core::ByteSource* source, const pdf::Document* doc, const pdf::SignatureField* field,
                   const pki::TrustStore& trust, long long validation_time, const pki::RevocationEvidence& dss,
                   const std::vector<pki::Cert>& dss_certs, pki::RevocationFetcher& fetcher, pki::Deadline deadline,
                   bool revocation_required, SignatureReport& report, Verdict verdict = {})
      : source(source), doc(doc), field(field), trust(trust), validation_time(validation_time), dss(dss),
        dss_certs(dss_certs), fetcher(fetcher), deadline(deadline), revocation_required(revocation_required),
        report(report), verdict(verdict) {}

  const core::ByteSource* source;            // the signed bytes (PDF: the file; detached CMS: the data)
  const pdf::Document* doc;                  // PDF only, else nullptr
  const pdf::SignatureField* field;          // PDF only, else nullptr
  const pki::TrustStore& trust;
  long long validation_time;                 // unix seconds
  const pki::RevocationEvidence& dss;        // evidence from the document's DSS
  const std::vector<pki::Cert>& dss_certs;   // certificates from the document's DSS (untrusted)
  pki::RevocationFetcher& fetcher;           // online OCSP/CRL/AIA (does nothing when not enabled)
  pki::Deadline deadline;                    // for every fetch made for this document
  bool revocation_required;                  // no status for a chain certificate: INDETERMINATE
  SignatureReport& report;
  Verdict verdict;

  // Filled as the steps run.
  std::vector<std::pair<size_t, size_t>> ranges;  // (offset, length) of the signed bytes, checked in bounds
  std::optional<cms::SignedData> signed_data;     // CMS signatures only
  std::string_view cms_der;                  // the CMS as given (what the cross-check reads again)
  int signer_index = 0;                      // which SignerInfo of it
  std::optional<cms::SignatureCheck> signature_check;  // libsign's verdict on the signature value
  const crosscheck::BotanTrust* cross = nullptr;  // the second engine; nullptr when the cross-check is off
  pki::ChainCache* chain_cache = nullptr;    // the Verifier's path results (nullptr: not cached)
  std::string content_digest;                // digest of the signed bytes with the CMS digest algorithm

  // Format-neutral evidence, read by the common steps.
  std::vector<pki::Cert> embedded_certs;     // carried by the signature (untrusted)
  // CRLs and OCSP responses carried by the signature, each labelled with where it was read from
  // ("signed-data", "revocation-values", "adbe-archival", "key-info", ...). check_revocation adds
  // the DSS ("dss") and what it fetches ("online"), and reports the origin of the deciding item.
  pki::RevocationEvidence embedded_revocation;
  std::string digest_name;                   // the signature's digest ("sha256", "sha1", ...), for the policy
  std::optional<std::string> timestamp_token;  // DER RFC 3161 token of the signature timestamp
  std::string timestamped_data;              // the bytes whose digest that token's imprint must be
  pki::Cert signer;
  std::optional<long long> claimed_time;
  std::optional<long long> proven_time;      // from a valid signature timestamp
  std::optional<long long> archive_poe;      // earliest valid archive timestamp covering the signature (XAdES B-LTA)
  pki::ChainResult chain;
  bool chain_built = false;

  std::vector<pki::Cert> fetched_certs;      // CA certificates obtained through AIA
  std::vector<pki::Cert> untrusted_certs() const;  // embedded in the CMS + DSS + fetched
  void add(const std::string& code, std::map<std::string, std::string> evidence = {});
  void check(const std::string& step, CheckStatus status, const std::string& detail);
};

// The steps, in pipeline order (CMS front steps first, then the common ones). Each records its check and findings. A step returns false when
// the later steps cannot run meaningfully (e.g. no CMS at all).
bool check_byte_range(SignatureContext& ctx);
bool read_cms_and_digest(SignatureContext& ctx);  // PDF: the /Contents CMS, then check_cms_content
// Any CMS: parse `der` (`error` preset = already known to be unusable) for its SignerInfo number
// `signer_index`; records CMS_MALFORMED.
bool read_cms(SignatureContext& ctx, std::string_view der, std::string error = "", int signer_index = 0);
// The digest of `ranges` of `source` against messageDigest (or the signature itself without attributes).
bool check_cms_content(SignatureContext& ctx);
bool identify_signer(SignatureContext& ctx);
void check_signature_value(SignatureContext& ctx);
void check_timestamp(SignatureContext& ctx);
void check_chain(SignatureContext& ctx);
void check_revocation(SignatureContext& ctx);
void check_time(SignatureContext& ctx);
void check_policy(SignatureContext& ctx);
// `docmdp_p`: the P of a certification signature in force for this signature (0 when none).
void check_modifications(SignatureContext& ctx, int docmdp_p);
void verify_document_timestamp(SignatureContext& ctx);
// The signature's own CMS evidence into the format-neutral fields (after read_cms_and_digest).
void adopt_cms_evidence(SignatureContext& ctx);
// Timestamp, chain, revocation, time and policy: the same for every format, once `signer` is known.
void run_common_steps(SignatureContext& ctx);
// The cross-check's state before any comparison: "off", or "unsupported" until the steps reach it.
void begin_cross_check(CrossCheck& cc, bool on);
// The Botan cross-check of a CMS signature (cross_check_step.cpp): last, after every other step.
void cross_check(SignatureContext& ctx);

using cms::digest_bytes;
using cms::digest_ranges;
// A chain for the report, signer first.
std::vector<CertificateInfo> describe_chain(const pki::TrustStore& trust, const std::vector<pki::Cert>& chain);

}  // namespace libsign::validate
