// damage/rewrite: a whole-file rewrite after signing is told from an incremental change and from an
// in-place edit. (Real re-savers — qpdf, Ghostscript — are driven in tests/interop/test_resavers.py.)
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "damage/rewrite.hpp"
#include "pdf_builder.hpp"
#include "report/finding.hpp"
#include "test_pki.hpp"

namespace {

using namespace libsign;

DocumentReport verify_fixture(const std::string& name, std::string& bytes) {
  bytes = test::read_file(test::fixture_path(name));
  return Verifier(test::test_gov_options()).verify_pdf(bytes, name);
}

TEST(DamageRewrite, ToolsNamedByProducerStrings) {
  EXPECT_EQ(damage::rewriting_tool_named("GPL Ghostscript 10.00.0"), "Ghostscript");
  EXPECT_EQ(damage::rewriting_tool_named("Microsoft: Print To PDF"), "Microsoft Print to PDF");
  EXPECT_EQ(damage::rewriting_tool_named("Skia/PDF m120"), "Chrome print to PDF (Skia/PDF)");
  EXPECT_EQ(damage::rewriting_tool_named("qpdf 11.3.0"), "qpdf");
  // Signing and authoring tools are not rewriters.
  EXPECT_EQ(damage::rewriting_tool_named("iText 5.5.13; modified using iText"), "");
  EXPECT_EQ(damage::rewriting_tool_named("LibreOffice 7.4"), "");
}

TEST(DamageRewrite, MarksOfAFileReadFromItsBytes) {
  pdftest::Builder b("%PDF-1.7\n%\xBF\xF7\xA2\xFE\n");
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.obj(3, "<< /Producer (GPL Ghostscript 10.00.0) >>");
  b.xref_table(4, "/Root 1 0 R /Info 3 0 R");
  auto marks = damage::read_rewrite_marks(b.data);
  ASSERT_TRUE(marks.has_value());
  EXPECT_EQ(marks->revisions, 1u);
  EXPECT_EQ(marks->header_comment, "bff7a2fe");
  EXPECT_EQ(marks->producer, "GPL Ghostscript 10.00.0");
  EXPECT_EQ(marks->tool, "Ghostscript");  // the producer wins over the header comment
  EXPECT_FALSE(marks->linearized);
  EXPECT_FALSE(damage::read_rewrite_marks("not a pdf").has_value());
}

TEST(DamageRewrite, IncrementalChangesAndInPlaceEditsAreNotRewrites) {
  for (const char* name : {"official.pdf", "then-annotation.pdf", "approval-then-fill.pdf", "then-content-change.pdf",
                           "tampered.pdf", "two-signatures.pdf"}) {
    if (!test::file_exists(test::fixture_path(name))) GTEST_SKIP() << "fixtures not made (ctest -R make_fixtures)";
    std::string bytes;
    DocumentReport r = verify_fixture(name, bytes);
    EXPECT_FALSE(damage::find_rewrite(bytes, r).has_value()) << name;
  }
}

TEST(DamageRewrite, BytesMovedAroundTheSignatureAreARewrite) {
  if (!test::file_exists(test::fixture_path("official.pdf"))) GTEST_SKIP() << "fixtures not made";
  std::string bytes;
  DocumentReport r = verify_fixture("official.pdf", bytes);
  // Layout codes alone are not enough: the signature value has not moved in this file.
  ASSERT_EQ(r.signatures.size(), 1u);
  r.signatures[0].indication = Indication::total_failed;
  r.signatures[0].findings.push_back(report::make_finding("BYTERANGE_HOLE_NOT_CONTENTS"));
  r.signatures[0].findings.push_back(report::make_finding("DIGEST_MISMATCH"));
  EXPECT_FALSE(damage::find_rewrite(bytes, r).has_value());

  // Every byte after the header moved by a comment line: the value is elsewhere, the range is not.
  std::string moved = bytes;
  moved.insert(moved.find('\n') + 1, "% re-saved\n");
  DocumentReport m = Verifier(test::test_gov_options()).verify_pdf(moved, "moved.pdf");
  auto f = damage::find_rewrite(moved, m);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, "DAMAGE_REWRITTEN");
  EXPECT_EQ(f->evidence.at("class"), "rewritten");
  EXPECT_EQ(f->evidence.at("reversible"), "false");
  EXPECT_EQ(f->evidence.at("field"), m.signatures[0].field_name);
  EXPECT_EQ(f->evidence.at("file_size"), std::to_string(moved.size()));

  // The same with a broken signature value is not called a rewrite (nothing survived to compare).
  m.signatures[0].findings.push_back(report::make_finding("CMS_MALFORMED"));
  EXPECT_FALSE(damage::find_rewrite(moved, m).has_value());
}

}  // namespace

namespace {

// qpdf, when installed, rewrites a signed fixture for real (the CLI side is in tests/interop/test_resavers.py).
TEST(DamageRewrite, QpdfRewritesAreFoundWithTheirMarks) {
  if (std::system("command -v qpdf >/dev/null 2>&1") != 0) GTEST_SKIP() << "qpdf not installed";
  if (!libsign::test::file_exists(libsign::test::fixture_path("official.pdf"))) GTEST_SKIP() << "fixtures not made";
  const std::string out = ::testing::TempDir() + "damage_rewrite_qpdf.pdf";
  for (const std::string option : {"", "--linearize", "--object-streams=generate"}) {
    std::string command = "qpdf " + option + " '" + libsign::test::fixture_path("official.pdf") + "' '" + out + "'";
    ASSERT_NE(std::system(command.c_str()), -1);
    std::string bytes = libsign::test::read_file(out);
    libsign::DocumentReport r = libsign::Verifier(libsign::test::test_gov_options()).verify_pdf(bytes, "rewritten.pdf");
    auto f = libsign::damage::find_rewrite(bytes, r);
    ASSERT_TRUE(f.has_value()) << option;
    EXPECT_EQ(f->evidence.at("tool"), "qpdf") << option;
    EXPECT_EQ(f->evidence.at("revisions"), "1") << option;
    EXPECT_EQ(f->evidence.at("linearized"), option == "--linearize" ? "true" : "false");
    EXPECT_EQ(f->evidence.at("object_streams"), option == "--object-streams=generate" ? "true" : "false");
  }
  std::remove(out.c_str());
}

}  // namespace
