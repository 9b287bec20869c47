// Transport damage (libsign/src/damage): each class made from a file signed by libsign, found with its
// code and evidence, and the original rebuilt and verified; hostile inputs end fast with nothing found.
#include <gtest/gtest.h>

#include <chrono>

#include "core/encoding.hpp"
#include "damage/damage.hpp"
#include "libsign/recover.hpp"
#include "libsign/sign.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

const std::string& signed_pdf() {
  static const std::string pdf = [] {
    SignOptions options;
    options.signing_time = parse_time("2026-06-20T03:00:00Z");
    return sign_pdf(test::read_file(test::fixture_path("unsigned.pdf")), test::gov_official(), options);
  }();
  return pdf;
}

bool have_fixtures() { return test::file_exists(test::fixture_path("unsigned.pdf")); }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, from.size(), from) == 0) { out += to; i += from.size(); }
    else out += s[i++];
  }
  return out;
}

// unix2dos: a lone LF becomes CRLF, an existing CRLF stays.
std::string unix2dos(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

std::string latin1_to_utf8(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x80) out += static_cast<char>(c);
    else { out += static_cast<char>(0xC0 | (c >> 6)); out += static_cast<char>(0x80 | (c & 0x3F)); }
  }
  return out;
}

std::string with_line_breaks(const std::string& b64, size_t width) {
  std::string out;
  for (size_t i = 0; i < b64.size(); i += width) out += b64.substr(i, width) + "\r\n";
  return out;
}

const Finding* damage_finding(const DocumentReport& r, const std::string& code) {
  for (const Finding& f : r.findings)
    if (f.code == code) return &f;
  return nullptr;
}

struct Case {
  const char* name;
  std::string (*damage)(const std::string&);
  const char* code;
  bool reversible;
};

const Case kCases[] = {
    {"lf_to_crlf", [](const std::string& s) { return unix2dos(s); }, "DAMAGE_LINE_ENDINGS", true},
    {"crlf_to_lf", [](const std::string& s) { return replace_all(s, "\r\n", "\n"); }, "DAMAGE_LINE_ENDINGS", true},
    {"lf_to_cr", [](const std::string& s) { return replace_all(replace_all(s, "\r\n", "\r\r"), "\n", "\r"); }, "DAMAGE_LINE_ENDINGS", true},
    {"base64", [](const std::string& s) { return core::base64_encode(s); }, "DAMAGE_BASE64", true},
    {"base64_lines", [](const std::string& s) { return with_line_breaks(core::base64_encode(s), 76); }, "DAMAGE_BASE64", true},
    {"base64_twice", [](const std::string& s) { return core::base64_encode(core::base64_encode(s)); }, "DAMAGE_BASE64", true},
    {"data_url", [](const std::string& s) { return "data:application/pdf;base64," + core::base64_encode(s); }, "DAMAGE_BASE64", true},
    {"latin1_as_utf8", [](const std::string& s) { return latin1_to_utf8(s); }, "DAMAGE_REENCODED", true},
    {"zeros_after_text", [](const std::string& s) { return s + "\r\n\r\n" + std::string(4096, '\0') + "x"; }, "DAMAGE_TRAILING_BYTES", true},
    {"cut_and_zero_filled", [](const std::string& s) { return s.substr(0, s.size() / 2) + std::string(s.size() / 2, '\0'); },
     "DAMAGE_TRUNCATED", false},
    {"multipart_end", [](const std::string& s) { return s + "\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n"; },
     "DAMAGE_TRAILING_BYTES", true},
    {"bom", [](const std::string& s) { return "\xEF\xBB\xBF" + s; }, "DAMAGE_LEADING_BYTES", true},
    {"http_headers", [](const std::string& s) {
       return "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: " + std::to_string(s.size()) + "\r\n\r\n" + s;
     }, "DAMAGE_LEADING_BYTES", true},
    {"multipart_whole", [](const std::string& s) {
       return "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hs.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" + s +
              "\r\n--XyZ--\r\n";
     }, "DAMAGE_LEADING_BYTES", true},
    {"truncated", [](const std::string& s) { return s.substr(0, s.size() * 2 / 3); }, "DAMAGE_TRUNCATED", false},
    {"concatenated", [](const std::string& s) { return s + test::read_file(test::fixture_path("unsigned.pdf")); }, "DAMAGE_CONCATENATED", true},
};

class TransferDamage : public ::testing::TestWithParam<Case> {};

TEST_P(TransferDamage, FoundWithItsCodeAndTheOriginalVerifies) {
  if (!have_fixtures()) GTEST_SKIP() << "fixtures not generated";
  const Case& c = GetParam();
  Verifier verifier(test::test_gov_options());
  ASSERT_EQ(verifier.verify(signed_pdf(), "ok.pdf").indication, Indication::total_passed);
  const std::string damaged = c.damage(signed_pdf());
  DocumentReport report = verifier.verify(damaged, std::string(c.name) + ".pdf");
  const Finding* f = damage_finding(report, c.code);
  ASSERT_NE(f, nullptr) << report.to_text();
  EXPECT_EQ(f->evidence.at("reversible"), c.reversible ? "true" : "false");
  EXPECT_FALSE(f->evidence.at("class").empty());
  // The verdict on the bytes received never becomes the recovered one (bytes after the end leave the
  // signatures intact: that verdict may pass, with the error UNSIGNED_DATA_AFTER_LAST_REVISION).
  if (!report.has_finding("UNSIGNED_DATA_AFTER_LAST_REVISION")) EXPECT_NE(report.indication, Indication::total_passed);
  if (!c.reversible) {
    EXPECT_EQ(report.recovered, nullptr);
    return;
  }
  ASSERT_NE(report.recovered, nullptr) << report.to_text();
  EXPECT_EQ(report.recovered->indication, Indication::total_passed) << report.to_text();
  EXPECT_FALSE(report.recovery_method.empty());
  RecoveredOriginal original = recover(verifier, damaged, c.name);
  EXPECT_EQ(original.bytes, signed_pdf());
}

INSTANTIATE_TEST_SUITE_P(Classes, TransferDamage, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

TEST(TransferDamage, TruncationSaysWhetherTheSignedPartSurvived) {
  if (!have_fixtures()) GTEST_SKIP() << "fixtures not generated";
  Verifier verifier(test::test_gov_options());
  const std::string& pdf = signed_pdf();
  DocumentReport cut = verifier.verify(pdf.substr(0, pdf.size() - 40), "cut.pdf");
  const Finding* f = damage_finding(cut, "DAMAGE_TRUNCATED");
  ASSERT_NE(f, nullptr) << cut.to_text();
  EXPECT_EQ(f->evidence.at("signed_part_intact"), "false");
  EXPECT_EQ(f->evidence.at("missing_at_least"), "40");
}

// Zeros after a complete file (a preallocating download layer) are blanks to a PDF reader: the file
// verifies as received, and the zeros are still named (the channel that adds them is worth finding).
TEST(TransferDamage, ZerosAfterACompleteFilePassAndAreNamed) {
  if (!have_fixtures()) GTEST_SKIP() << "fixtures not generated";
  Verifier verifier(test::test_gov_options());
  DocumentReport r = verifier.verify(signed_pdf() + std::string(4096, '\0'), "zeros.pdf");
  EXPECT_EQ(r.indication, Indication::total_passed);
  const Finding* f = damage_finding(r, "DAMAGE_TRAILING_BYTES");
  ASSERT_NE(f, nullptr) << r.to_text();
  EXPECT_EQ(f->evidence.at("kind"), "zeros");
  ASSERT_NE(r.recovered, nullptr);
  EXPECT_EQ(r.recovered->indication, Indication::total_passed);
}

TEST(TransferDamage, AHealthyOrTamperedFileShowsNoDamage) {
  if (!have_fixtures()) GTEST_SKIP() << "fixtures not generated";
  Verifier verifier(test::test_gov_options());
  DocumentReport ok = verifier.verify(signed_pdf(), "ok.pdf");
  for (const Finding& f : ok.findings) EXPECT_NE(f.code.rfind("DAMAGE_", 0), 0u) << f.code;
  // A byte changed inside the signed range is tampering, not transport damage.
  std::string tampered = signed_pdf();
  size_t year = tampered.find("(D:2026", tampered.size() / 2);
  ASSERT_NE(year, std::string::npos);
  tampered[year + 6] = '7';
  DocumentReport changed = verifier.verify(tampered, "tampered.pdf");
  EXPECT_EQ(changed.indication, Indication::total_failed);
  for (const Finding& f : changed.findings) EXPECT_NE(f.code.rfind("DAMAGE_", 0), 0u) << f.code;
  EXPECT_EQ(changed.recovered, nullptr);
  try {
    recover(verifier, signed_pdf(), "ok.pdf");
    FAIL() << "a healthy file has nothing to recover";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "RECOVER_NOT_DAMAGED");
  }
}

TEST(TransferDamage, RecoverRefusesAnOriginalThatDoesNotVerify) {
  if (!have_fixtures()) GTEST_SKIP() << "fixtures not generated";
  Verifier verifier(test::test_gov_options());
  std::string tampered = signed_pdf();
  size_t year = tampered.find("(D:2026", tampered.size() / 2);
  tampered[year + 6] = '7';
  try {
    recover(verifier, core::base64_encode(tampered), "tampered.b64");
    FAIL() << "the decoded original fails";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "RECOVER_REFUSED");
  }
}

TEST(TransferDamage, JunkStaysAnErrorAsBefore) {
  Verifier verifier;
  EXPECT_THROW(verifier.verify("hello, this is not a document", "junk.pdf"), Error);
  EXPECT_THROW(verifier.verify(std::string(1000, '\r'), "crs.bin"), Error);
}

// Hostile inputs: large, shaped like damage, must end fast with nothing (or a typed error).
TEST(TransferDamage, HostileInputsEndFast) {
  using Clock = std::chrono::steady_clock;
  std::string junk(37u << 20, '\0');
  uint32_t x = 12345;
  for (char& c : junk) { x = x * 1103515245u + 12345u; c = static_cast<char>(x >> 24); }
  const std::string b64 = with_line_breaks(core::base64_encode(junk), 76);  // ~50 MB
  std::string crs(50u << 20, '\r');
  std::string pdf_crs = "%PDF-1.7\n" + std::string(20u << 20, '\r');
  for (const std::string* input : std::vector<const std::string*>{&b64, &crs, &pdf_crs}) {
    auto start = Clock::now();
    damage::FailureContext context;
    context.error_code = "INPUT_NOT_PDF";
    std::vector<damage::Damage> found = damage::find_damage(*input, context);
    EXPECT_TRUE(found.empty() || !found[0].candidate);
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 5.0);
  }
  Verifier verifier;
  auto start = Clock::now();
  EXPECT_THROW(verifier.verify(b64, "big.pdf"), Error);
  EXPECT_THROW(verifier.verify(crs, "crs.pdf"), Error);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 10.0);
}

}  // namespace
}  // namespace libsign
