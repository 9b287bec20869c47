// Detached and enveloping CMS: format detection, armour, signing and verifying in the library.
#include <gtest/gtest.h>

#include "cms/armor.hpp"
#include "cms/signed_data.hpp"
#include "libsign/cms.hpp"
#include "libsign/verify.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

using test::pki_file;

CmsSignOptions at_signing_time() {
  CmsSignOptions o;
  o.signing_time = parse_time("2026-06-20T03:00:00Z");
  return o;
}

TEST(DetectFormat, ByContent) {
  EXPECT_EQ(detect_format("%PDF-1.7\n..."), "pdf");
  EXPECT_EQ(detect_format("junk before the header %PDF-1.4"), "pdf");  // allowed within the first KiB
  EXPECT_EQ(detect_format("\xEF\xBB\xBF  <?xml version=\"1.0\"?><a/>"), "xml");
  EXPECT_EQ(detect_format("<HDon/>"), "xml");
  EXPECT_EQ(detect_format("GIF89a"), "");
  EXPECT_EQ(detect_format(""), "");
  EXPECT_EQ(detect_format("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), "");
  std::string der = sign_cms("x", test::gov_official(), at_signing_time());
  EXPECT_EQ(detect_format(der), "cms");
  EXPECT_EQ(detect_format(cms::to_pem(der)), "cms");
}

TEST(CmsArmor, PemAndBase64DecodeToTheSameDer) {
  std::string der = sign_cms("x", test::gov_official(), at_signing_time());
  EXPECT_EQ(cms::signed_data_der(cms::to_pem(der)), der);
  EXPECT_EQ(cms::signed_data_der(der), der);
  EXPECT_FALSE(cms::signed_data_der("MIIB not base64 !"));
  EXPECT_FALSE(cms::signed_data_der(std::string("\x30\x03\x02\x01\x01", 5)));  // DER, but not SignedData
}

TEST(CmsSign, DetachedVerifiesAndDetectsChange) {
  Verifier verifier(test::test_gov_options());
  std::string sig = sign_cms("hồ sơ đính kèm", test::gov_official(), at_signing_time());
  DocumentReport ok = verifier.verify_cms(sig, std::string_view("hồ sơ đính kèm"));
  EXPECT_EQ(ok.indication, Indication::total_passed);
  ASSERT_EQ(ok.signatures.size(), 1u);
  EXPECT_EQ(ok.signatures[0].kind, "detached");
  DocumentReport changed = verifier.verify_cms(sig, std::string_view("hồ sơ đính kèm."));
  EXPECT_EQ(changed.sub_indication, SubIndication::hash_failure);
  EXPECT_TRUE(changed.has_finding("DIGEST_MISMATCH"));
  DocumentReport missing = verifier.verify_cms(sig);
  EXPECT_EQ(missing.sub_indication, SubIndication::signed_data_not_found);
}

TEST(CmsSign, EnvelopingCarriesTheContent) {
  CmsSignOptions o = at_signing_time();
  o.enveloping = true;
  std::string sig = sign_cms("nội dung", test::gov_official(), o);
  EXPECT_EQ(extract_cms_content(sig), "nội dung");
  DocumentReport r = Verifier(test::test_gov_options()).verify(sig, "inline.p7m");
  EXPECT_EQ(r.format, "cms");
  EXPECT_EQ(r.indication, Indication::total_passed);
  EXPECT_EQ(r.signatures.at(0).kind, "enveloping");
}

TEST(CmsSign, BTWithoutTsaIsAUsageError) {
  CmsSignOptions o;
  o.level = CadesLevel::b_t;
  try {
    sign_cms("x", test::gov_official(), o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TSA_URL_MISSING");
  }
}

TEST(CmsParse, SignerIndexIsChecked) {
  std::string der = sign_cms("x", test::gov_official(), at_signing_time());
  std::string error;
  auto first = cms::parse_signed_data(der, &error, 0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->signer_count, 1);
  EXPECT_FALSE(cms::parse_signed_data(der, &error, 1));
  EXPECT_FALSE(cms::parse_signed_data(der, &error, -1));
}

TEST(CmsVerify, GarbageIsAFormatFailureNotACrash) {
  Verifier verifier(test::test_gov_options());
  for (std::string junk : {std::string("\x30\x80", 2), std::string("\x30\x82\xff\xff\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 15),
                           std::string("MII"), std::string(1000, '\x30')}) {
    DocumentReport r = verifier.verify_cms(junk, std::string_view("data"));
    EXPECT_EQ(r.indication, Indication::total_failed);
    EXPECT_TRUE(r.has_finding("CMS_MALFORMED"));
  }
  EXPECT_THROW(extract_cms_content("nope"), Error);
}

}  // namespace
}  // namespace libsign
