// Revocation evidence a CMS signature carries outside its signed attributes: SignedData.crls
// (CertificateList and RFC 5940 OCSP responses) and CAdES certificate-/revocation-values, judged offline
// with the revoked-before-the-claimed-signing-time rule.
#include <gtest/gtest.h>

#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "cms/revocation_values.hpp"
#include "cms/signed_data.hpp"
#include "core/der_reader.hpp"
#include "core/der_writer.hpp"
#include "libsign/cms.hpp"
#include "libsign/verify.hpp"
#include "pki/openssl_ptr.hpp"
#include "pki/revocation.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

namespace der = core::der;
using test::pki_file;
using BioPtr = pki::OsslPtr<BIO, BIO_free_all>;
using PkeyPtr = pki::OsslPtr<EVP_PKEY, EVP_PKEY_free>;

long long unix_at(const std::string& iso) {
  return std::chrono::duration_cast<std::chrono::seconds>(parse_time(iso).time_since_epoch()).count();
}

pki::Cert load_cert(const std::string& name) {
  BioPtr bio(BIO_new_file(pki_file(name).c_str(), "r"));
  return pki::Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

std::string cert_der(const std::string& name) {
  pki::Cert cert = load_cert(name);
  unsigned char* out = nullptr;
  int len = i2d_X509(cert.get(), &out);
  std::string result(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return result;
}

std::unique_ptr<Signer> signer_of(const std::string& name) {
  return load_pkcs12_signer(pki_file(name + ".p12"), Secret::from_file(pki_file("p12-password.txt")));
}

// A detached CMS over `content` by `signer`, claiming `signing_time`.
std::string sign_at(const Signer& signer, const std::string& signing_time, std::string_view content = "hồ sơ") {
  CmsSignOptions o;
  o.signing_time = parse_time(signing_time);
  return sign_cms(content, signer, o);
}

// gov-ocsp's answer for `cert_name` (issued by gov-ca): `status` V_OCSP_CERTSTATUS_*, produced and
// current from `this_update` for ten days. Returns the BasicOCSPResponse DER. OpenSSL stamps producedAt
// with the clock: it is set to `this_update` and the response signed again, so nothing here depends on
// today's date.
std::string basic_ocsp(const std::string& cert_name, int status, const std::string& this_update) {
  pki::Cert cert = load_cert(cert_name), issuer = load_cert("gov-ca.pem"), responder = load_cert("gov-ocsp.pem");
  BioPtr key_bio(BIO_new_file(pki_file("gov-ocsp.key.pem").c_str(), "r"));
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  pki::OcspBasicPtr basic(OCSP_BASICRESP_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert.get(), issuer.get());
  const long long at = unix_at(this_update);
  pki::OsslPtr<ASN1_TIME, ASN1_TIME_free> from(ASN1_TIME_set(nullptr, static_cast<time_t>(at)));
  pki::OsslPtr<ASN1_TIME, ASN1_TIME_free> until(ASN1_TIME_set(nullptr, static_cast<time_t>(at + 10 * 86400)));
  pki::OsslPtr<ASN1_TIME, ASN1_TIME_free> revoked(ASN1_TIME_set(nullptr, static_cast<time_t>(unix_at("2026-01-15T00:00:00Z"))));
  EXPECT_TRUE(OCSP_basic_add1_status(basic.get(), id, status, status == V_OCSP_CERTSTATUS_REVOKED ? OCSP_REVOKED_STATUS_KEYCOMPROMISE : -1,
                                     status == V_OCSP_CERTSTATUS_REVOKED ? revoked.get() : nullptr, from.get(), until.get()));
  OCSP_CERTID_free(id);
  EXPECT_EQ(OCSP_basic_sign(basic.get(), responder.get(), key.get(), EVP_sha256(), nullptr, 0), 1);
  ASN1_GENERALIZEDTIME_set(const_cast<ASN1_GENERALIZEDTIME*>(OCSP_resp_get0_produced_at(basic.get())), static_cast<time_t>(at));
  EXPECT_GT(ASN1_item_sign(ASN1_ITEM_rptr(OCSP_RESPDATA), const_cast<X509_ALGOR*>(OCSP_resp_get0_tbs_sigalg(basic.get())), nullptr,
                           const_cast<ASN1_BIT_STRING*>(OCSP_resp_get0_signature(basic.get())),
                           const_cast<OCSP_RESPDATA*>(OCSP_resp_get0_respdata(basic.get())), key.get(), EVP_sha256()),
            0);
  unsigned char* out = nullptr;
  int len = i2d_OCSP_BASICRESP(basic.get(), &out);
  std::string result(reinterpret_cast<char*>(out), static_cast<size_t>(len > 0 ? len : 0));
  OPENSSL_free(out);
  return result;
}

// RFC 5940: OtherRevocationInfoFormat { id-ri-ocsp-response, OCSPResponse } as a RevocationInfoChoice.
std::string ri_other(const std::string& format_oid, const std::string& value) {
  return der::context(1, der::oid(format_oid) + value);
}
std::string ri_ocsp(const std::string& ocsp_response) { return ri_other("1.3.6.1.5.5.7.16.2", ocsp_response); }

// The ContentInfo `content_info` with SignedData.crls set to `choices` (the signature is unaffected:
// crls are outside the signed attributes).
std::string with_crls(const std::string& content_info, const std::vector<std::string>& choices) {
  auto parts = [](std::string_view content) {
    std::vector<core::DerElement> out;
    core::DerReader r(content);
    while (!r.empty()) out.push_back(*r.next());
    return out;
  };
  auto info = parts(parts(content_info).at(0).content);              // contentType, [0]
  auto signed_data = parts(parts(info.at(1).content).at(0).content);  // version ... signerInfos
  std::vector<std::string> fields;
  for (size_t i = 0; i + 1 < signed_data.size(); ++i) fields.emplace_back(signed_data[i].whole);
  fields.push_back(der::context(1, [&] {
    std::string all;
    for (const auto& c : choices) all += c;
    return all;
  }()));
  fields.emplace_back(signed_data.back().whole);
  return der::sequence({std::string(info.at(0).whole), der::context(0, der::sequence(fields))});
}

// `content_info` with one more unsigned attribute on its (only) SignerInfo.
std::string with_unsigned_attribute(const std::string& content_info, int nid, const std::string& value_der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(content_info.data());
  pki::CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(content_info.size())));
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  EXPECT_EQ(CMS_unsigned_add1_attr_by_NID(si, nid, V_ASN1_SEQUENCE, value_der.data(), static_cast<int>(value_der.size())), 1);
  unsigned char* out = nullptr;
  int len = i2d_CMS_ContentInfo(cms.get(), &out);
  std::string result(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return result;
}

std::string crl_der(const std::string& name) { return test::read_file(pki_file(name + ".crl.der")); }

// The test government profile at 2026-07-01, offline, a status required for every chain certificate.
Verifier strict_verifier() {
  VerifyOptions v = test::test_gov_options();
  v.revocation.require = true;
  return Verifier(v);
}

// The same, trusting only gov-root: gov-ca must come from the signature.
Verifier root_only_verifier() {
  VerifyOptions v;
  v.trust_profile = "none";
  v.trust_paths = {pki_file("gov-root.pem")};
  v.at = parse_time("2026-07-01T00:00:00Z");
  v.revocation.require = true;
  return Verifier(v);
}

const std::string kContent = "hồ sơ";

TEST(CmsRevocation, SignedDataCrlRevokedBeforeTheClaimedSigningTimeFails) {
  auto revoked = signer_of("gov-revoked");  // revoked 2026-01-15 (keyCompromise) in gov-ca's CRL
  std::string plain = sign_at(*revoked, "2026-06-20T03:00:00Z");
  std::string sig = with_crls(plain, {crl_der("gov-ca"), crl_der("gov-root")});
  auto sd = cms::parse_signed_data(sig, nullptr);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->signed_data_crls.size(), 2u);

  DocumentReport r = strict_verifier().verify_cms(sig, std::string_view(kContent));
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.indication, Indication::total_failed);
  EXPECT_EQ(s.sub_indication, SubIndication::revoked);
  EXPECT_TRUE(s.has_finding("CERT_REVOKED"));
  EXPECT_EQ(s.revocation.source, "signed-data");
  EXPECT_EQ(s.revocation.status, "revoked");
  EXPECT_EQ(s.revocation.crls, 2);

  // Without the CRLs nothing is known offline.
  DocumentReport bare = strict_verifier().verify_cms(plain, std::string_view(kContent));
  EXPECT_EQ(bare.signatures.at(0).sub_indication, SubIndication::try_later);
}

TEST(CmsRevocation, RevokedAfterTheClaimedSigningTimeWithoutTimestampIsIndeterminate) {
  auto revoked = signer_of("gov-revoked");
  std::string sig = with_crls(sign_at(*revoked, "2026-01-10T03:00:00Z"), {crl_der("gov-ca"), crl_der("gov-root")});
  const SignatureReport s = strict_verifier().verify_cms(sig, std::string_view(kContent)).signatures.at(0);
  EXPECT_EQ(s.indication, Indication::indeterminate);
  EXPECT_EQ(s.sub_indication, SubIndication::revoked_no_poe);
  EXPECT_TRUE(s.has_finding("CERT_REVOKED"));
}

TEST(CmsRevocation, AClaimedTimeWithinHoursOfTheRevocationIsNotEnoughToFail) {
  // Revoked 2026-01-15T00:00:00Z. 05:00 "Z" may be 05:00 local time (22:00Z the day before) written
  // as UTC: not a failure by the signer's own account; a day later it is.
  auto revoked = signer_of("gov-revoked");
  auto verdict_at = [&](const char* claimed) {
    std::string sig = with_crls(sign_at(*revoked, claimed), {crl_der("gov-ca"), crl_der("gov-root")});
    return strict_verifier().verify_cms(sig, std::string_view(kContent)).signatures.at(0).sub_indication;
  };
  EXPECT_EQ(verdict_at("2026-01-15T05:00:00Z"), SubIndication::revoked_no_poe);
  EXPECT_EQ(verdict_at("2026-01-16T00:00:00Z"), SubIndication::revoked);
}

TEST(CmsRevocation, Rfc5940OcspGoodPassesOffline) {
  std::string ocsp = pki::ocsp_response_from_basic(basic_ocsp("gov-official.pem", V_OCSP_CERTSTATUS_GOOD, "2026-06-25T00:00:00Z"));
  std::string sig = with_crls(sign_at(test::gov_official(), "2026-06-20T03:00:00Z"), {ri_ocsp(ocsp), crl_der("gov-root")});
  auto sd = cms::parse_signed_data(sig, nullptr);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->signed_data_ocsp.size(), 1u);
  EXPECT_EQ(sd->signed_data_crls.size(), 1u);

  DocumentReport r = strict_verifier().verify_cms(sig, std::string_view(kContent));
  const SignatureReport& s = r.signatures.at(0);
  EXPECT_EQ(s.indication, Indication::total_passed);
  EXPECT_TRUE(s.has_finding("REVOCATION_GOOD"));
  EXPECT_FALSE(s.has_finding("REVOCATION_NOT_CHECKED"));
  EXPECT_EQ(s.revocation.source, "signed-data");
  EXPECT_EQ(s.revocation.status, "good");
  EXPECT_EQ(s.revocation.ocsp_responses, 1);
  for (const auto& f : s.findings)
    if (f.code == "REVOCATION_GOOD") EXPECT_EQ(f.evidence.at("origin"), "signed-data");
}

TEST(CmsRevocation, Rfc5940OcspRevokedFails) {
  auto revoked = signer_of("gov-revoked");
  std::string ocsp = pki::ocsp_response_from_basic(basic_ocsp("gov-revoked.pem", V_OCSP_CERTSTATUS_REVOKED, "2026-06-25T00:00:00Z"));
  std::string sig = with_crls(sign_at(*revoked, "2026-06-20T03:00:00Z"), {ri_ocsp(ocsp), crl_der("gov-root")});
  const SignatureReport s = strict_verifier().verify_cms(sig, std::string_view(kContent)).signatures.at(0);
  EXPECT_EQ(s.indication, Indication::total_failed);
  EXPECT_EQ(s.sub_indication, SubIndication::revoked);
  EXPECT_EQ(s.revocation.source, "signed-data");
}

TEST(CmsRevocation, CadesRevocationValuesWithBasicOcspPass) {
  // The signer's certificate alone in SignedData.certificates; its CA only in certificate-values.
  auto leaf_only = load_pem_signer(pki_file("gov-official.key.pem"), pki_file("gov-official.pem"), {});
  std::string signed_only = sign_at(*leaf_only, "2026-06-20T03:00:00Z");
  std::string basic = basic_ocsp("gov-official.pem", V_OCSP_CERTSTATUS_GOOD, "2026-06-25T00:00:00Z");
  std::string values = der::sequence({der::context(0, der::sequence({crl_der("gov-root")})), der::context(1, der::sequence({basic}))});
  std::string sig = with_unsigned_attribute(signed_only, NID_id_smime_aa_ets_revocationValues, values);
  sig = with_unsigned_attribute(sig, NID_id_smime_aa_ets_certValues, der::sequence({cert_der("gov-ca.pem")}));
  auto sd = cms::parse_signed_data(sig, nullptr);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->certificates.size(), 1u);
  EXPECT_EQ(sd->certificate_values.size(), 1u);
  ASSERT_EQ(sd->values_ocsp.size(), 1u);
  EXPECT_EQ(sd->values_crls.size(), 1u);

  DocumentReport r = root_only_verifier().verify_cms(sig, std::string_view(kContent));
  const SignatureReport& s = r.signatures.at(0);
  EXPECT_EQ(s.indication, Indication::total_passed);
  EXPECT_EQ(s.revocation.source, "revocation-values");
  EXPECT_EQ(s.revocation.status, "good");
  EXPECT_FALSE(s.has_finding("CHAIN_INCOMPLETE"));

  // Without certificate-values the chain lacks its CA.
  std::string no_certs = with_unsigned_attribute(signed_only, NID_id_smime_aa_ets_revocationValues, values);
  const SignatureReport incomplete = root_only_verifier().verify_cms(no_certs, std::string_view(kContent)).signatures.at(0);
  EXPECT_EQ(incomplete.indication, Indication::indeterminate);
  EXPECT_TRUE(incomplete.has_finding("CHAIN_INCOMPLETE"));
}

TEST(CmsRevocation, CrlOfAnotherIssuerIsIgnored) {
  std::string sig = with_crls(sign_at(test::gov_official(), "2026-06-20T03:00:00Z"), {crl_der("public-ca"), crl_der("gov-root")});
  const SignatureReport s = strict_verifier().verify_cms(sig, std::string_view(kContent)).signatures.at(0);
  EXPECT_EQ(s.indication, Indication::indeterminate);
  EXPECT_EQ(s.sub_indication, SubIndication::try_later);
  EXPECT_TRUE(s.has_finding("REVOCATION_NOT_CHECKED"));
  EXPECT_FALSE(s.has_finding("REVOCATION_DATA_INVALID"));
  EXPECT_EQ(s.revocation.source, "none");
}

TEST(CmsRevocation, OtherRevocationFormatsAreCountedNotRead) {
  std::string scvp = ri_other("1.3.6.1.5.5.7.16.4", der::sequence({der::integer(1)}));
  std::string sig = with_crls(sign_at(test::gov_official(), "2026-06-20T03:00:00Z"), {scvp, crl_der("gov-ca"), crl_der("gov-root")});
  auto sd = cms::parse_signed_data(sig, nullptr);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->other_revocation_formats, 1);
  const SignatureReport s = strict_verifier().verify_cms(sig, std::string_view(kContent)).signatures.at(0);
  EXPECT_EQ(s.indication, Indication::total_passed);
  EXPECT_TRUE(s.has_finding("REVOCATION_INFO_UNSUPPORTED_FORMAT"));
}

TEST(CmsRevocation, BerEncodedSignedDataCrlsAreRead) {
  // OpenSSL streaming output: indefinite lengths (BER), which the DER walk cannot follow.
  pki::Cert cert = load_cert("gov-official.pem");
  BioPtr key_bio(BIO_new_file(pki_file("gov-official.key.pem").c_str(), "r"));
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  BioPtr content(BIO_new_mem_buf(kContent.data(), static_cast<int>(kContent.size())));
  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_STREAM;
  pki::CmsPtr cms(CMS_sign(cert.get(), key.get(), nullptr, content.get(), flags));
  ASSERT_TRUE(cms);
  std::string crl = crl_der("gov-ca");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(crl.data());
  pki::CrlPtr parsed(d2i_X509_CRL(nullptr, &p, static_cast<long>(crl.size())));
  ASSERT_EQ(CMS_add1_crl(cms.get(), parsed.get()), 1);
  BioPtr out(BIO_new(BIO_s_mem()));
  ASSERT_EQ(i2d_CMS_bio_stream(out.get(), cms.get(), content.get(), flags), 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  std::string ber(data, static_cast<size_t>(length));
  ASSERT_GT(ber.size(), 2u);
  ASSERT_EQ(static_cast<unsigned char>(ber[1]), 0x80);  // indefinite length indeed
  auto sd = cms::parse_signed_data(ber, nullptr);
  ASSERT_TRUE(sd);
  ASSERT_EQ(sd->signed_data_crls.size(), 1u);
  EXPECT_EQ(sd->signed_data_crls[0], crl);
}

TEST(CmsRevocation, LabelsFollowTheDecidingItem) {
  pki::RevocationEvidence evidence;
  evidence.add("signed-data", {crl_der("public-ca")}, {});
  evidence.add("dss", {crl_der("gov-ca")}, {});
  pki::Cert issuer = load_cert("gov-ca.pem");
  pki::RevocationStatus s = pki::check_revocation(load_cert("gov-revoked.pem").get(), issuer.get(), evidence,
                                                  {unix_at("2026-07-01T00:00:00Z"), unix_at("2026-06-20T00:00:00Z")});
  EXPECT_EQ(s.state, pki::RevocationState::revoked);
  EXPECT_EQ(s.origin, "dss");
}

}  // namespace
}  // namespace libsign
