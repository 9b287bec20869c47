#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "libsign/verify.hpp"
#include "report/finding.hpp"
#include "test_support.hpp"

namespace libsign {

TEST(Report, JsonAlwaysHasTheDocumentedKeys) {
  DocumentReport doc;
  doc.path = "x.pdf";
  doc.signatures.push_back(SignatureReport{});
  doc.findings.push_back(report::make_finding("NO_SIGNATURE_FOUND"));
  auto j = nlohmann::json::parse(doc.to_json());
  EXPECT_EQ(j["schema"], "libsign-report/1");
  for (const char* key : {"path", "format", "sha256", "size", "revisions", "indication", "sub_indication", "validation_time",
                          "trust_profile", "signatures", "findings"})
    EXPECT_TRUE(j["document"].contains(key)) << key;
  const auto& sig = j["document"]["signatures"][0];
  for (const char* key : {"id", "field_name", "field_names", "found_via", "kind", "indication", "sub_indication", "signer",
                          "chain", "signing_time", "timestamp", "coverage", "modification_level", "modifications",
                          "revocation", "checks", "findings"})
    EXPECT_TRUE(sig.contains(key)) << key;
  const auto& finding = j["document"]["findings"][0];
  EXPECT_EQ(finding["code"], "NO_SIGNATURE_FOUND");
  EXPECT_FALSE(finding["message"]["vi"].get<std::string>().empty());
}

TEST(Report, InvalidUtf8FromAFileDoesNotBreakJson) {
  DocumentReport doc;
  doc.path = std::string("bad\xff\xfename.pdf");
  EXPECT_NO_THROW(nlohmann::json::parse(doc.to_json()));
}

TEST(Verifier, FixtureVerdictsInProcess) {
  if (!test::file_exists(test::fixture_path("official.pdf"))) GTEST_SKIP() << "fixtures not generated";
  VerifyOptions o;
  o.profile_dirs = {test::source_path("certs-test/profiles")};
  o.trust_profile = "test-gov";
  o.at = parse_time("2026-07-01T00:00:00Z");
  o.revocation.require = false;  // optional, said explicitly
  Verifier verifier(o);
  DocumentReport ok = verifier.verify_pdf_file(test::fixture_path("official.pdf"));
  EXPECT_EQ(ok.indication, Indication::total_passed);
  std::string bytes = test::read_file(test::fixture_path("official.pdf"));
  // Flip every 997th byte in turn: never a crash, never TOTAL_PASSED unless the byte is outside
  // what the signature and the parser care about.
  size_t passed_with_change = 0;
  for (size_t i = 0; i < bytes.size(); i += 997) {
    std::string copy = bytes;
    copy[i] = static_cast<char>(copy[i] ^ 0x20);
    try {
      DocumentReport r = verifier.verify_pdf(copy);
      if (r.indication == Indication::total_passed) ++passed_with_change;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::format);
    }
  }
  // Only bytes inside the /Contents zero padding may change without effect.
  EXPECT_LE(passed_with_change, bytes.size() / 997 / 2);
  // Every truncation is a format error or a report, never a crash; a cut file never passes.
  for (size_t cut = 0; cut < bytes.size(); cut += bytes.size() / 50) {
    try {
      DocumentReport r = verifier.verify_pdf(std::string_view(bytes).substr(0, cut));
      EXPECT_NE(r.indication, Indication::total_passed) << cut;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::format) << cut;
    }
  }
}

}  // namespace libsign
