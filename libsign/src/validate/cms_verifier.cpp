// Detached (.p7s) and enveloping (.p7m) CMS / CAdES signatures: the CMS front steps over the
// content, then the steps every format shares. A SignedData may carry several signers of the same
// content (parallel signatures, e.g. a dossier co-signed by two officials): each is a signature of
// the report, judged on its own.
#include "cms/armor.hpp"
#include "cms/signed_data.hpp"
#include "core/encoding.hpp"
#include "validate/archive_timestamps.hpp"
#include "validate/cms_verifier.hpp"
#include "validate/context.hpp"

namespace libsign::validate {
namespace {

// Size and SHA-256 of the signed content for the report. The content digest of a SHA-256 signature
// is that value already: a large attachment is read once, not twice.
void describe_content(DocumentReport& doc, const core::ByteSource& content, const SignatureContext& ctx) {
  doc.size = content.bytes.size();
  bool have_sha256 = ctx.digest_name == "sha256" && !ctx.content_digest.empty() && ctx.ranges.size() == 1;
  doc.sha256 = core::to_hex(have_sha256 ? ctx.content_digest : digest_ranges(content, {{0, content.bytes.size()}}, EVP_sha256()));
}

// What every signer of one SignedData shares.
struct CmsInput {
  const Verifier::Impl& impl;
  std::optional<std::string> der;       // nullopt: not a SignedData at all
  const core::ByteSource* content;      // detached content, or nullptr
  std::string_view signature;           // as given (for the report when unreadable)
  long long validation_time;
  pki::Deadline deadline;
  const InnerVerifier& inner;           // the enclosed document's own signatures (may be empty)
};

// One signer: returns its report and how many signers the SignedData has (0 when unreadable).
SignatureReport verify_signer(const CmsInput& in, int index, DocumentReport& doc, int& signer_count) {
  static const pki::RevocationEvidence no_dss;  // evidence a CMS signature cannot carry, but the shared steps read
  static const std::vector<pki::Cert> no_dss_certs;
  SignatureReport s;
  s.id = "sig" + std::to_string(index + 1);
  core::ByteSource source{std::string_view()};  // the signed content, once known
  SignatureContext ctx{&source, nullptr, nullptr, in.impl.trust, in.validation_time, no_dss, no_dss_certs, in.impl.fetcher,
                       in.deadline, in.impl.options.revocation.require, s};
  ctx.cross = in.impl.botan();
  ctx.chain_cache = &in.impl.chain_cache;
  const bool parsed = in.der ? read_cms(ctx, *in.der, "", index) : read_cms(ctx, "", "not a CMS SignedData (DER, PEM or Base64)");
  signer_count = parsed ? ctx.signed_data->signer_count : 0;
  if (!parsed) {
    s.kind = in.content ? "detached" : "enveloping";
    if (index == 0) describe_content(doc, in.content ? *in.content : core::ByteSource{in.signature}, ctx);
  } else {
    const cms::SignedData& sd = *ctx.signed_data;
    s.kind = sd.has_econtent ? "enveloping" : "detached";
    if (sd.has_econtent) {
      source = core::ByteSource{sd.econtent};  // an enclosed content wins over one given beside it
    } else if (in.content) {
      source = *in.content;
    }
    s.digest_algorithm = sd.digest_name;
    s.signature_algorithm = sd.signature_algorithm;
    if (sd.signing_time) {
      ctx.claimed_time = sd.signing_time;
      s.signing_time = core::iso_utc_unix(*sd.signing_time);
    }
    bool content_known = sd.has_econtent || in.content != nullptr;
    if (content_known) {
      ctx.ranges = {{0, source.bytes.size()}};
      s.coverage = Coverage::entire_file;
      check_cms_content(ctx);
    } else {
      ctx.add("SIGNED_DATA_NOT_FOUND");
      ctx.verdict.indeterminate(SubIndication::signed_data_not_found);
      ctx.check("integrity", CheckStatus::skipped, "detached signature without its content");
    }
    if (index == 0) describe_content(doc, content_known ? source : core::ByteSource{*in.der}, ctx);
    if (index == 0 && sd.has_econtent && in.inner) doc.inner = in.inner(sd.econtent);
    if (identify_signer(ctx)) {
      if (content_known) check_signature_value(ctx);
      check_archive_timestamps(ctx, *in.der, index);
      run_common_steps(ctx);
    }
  }
  cross_check(ctx);
  auto [indication, sub] = ctx.verdict.settle();
  s.indication = indication;
  s.sub_indication = sub;
  return s;
}

}  // namespace

DocumentReport verify_cms_bytes(const Verifier::Impl& impl, std::string_view signature,
                                const core::ByteSource* content, const std::string& label, const InnerVerifier& inner) {
  DocumentReport doc;
  doc.path = label;
  doc.format = "cms";
  doc.trust_profile = impl.trust.selected_profile();
  const long long validation_time = impl.validation_time();
  doc.validation_time = core::iso_utc_unix(validation_time);

  const CmsInput in{impl, cms::signed_data_der(signature), content, signature, validation_time, impl.fetcher.deadline_from_now(),
                     inner};
  int signer_count = 0;
  doc.signatures.push_back(verify_signer(in, 0, doc, signer_count));
  for (int i = 1; i < signer_count; ++i) {
    int ignored = 0;
    doc.signatures.push_back(verify_signer(in, i, doc, ignored));
  }
  settle_document(doc);
  return doc;
}

}  // namespace libsign::validate
