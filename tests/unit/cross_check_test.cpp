// The Botan cross-check (docs/security.md): on every fixture signature the two engines agree; it is
// on by default and off when asked; a signature value only Botan accepts is ENGINE_DISAGREEMENT.
#include <gtest/gtest.h>

#include <filesystem>

#include "libsign/cms.hpp"
#include "libsign/xml.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

namespace fs = std::filesystem;

const CrossCheckItem* item(const SignatureReport& s, const std::string& name) {
  for (const auto& c : s.cross_check.compared)
    if (c.item == name) return &c;
  return nullptr;
}

TEST(CrossCheck, EnginesAgreeOnEveryFixtureSignature) {
  if (!test::file_exists(test::fixture_path("official.pdf"))) GTEST_SKIP() << "fixtures not made (ctest make_fixtures)";
  Verifier verifier(test::test_gov_options());
  int signatures = 0, agreed = 0, unsupported = 0;
  for (const auto& entry : fs::directory_iterator(LIBSIGN_FIXTURES_DIR)) {
    if (entry.path().extension() != ".pdf") continue;
    DocumentReport report;
    try {
      report = verifier.verify_file(entry.path().string());
    } catch (const Error&) {
      continue;  // the unreadable fixtures: no signature to compare
    }
    for (const auto& s : report.signatures) {
      ++signatures;
      EXPECT_FALSE(s.has_finding("ENGINE_DISAGREEMENT")) << entry.path().filename() << " " << s.id << "\n" << report.to_json();
      EXPECT_NE(s.cross_check.result, "off");
      EXPECT_NE(s.cross_check.result, "disagree");
      if (s.cross_check.result == "agree") ++agreed;
      if (s.cross_check.result == "unsupported") ++unsupported;
    }
  }
  EXPECT_GT(signatures, 30);
  // Document timestamps and signatures libsign stops on early are the only unsupported ones.
  EXPECT_GT(agreed, signatures * 2 / 3) << "unsupported: " << unsupported;
}

TEST(CrossCheck, ComparesDigestSignatureAndPathOfAGoodCmsSignature) {
  Verifier verifier(test::test_gov_options());
  CmsSignOptions o;
  o.signing_time = parse_time("2026-06-20T03:00:00Z");
  const std::string content = "hồ sơ đính kèm";
  DocumentReport report = verifier.verify_cms(sign_cms(content, test::gov_official(), o), content);
  const SignatureReport& s = report.signatures.at(0);
  EXPECT_EQ(s.indication, Indication::total_passed);
  EXPECT_EQ(s.cross_check.result, "agree");
  EXPECT_EQ(s.cross_check.engine.rfind("botan 2.19", 0), 0u);
  ASSERT_TRUE(item(s, "digest") && item(s, "signature") && item(s, "path"));
  EXPECT_EQ(item(s, "digest")->botan, "match");
  EXPECT_EQ(item(s, "signature")->botan, "valid");
  EXPECT_EQ(item(s, "path")->botan, "trusted");

  // The wrong content: both engines see the digest mismatch.
  DocumentReport changed = verifier.verify_cms(sign_cms(content, test::gov_official(), o), content + " ");
  ASSERT_TRUE(item(changed.signatures.at(0), "digest"));
  EXPECT_EQ(item(changed.signatures.at(0), "digest")->libsign, "mismatch");
  EXPECT_EQ(item(changed.signatures.at(0), "digest")->botan, "mismatch");
  EXPECT_EQ(changed.signatures.at(0).cross_check.result, "agree");
}

TEST(CrossCheck, PathUnderAnotherProfileIsNotTrustedByEither) {
  VerifyOptions options = test::test_gov_options();
  options.trust_profile = "test-public";
  Verifier verifier(options);
  CmsSignOptions o;
  o.signing_time = parse_time("2026-06-20T03:00:00Z");
  DocumentReport report = verifier.verify_cms(sign_cms("x", test::gov_official(), o), std::string("x"));
  const CrossCheckItem* path = item(report.signatures.at(0), "path");
  ASSERT_TRUE(path);
  EXPECT_EQ(path->libsign, "not_trusted");
  EXPECT_EQ(path->botan, "not_trusted");
  EXPECT_FALSE(report.has_finding("ENGINE_DISAGREEMENT"));
}

TEST(CrossCheck, XmlSignatureIsCrossChecked) {
  Verifier verifier(test::test_gov_options());
  XmlSignOptions o;
  o.signing_time = parse_time("2026-06-20T03:00:00Z");
  std::string signed_xml = sign_xml("<HDon><DLHDon Id=\"data\"><TTChung>Hóa đơn</TTChung></DLHDon><DSCKS/></HDon>",
                                    test::gov_official(), o);
  DocumentReport report = verifier.verify_xml(signed_xml, XmlVerifyOptions{});
  const SignatureReport& s = report.signatures.at(0);
  EXPECT_EQ(s.cross_check.result, "agree") << report.to_json();
  ASSERT_TRUE(item(s, "signature") && item(s, "digest") && item(s, "path"));
  EXPECT_EQ(item(s, "signature")->botan, "valid");
}

TEST(CrossCheck, OffMeansOffAndNoBotanWork) {
  VerifyOptions options = test::test_gov_options();
  options.cross_check = false;
  Verifier verifier(options);
  CmsSignOptions o;
  DocumentReport report = verifier.verify_cms(sign_cms("x", test::gov_official(), o), std::string("x"));
  EXPECT_EQ(report.signatures.at(0).cross_check.result, "off");
  EXPECT_TRUE(report.signatures.at(0).cross_check.compared.empty());
  EXPECT_TRUE(report.signatures.at(0).cross_check.engine.empty());
}

}  // namespace
}  // namespace libsign
