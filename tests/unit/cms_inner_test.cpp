// Format detection by structure, and the two layers of a .p7m holding a signed PDF: the CMS
// signers and the enclosed document's own signatures.
#include <gtest/gtest.h>

#include "cms/armor.hpp"
#include "libsign/cms.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

using test::pki_file;

std::string envelope(std::string_view content) {
  CmsSignOptions o;
  o.signing_time = parse_time("2026-06-20T03:00:00Z");
  o.enveloping = true;
  return sign_cms(content, test::gov_official(), o);
}

// DER of OID 1.2.840.113549.1.7.2 (id-signedData), tag and length included.
const std::string kSignedDataOid("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 11);

TEST(DetectFormat, EnvelopingCmsOfAPdfIsCms) {
  const std::string pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n";
  const std::string der = envelope(pdf);
  ASSERT_NE(der.substr(0, 1024).find("%PDF-"), std::string::npos);  // what used to fool the detector
  EXPECT_EQ(detect_format(der), "cms");
  EXPECT_EQ(detect_format(cms::to_pem(der)), "cms");
}

TEST(DetectFormat, APdfHoldingSignedDataBytesIsAPdf) {
  // The OID (and even a SEQUENCE tag) early in a PDF, not where a ContentInfo has it.
  EXPECT_EQ(detect_format("%PDF-1.7\n%" + kSignedDataOid + "\n1 0 obj\n"), "pdf");
  EXPECT_EQ(detect_format(std::string("\x30\x82\x01\x00", 4) + "xx" + kSignedDataOid + "\n%PDF-1.4\n"), "pdf");
  EXPECT_EQ(detect_format(std::string("\x30\x80", 2) + "%PDF-1.4 " + kSignedDataOid + std::string(16, ' ')), "pdf");
}

TEST(CmsArmor, SignedDataOidMustFollowTheSequenceHeader) {
  const std::string pad(32, '\0');
  EXPECT_TRUE(cms::looks_like_signed_data(std::string("\x30\x80", 2) + kSignedDataOid + pad));          // BER indefinite
  EXPECT_TRUE(cms::looks_like_signed_data(std::string("\x30\x82\x12\x34", 4) + kSignedDataOid + pad));  // two length bytes
  EXPECT_FALSE(cms::looks_like_signed_data(std::string("\x30\x82\x12\x34\x00", 5) + kSignedDataOid + pad));
  EXPECT_FALSE(cms::looks_like_signed_data(std::string("\x30\x89", 2) + kSignedDataOid + pad));  // no such length form
}

class InnerPdf : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::file_exists(test::fixture_path("unsigned.pdf"))) GTEST_SKIP() << "fixtures not generated";
    SignOptions options;
    options.signing_time = parse_time("2026-06-20T03:00:00Z");
    signed_pdf_ = sign_pdf(test::read_file(test::fixture_path("unsigned.pdf")), test::gov_official(), options);
  }
  std::string signed_pdf_;
};

TEST_F(InnerPdf, BothLayersAreReported) {
  const std::string p7m = envelope(signed_pdf_);
  DocumentReport r = Verifier(test::test_gov_options()).verify(p7m, "hoso.pdf.p7m");
  EXPECT_EQ(r.format, "cms");
  EXPECT_EQ(r.indication, Indication::total_passed);
  ASSERT_TRUE(r.inner);
  EXPECT_EQ(r.inner->path, "hoso.pdf.p7m!content");
  EXPECT_EQ(r.inner->format, "pdf");
  ASSERT_EQ(r.inner->signatures.size(), 1u);
  EXPECT_EQ(r.inner->signatures[0].indication, Indication::total_passed);
  EXPECT_EQ(r.worst_indication(), Indication::total_passed);
  EXPECT_NE(r.to_json().find("\"inner\": {"), std::string::npos);

  VerifyOptions off = test::test_gov_options();
  off.verify_inner = false;
  DocumentReport outer_only = Verifier(off).verify(p7m, "hoso.pdf.p7m");
  EXPECT_FALSE(outer_only.inner);
  EXPECT_NE(outer_only.to_json().find("\"inner\": null"), std::string::npos);
}

TEST_F(InnerPdf, TamperedInnerPdfFailsUnderAValidCms) {
  // A whitespace change inside the signed bytes: the PDF still parses, its signature no longer holds.
  std::string tampered = signed_pdf_;
  const size_t at = tampered.find("endobj\n");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 6] = ' ';
  DocumentReport r = Verifier(test::test_gov_options()).verify(envelope(tampered), "hoso.pdf.p7m");  // re-signed as CMS
  EXPECT_EQ(r.indication, Indication::total_passed);
  ASSERT_TRUE(r.inner);
  EXPECT_EQ(r.inner->indication, Indication::total_failed);
  EXPECT_EQ(r.worst_indication(), Indication::total_failed);
}

TEST(InnerDocument, PlainContentHasNoInnerLayerAndUnreadablePdfSaysSo) {
  Verifier verifier(test::test_gov_options());
  DocumentReport plain = verifier.verify(envelope("not a document"), "x.p7m");
  EXPECT_FALSE(plain.inner);
  DocumentReport broken = verifier.verify(envelope("<HDon><DLHDon></HDon>"), "x.p7m");  // not well-formed XML
  EXPECT_EQ(broken.indication, Indication::total_passed);
  ASSERT_TRUE(broken.inner);
  EXPECT_EQ(broken.inner->format, "xml");
  EXPECT_TRUE(broken.inner->has_finding("CMS_INNER_UNREADABLE"));
  EXPECT_EQ(broken.worst_indication(), Indication::total_passed);  // no signatures of its own to count
}

}  // namespace
}  // namespace libsign
