// What a clerk reads: findings errors first, Vietnamese text without English enum values, Vietnam time,
// hints that follow the options used, and the verdict for a change no signature allows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "libsign/verify.hpp"
#include "report/finding.hpp"
#include "test_support.hpp"

namespace libsign {
namespace {

DocumentReport changed_document() {
  DocumentReport doc;
  doc.path = "x.pdf";
  doc.indication = Indication::total_failed;
  doc.sub_indication = SubIndication::format_failure;
  SignatureReport s;
  s.id = "sig1";
  s.kind = "approval";
  s.indication = Indication::total_failed;
  s.sub_indication = SubIndication::format_failure;
  s.coverage = Coverage::entire_revision;
  s.modification_level = ModificationLevel::other;
  s.signing_time = "2026-06-15T02:30:00Z";
  RevisionModification m;
  m.revision = 1;
  m.level = ModificationLevel::other;
  m.objects.push_back({"4 0 R", "4 0 R: modified (/Length)", ModificationLevel::other, "page_content", 2});
  s.modifications.push_back(m);
  s.findings.push_back(report::make_finding("REVOCATION_NOT_CHECKED", {{"online", "no"}}));
  s.findings.push_back(report::make_finding("MODIFIED_FORM_FILLING"));
  s.findings.push_back(report::make_finding("MODIFIED_AFTER_SIGNING", {{"objects", "4 0 R: modified (/Length)"}}));
  doc.signatures.push_back(s);
  return doc;
}

}  // namespace

TEST(ClerkReport, FindingsAreErrorsFirstInJson) {
  auto j = nlohmann::json::parse(changed_document().to_json());
  std::vector<std::string> order;
  for (const auto& f : j["document"]["signatures"][0]["findings"]) order.push_back(f["severity"]);
  EXPECT_EQ(order, (std::vector<std::string>{"error", "warning", "info"}));
  const auto& object = j["document"]["signatures"][0]["modifications"][0]["objects"][0];
  EXPECT_EQ(object["kind"], "page_content");
  EXPECT_EQ(object["page"], 2);
  EXPECT_EQ(object["object"], "4 0 R");
}

TEST(ClerkReport, VietnameseTextHasNoEnglishEnumsAndShowsVietnamTime) {
  const std::string vi = changed_document().to_text("vi");
  for (const char* english : {"ENTIRE_REVISION", "OTHER", "[error]", "[warning]", "[info]", "approval", "4 0 R",
                              "2026-06-15T02:30:00Z"})
    EXPECT_EQ(vi.find(english), std::string::npos) << english << "\n" << vi;
  EXPECT_NE(vi.find("15/06/2026 09:30:00 (UTC+07:00)"), std::string::npos) << vi;
  EXPECT_NE(vi.find("Tài liệu đã bị sửa sau khi ký"), std::string::npos) << vi;
  EXPECT_NE(vi.find("trang 2"), std::string::npos) << vi;
  EXPECT_NE(vi.find("kiểm tra trực tuyến = không"), std::string::npos) << vi;  // evidence keys and yes/no too
  EXPECT_LT(vi.find("[lỗi]"), vi.find("[cảnh báo]"));
  EXPECT_LT(vi.find("[cảnh báo]"), vi.find("[thông tin]"));
  const std::string en = changed_document().to_text("en");
  EXPECT_NE(en.find("2026-06-15T02:30:00Z"), std::string::npos);
  EXPECT_NE(en.find("Document changed after signing"), std::string::npos);
}

TEST(ClerkReport, DropOfflineHintOnlyWhenTheCheckRanOffline) {
  Finding offline = report::make_finding("REVOCATION_NOT_CHECKED", {{"online", "no"}});
  Finding online = report::make_finding("REVOCATION_NOT_CHECKED", {{"online", "yes"}});
  EXPECT_NE(offline.hint_en.find("--offline"), std::string::npos);
  EXPECT_NE(offline.hint_vi.find("--offline"), std::string::npos);
  EXPECT_EQ(online.hint_en.find("--offline"), std::string::npos) << online.hint_en;
  EXPECT_EQ(online.hint_vi.find("--offline"), std::string::npos) << online.hint_vi;
  EXPECT_FALSE(online.hint_en.empty());
  EXPECT_EQ(online.hint_en.back(), '.');
}

TEST(ClerkReport, ContentChangedAfterSigningFails) {
  if (!test::file_exists(test::fixture_path("then-content-change.pdf"))) GTEST_SKIP() << "fixtures not generated";
  VerifyOptions o;
  o.profile_dirs = {test::source_path("certs-test/profiles")};
  o.trust_profile = "test-gov";
  o.at = parse_time("2026-07-01T00:00:00Z");
  DocumentReport r = Verifier(o).verify_file(test::fixture_path("then-content-change.pdf"));
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].indication, Indication::total_failed);
  EXPECT_EQ(r.signatures[0].sub_indication, SubIndication::format_failure);
  EXPECT_TRUE(r.signatures[0].has_finding("MODIFIED_AFTER_SIGNING"));
  EXPECT_EQ(r.indication, Indication::total_failed);
}

}  // namespace libsign
