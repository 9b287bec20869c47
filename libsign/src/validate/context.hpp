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
#include "pki/revocation.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"
#include "validate/verdict.hpp"

namespace libsign::validate {

struct SignatureContext {
  const core::ByteSource& source;            // the same bytes as `doc`, for hashing
  const pdf::Document& doc;
  const pdf::SignatureField& field;
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
  std::optional<cms::SignedData> signed_data;
  std::string content_digest;                // digest of the signed bytes with the CMS digest algorithm
  pki::Cert signer;
  std::optional<long long> claimed_time;
  std::optional<long long> proven_time;      // from a valid signature timestamp
  pki::ChainResult chain;
  bool chain_built = false;

  std::vector<pki::Cert> fetched_certs;      // CA certificates obtained through AIA
  std::vector<pki::Cert> untrusted_certs() const;  // embedded in the CMS + DSS + fetched
  void add(const std::string& code, std::map<std::string, std::string> evidence = {});
  void check(const std::string& step, CheckStatus status, const std::string& detail);
};

// The steps, in pipeline order. Each records its check and findings. A step returns false when
// the later steps cannot run meaningfully (e.g. no CMS at all).
bool check_byte_range(SignatureContext& ctx);
bool read_cms_and_digest(SignatureContext& ctx);
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

// Non-blank bytes after the last revision's %%EOF: data no signature covers.
bool has_trailing_data(const pdf::Document& doc);
using cms::digest_bytes;
using cms::digest_ranges;
// A chain for the report, signer first.
std::vector<CertificateInfo> describe_chain(const pki::TrustStore& trust, const std::vector<pki::Cert>& chain);

}  // namespace libsign::validate
