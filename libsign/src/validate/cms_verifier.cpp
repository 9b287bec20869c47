// Detached (.p7s) and enveloping (.p7m) CMS / CAdES signatures: the CMS front steps over the
// content, then the steps every format shares.
#include "cms/armor.hpp"
#include "cms/signed_data.hpp"
#include "core/encoding.hpp"
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

}  // namespace

DocumentReport verify_cms_bytes(const Verifier::Impl& impl, std::string_view signature,
                                const core::ByteSource* content, const std::string& label) {
  DocumentReport doc;
  doc.path = label;
  doc.format = "cms";
  doc.trust_profile = impl.trust.selected_profile();
  const long long validation_time = impl.validation_time();
  doc.validation_time = core::iso_utc_unix(validation_time);

  SignatureReport s;
  s.id = "sig1";
  std::optional<std::string> der = cms::signed_data_der(signature);
  // Evidence a CMS signature cannot carry, but the shared steps read.
  const pki::RevocationEvidence no_dss;
  const std::vector<pki::Cert> no_dss_certs;

  core::ByteSource source{std::string_view()};  // the signed content, once known
  SignatureContext ctx{&source, nullptr, nullptr, impl.trust, validation_time, no_dss, no_dss_certs,
                       impl.fetcher, impl.fetcher.deadline_from_now(), impl.options.revocation.require, s, {}};
  const bool parsed = der ? read_cms(ctx, *der) : read_cms(ctx, "", "not a CMS SignedData (DER, PEM or Base64)");
  if (!parsed) {
    s.kind = content ? "detached" : "enveloping";
    describe_content(doc, content ? *content : core::ByteSource{signature}, ctx);
  } else {
    const cms::SignedData& sd = *ctx.signed_data;
    s.kind = sd.has_econtent ? "enveloping" : "detached";
    if (sd.has_econtent) {
      source = core::ByteSource{sd.econtent};  // an enclosed content wins over one given beside it
    } else if (content) {
      source = *content;
    }
    s.digest_algorithm = sd.digest_name;
    s.signature_algorithm = sd.signature_algorithm;
    if (sd.signing_time) {
      ctx.claimed_time = sd.signing_time;
      s.signing_time = core::iso_utc_unix(*sd.signing_time);
    }
    bool content_known = sd.has_econtent || content != nullptr;
    if (content_known) {
      ctx.ranges = {{0, source.bytes.size()}};
      s.coverage = Coverage::entire_file;
      check_cms_content(ctx);
    } else {
      ctx.add("SIGNED_DATA_NOT_FOUND");
      ctx.verdict.indeterminate(SubIndication::signed_data_not_found);
      ctx.check("integrity", CheckStatus::skipped, "detached signature without its content");
    }
    describe_content(doc, content_known ? source : core::ByteSource{*der}, ctx);
    if (identify_signer(ctx)) {
      if (content_known) check_signature_value(ctx);
      run_common_steps(ctx);
    }
  }
  auto [indication, sub] = ctx.verdict.settle();
  s.indication = indication;
  s.sub_indication = sub;
  doc.signatures.push_back(std::move(s));
  settle_document(doc);
  return doc;
}

}  // namespace libsign::validate
