// Steps 2 and 3: who signed (SignerIdentifier, ESS signing-certificate) and the signature value.
#include "cms/near_miss.hpp"
#include "pki/certificate.hpp"
#include "validate/context.hpp"

namespace libsign::validate {

bool identify_signer(SignatureContext& ctx) {
  const cms::SignedData& sd = *ctx.signed_data;
  // Embedded certificates first; the trust store's intermediates cannot be the signer, but user
  // certificates given with --trust might (a signature that embeds none).
  ctx.signer = cms::find_signer(sd, sd.certificates);
  if (!ctx.signer) {
    std::vector<pki::Cert> pool;
    STACK_OF(X509)* known = ctx.trust.intermediates();
    for (int i = 0; i < sk_X509_num(known); ++i) pool.push_back(pki::share_up_ref(sk_X509_value(known, i)));
    ctx.signer = cms::find_signer(sd, pool);
  }
  if (!ctx.signer) {
    // The issuer name may be mis-encoded by the signing software: accept a unique serial match
    // (the signature value is still checked with that certificate's key) and say so.
    ctx.signer = cms::find_signer_by_serial(sd, sd.certificates);
    if (ctx.signer) ctx.add("SIGNER_IDENTIFIER_ISSUER_MISMATCH", {{"signer", pki::describe(ctx.signer.get()).subject}});
  }
  if (!ctx.signer) {
    ctx.add("SIGNER_CERT_NOT_FOUND", {{"embedded_certificates", std::to_string(sd.certificates.size())}});
    ctx.verdict.indeterminate(SubIndication::no_signing_certificate_found);
    ctx.check("signer_identification", CheckStatus::failed, "no certificate matches the SignerIdentifier");
    return false;
  }
  CertificateInfo info = pki::describe(ctx.signer.get());
  info.trust_profile = ctx.trust.profile_of(ctx.signer.get());
  ctx.report.signer = info;
  if (sd.ess_kind == cms::EssKind::none) {
    if (sd.has_signed_attributes) ctx.add("SIGNING_CERTIFICATE_ATTR_MISSING");
    ctx.check("signer_identification", CheckStatus::passed, "SignerIdentifier matches " + info.common_name + " (no ESS attribute)");
    return true;
  }
  if (!cms::ess_matches(sd, ctx.signer.get())) {
    ctx.add("SIGNING_CERTIFICATE_MISMATCH", {{"signer_sha256", info.sha256},
                                             {"attribute", sd.ess_kind == cms::EssKind::v2 ? "signingCertificateV2" : "signingCertificate"}});
    ctx.verdict.indeterminate(SubIndication::no_signing_certificate_found);
    ctx.check("signer_identification", CheckStatus::failed, "the ESS signing-certificate attribute names another certificate");
    return true;
  }
  ctx.check("signer_identification", CheckStatus::passed, "SignerIdentifier and ESS attribute match " + info.common_name);
  return true;
}

namespace {

// A value that verifies once a signing-software fault is undone: named, and a format failure.
bool report_near_miss(SignatureContext& ctx) {
  const cms::NearMiss miss = cms::explain_invalid_signature(*ctx.signed_data, ctx.signer.get());
  if (!miss.verifies) return false;
  if (!miss.any()) {
    // The value is right; OpenSSL refused the attribute set (a content-type attribute missing or
    // repeated, a messageDigest repeated...). check_content_type named the content-type cases.
    if (!ctx.report.has_finding("CONTENT_TYPE_ATTR_MISSING") && !ctx.report.has_finding("CONTENT_TYPE_MISMATCH"))
      ctx.add("SIGNED_ATTRIBUTES_NONCONFORMANT", {{"algorithm", ctx.signed_data->signature_algorithm}});
    ctx.verdict.fail(SubIndication::format_failure);
    ctx.check("signature_value", CheckStatus::failed, "the value verifies, but the signed attributes break CMS rules");
    return true;
  }
  const std::string algorithm = ctx.signed_data->signature_algorithm;
  if (miss.signed_attributes_not_der)
    ctx.add("SIGNED_ATTRIBUTES_NOT_DER", {{"algorithm", algorithm}, {"verifies_as_written", "true"}});
  if (miss.rsa_length_wrong)
    ctx.add("SIGNATURE_VALUE_LENGTH_WRONG", {{"value_bytes", std::to_string(miss.value_bytes)},
                                             {"key_bytes", std::to_string(miss.key_bytes)}, {"verifies_adjusted", "true"}});
  if (miss.ecdsa_value_not_der)
    ctx.add("SIGNATURE_VALUE_NOT_DER", {{"algorithm", algorithm}, {"verifies_adjusted", "true"}});
  ctx.verdict.fail(SubIndication::format_failure);
  ctx.check("signature_value", CheckStatus::failed, "verifies only when a signing-software encoding fault is undone");
  return true;
}

// RFC 5652 §11.1: with signed attributes, exactly one content-type attribute, equal to eContentType.
// A different type is content-type confusion (e.g. a timestamp token's signature offered as a document's).
void check_content_type(SignatureContext& ctx) {
  const cms::SignedData& sd = *ctx.signed_data;
  if (!sd.has_signed_attributes) return;
  if (sd.content_type_attrs.empty()) {
    ctx.add("CONTENT_TYPE_ATTR_MISSING");
    ctx.verdict.fail(SubIndication::format_failure);
  } else if (sd.content_type_attrs.size() > 1 || sd.content_type_attrs.front() != sd.econtent_type) {
    ctx.add("CONTENT_TYPE_MISMATCH", {{"attribute", sd.content_type_attrs.front()}, {"econtent_type", sd.econtent_type},
                                      {"attributes", std::to_string(sd.content_type_attrs.size())}});
    ctx.verdict.fail(SubIndication::format_failure);
  }
}

}  // namespace

void check_signature_value(SignatureContext& ctx) {
  check_content_type(ctx);
  auto result = cms::verify_signature_value(*ctx.signed_data, ctx.signer.get(), ctx.content_digest);
  ctx.signature_check = result;
  switch (result) {
    case cms::SignatureCheck::valid:
      ctx.check("signature_value", CheckStatus::passed, ctx.signed_data->signature_algorithm + " verifies");
      break;
    case cms::SignatureCheck::invalid:
      if (report_near_miss(ctx)) break;
      ctx.add("SIGNATURE_INVALID", {{"algorithm", ctx.signed_data->signature_algorithm}});
      ctx.verdict.fail(SubIndication::sig_crypto_failure);
      ctx.check("signature_value", CheckStatus::failed, "the signature value does not verify");
      break;
    case cms::SignatureCheck::unsupported:
      ctx.add("SIGNATURE_ALGORITHM_UNSUPPORTED", {{"algorithm", ctx.signed_data->signature_algorithm}});
      ctx.verdict.indeterminate(SubIndication::crypto_constraints_failure_no_poe);
      ctx.check("signature_value", CheckStatus::failed, "unsupported signature algorithm");
      return;
  }
  // An EdDSA signer naming another digest than RFC 8419's breaks the format even when the value verifies.
  if (auto required = cms::eddsa_required_digest(*ctx.signed_data, ctx.signer.get())) {
    ctx.add("DIGEST_ALGORITHM_NOT_ALLOWED", {{"algorithm", ctx.signed_data->signature_algorithm},
                                             {"digest", ctx.signed_data->digest_name}, {"required", *required}});
    ctx.verdict.fail(SubIndication::format_failure);
  }
}

}  // namespace libsign::validate
