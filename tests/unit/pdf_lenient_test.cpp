// libsign pdf — the lenient reader: what real producers write (comments, odd line ends, sloppy xref tables,
// wrong offsets and lengths) is read, every repair is listed, and a rebuilt file keeps its per-revision view.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "libsign/error.hpp"
#include "pdf/document.hpp"
#include "pdf_builder.hpp"

using namespace libsign::pdf;
using pdftest::Builder;

namespace {

Builder minimal() {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  return b;
}

std::set<std::string> kinds(const Document& doc) {
  std::set<std::string> out;
  for (const auto& r : doc.repairs()) out.insert(r.kind);
  return out;
}

std::string code_of(const std::string& bytes) {
  try {
    Document::open(bytes);
  } catch (const libsign::Error& e) {
    return e.code();
  }
  return "OK";
}

// Replaces the first occurrence of `from` (which must exist).
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Two revisions: object 3 is "(old)" in the first and "(new)" in the second.
Builder two_revisions() {
  Builder b = minimal();
  b.obj(3, "(old)");
  b.xref_table(4);
  b.obj(3, "(new)");
  b.xref_table(4);
  return b;
}

}  // namespace

TEST(PdfLenient, CommentBeforeStartxrefIsWhitespace) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = replaced(b.data, "startxref", "%iText-5.5.13 (c) 1998-2019\nstartxref");
  Document doc = Document::open(s);
  EXPECT_TRUE(doc.repairs().empty());
  EXPECT_EQ(doc.revisions()[0].end_offset, s.size());
}

TEST(PdfLenient, CarriageReturnOnlyLineEnds) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = b.data;
  // Same length: every LF becomes a CR, so the offsets stay right.
  std::replace(s.begin(), s.end(), '\n', '\r');
  Document doc = Document::open(s);
  EXPECT_TRUE(doc.catalog(0)->is_dict());
  EXPECT_TRUE(doc.repairs().empty());
}

TEST(PdfLenient, NoEolBeforeEndobjOrEndstream) {
  Builder b = minimal();
  size_t at = b.data.size();
  b.data += "3 0 obj<</Length 3>>stream\nabcendstream endobj 4 0 obj(x)endobj\n";
  b.data += "xref\n0 5\n0000000000 65535 f \n";
  char line[32];
  for (size_t off : {b.data.find("1 0 obj"), b.data.find("2 0 obj"), at, b.data.find("4 0 obj")}) {
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    b.data += line;
  }
  size_t xref = b.data.rfind("xref");
  b.data += "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  Document doc = Document::open(b.data);
  auto s = doc.object(Ref{3, 0}, 0);
  ASSERT_TRUE(s->is_stream());
  EXPECT_EQ(doc.stream_data(*s), "abc");
  EXPECT_EQ(doc.object(Ref{4, 0}, 0)->as_string(), "x");
  EXPECT_TRUE(doc.repairs().empty());
}

TEST(PdfLenient, BytesAfterTheLastEofAreReported) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = b.data + std::string(3000, 'J');  // more than the tail window
  Document doc = Document::open(s);
  EXPECT_TRUE(kinds(doc).count("eof-marker"));
  EXPECT_FALSE(doc.reconstructed());
}

TEST(PdfLenient, MissingEofMarkerIsRepaired) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = b.data.substr(0, b.data.size() - 6);  // "%%EOF\n" gone
  Document doc = Document::open(s);
  EXPECT_TRUE(kinds(doc).count("eof-marker"));
}

TEST(PdfLenient, PrevZeroAndPrevLoopEndTheChain) {
  Builder b = two_revisions();
  // /Prev 0 in the newest section: the chain ends there (one revision left, the newest).
  size_t first_xref = b.data.find("xref");
  std::string prev = "/Prev " + std::to_string(first_xref);
  std::string zero = replaced(b.data, prev, "/Prev 0" + std::string(prev.size() - 7, ' '));
  Document d0 = Document::open(zero);
  EXPECT_TRUE(kinds(d0).count("prev-chain"));
  EXPECT_EQ(d0.object(Ref{3, 0}, d0.last_revision())->as_string(), "new");

  // A /Prev that points at the section itself: sections may be missing from the chain, so the revisions are
  // rebuilt by scanning (as qpdf and poppler do), and both stay visible.
  size_t second_xref = b.data.rfind("\nxref\n") + 1;
  std::string loop = replaced(b.data, prev, "/Prev " + std::to_string(second_xref));
  Document dl = Document::open(loop);
  EXPECT_TRUE(dl.reconstructed());
  ASSERT_EQ(dl.revisions().size(), 2u);
  EXPECT_EQ(dl.object(Ref{3, 0}, 0)->as_string(), "old");
}

TEST(PdfLenient, SubsectionCountThatDisagreesWithItsEntries) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = replaced(b.data, "xref\n0 3\n", "xref\n0 5\n");
  Document doc = Document::open(s);
  EXPECT_TRUE(kinds(doc).count("xref-table"));
  EXPECT_TRUE(doc.catalog(0)->is_dict());
}

TEST(PdfLenient, TableNumberedFromOneWithTheFreeHead) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = replaced(b.data, "xref\n0 3\n", "xref\n1 3\n");
  Document doc = Document::open(s);
  EXPECT_TRUE(kinds(doc).count("xref-table"));
  EXPECT_EQ(doc.object(Ref{2, 0}, 0)->get("Type")->as_name(), "Pages");
}

TEST(PdfLenient, ShiftedOffsetsAreFoundNearbyOrByScanning) {
  Builder b = minimal();
  b.obj(3, "(three)");
  b.xref_table(4);
  // Insert 20 bytes of junk after the header: every offset is now 20 too small.
  std::string s = b.data;
  s.insert(s.find("1 0 obj"), "% twenty bytes junk\n");
  Document doc = Document::open(s);
  EXPECT_EQ(doc.object(Ref{3, 0}, 0)->as_string(), "three");
  auto k = kinds(doc);
  EXPECT_TRUE(k.count("xref-offset"));
  EXPECT_TRUE(k.count("object-offset"));
  EXPECT_FALSE(doc.reconstructed());
}

TEST(PdfLenient, EntryPastTheEndIsFoundByScanning) {
  Builder b = minimal();
  b.obj(3, "(three)");
  b.xref_table(4);
  std::string s = b.data;
  char line[32];
  std::snprintf(line, sizeof line, "%010zu 00000 n", s.find("3 0 obj"));
  s = replaced(s, line, "9999999999 00000 n");
  Document doc = Document::open(s);
  EXPECT_EQ(doc.object(Ref{3, 0}, 0)->as_string(), "three");
  EXPECT_TRUE(kinds(doc).count("xref-entry"));
}

TEST(PdfLenient, WrongStreamLengthsEndAtEndstream) {
  Builder b = minimal();
  b.obj(3, "<< /Length 999 >>\nstream\nhello\nendstream");
  b.obj(4, "<< /Length 7 0 R >>\nstream\nworld\r\nendstream");  // 7 is not defined
  b.obj(5, "<< /Length 2 >>\nstream\nlonger than two\nendstream");
  b.xref_table(6);
  Document doc = Document::open(b.data);
  EXPECT_EQ(doc.stream_data(*doc.object(Ref{3, 0}, 0)), "hello");
  EXPECT_EQ(doc.stream_data(*doc.object(Ref{4, 0}, 0)), "world");
  EXPECT_EQ(doc.stream_data(*doc.object(Ref{5, 0}, 0)), "longer than two");
  EXPECT_EQ(doc.repairs().size(), 3u);
  EXPECT_TRUE(kinds(doc).count("stream-length"));
}

TEST(PdfLenient, UnusableXrefIsRebuiltPerRevision) {
  Builder b = two_revisions();
  // Both startxref values point at garbage: nothing of the xref can be used.
  std::string s = b.data;
  for (size_t at = s.find("startxref\n"); at != std::string::npos; at = s.find("startxref\n", at + 1)) {
    size_t num = at + 10, end = s.find('\n', num);
    s.replace(num, end - num, std::string(end - num, '7'));
  }
  Document doc = Document::open(s);
  EXPECT_TRUE(doc.reconstructed());
  ASSERT_EQ(doc.revisions().size(), 2u);
  EXPECT_EQ(doc.object(Ref{3, 0}, 0)->as_string(), "old");
  EXPECT_EQ(doc.object(Ref{3, 0}, 1)->as_string(), "new");
  EXPECT_EQ(doc.revisions()[0].end_offset, b.data.find("%%EOF") + 6);
  EXPECT_EQ(doc.revisions()[1].end_offset, s.size());
  EXPECT_TRUE(kinds(doc).count("reconstructed"));
  for (const auto& r : doc.repairs()) EXPECT_TRUE(r.revision.has_value());
}

TEST(PdfLenient, RebuiltFileWithoutTrailerFindsTheCatalog) {
  Builder b = minimal();
  b.obj(3, "(x)");
  std::string s = b.data + "%%EOF\n";  // no xref, no trailer, no startxref
  Document doc = Document::open(s);
  EXPECT_TRUE(doc.reconstructed());
  EXPECT_TRUE(doc.catalog(doc.last_revision())->key_is_name("Type", "Catalog"));
}

TEST(PdfLenient, RebuildFindsObjectsInObjectStreams) {
  Builder b = minimal();
  b.objstm(5, {{3, "(in stream)"}, {4, "<< /K 1 >>"}});
  b.xref_stream(6, 7);
  std::string s = b.data;
  size_t at = s.rfind("startxref\n") + 10;
  s.replace(at, s.find('\n', at) - at, "1");  // startxref 1: garbage
  Document doc = Document::open(s);
  EXPECT_TRUE(doc.reconstructed());
  EXPECT_EQ(doc.object(Ref{3, 0}, doc.last_revision())->as_string(), "in stream");
}

TEST(PdfLenient, ObjectInsideStreamDataIsNotTakenForAnObject) {
  Builder b = minimal();
  b.stream(3, "", "4 0 obj (fake) endobj");
  b.obj(4, "(real)");
  std::string s = b.data + "trailer\n<< /Size 5 /Root 1 0 R >>\n%%EOF\n";
  Document doc = Document::open(s);
  EXPECT_TRUE(doc.reconstructed());
  EXPECT_EQ(doc.object(Ref{4, 0}, 0)->as_string(), "real");
}

TEST(PdfLenient, HostileInputStillEndsInATypedError) {
  EXPECT_EQ(code_of(""), "INPUT_EMPTY");
  EXPECT_EQ(code_of("%PDF-1.7\n"), "INPUT_TRUNCATED");
  EXPECT_EQ(code_of("%PDF-1.7\n1 0 obj\n<< /Type /Pages >>\nendobj\n%%EOF\n"), "PDF_MALFORMED");  // no catalog
  std::string many = "%PDF-1.7\n";
  for (int i = 0; i < 20000; ++i) many += "1 0 obj << /Length 5 >> stream\n";
  EXPECT_EQ(code_of(many), "PDF_MALFORMED");  // every stream read by its /Length, and no catalog
}


TEST(PdfLenient, AnUpdateWithoutItsXrefIsReadOrCalledTruncated) {
  Builder b = two_revisions();
  size_t second = b.data.rfind("3 0 obj");
  size_t second_xref = b.data.rfind("\nxref\n") + 1;
  // Cut before the update's xref: its object is complete, so the update is rebuilt as a revision.
  const std::string cut = b.data.substr(0, second_xref);  // a Document only views its bytes
  Document doc = Document::open(cut);
  EXPECT_TRUE(doc.reconstructed());
  ASSERT_EQ(doc.revisions().size(), 2u);
  EXPECT_EQ(doc.object(Ref{3, 0}, 1)->as_string(), "new");
  // Cut inside the update's object: the file was cut off; no view that hides the update is offered.
  EXPECT_EQ(code_of(b.data.substr(0, second + 10)), "INPUT_TRUNCATED");
}

TEST(PdfLenient, StrayTokensInDictionariesAndArraysAreSkipped) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /X 1 0 R 0 R /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [ ] /Count 0 /Arr [1 bogus 2] >>");
  b.xref_table(3);
  Document doc = Document::open(b.data);
  EXPECT_EQ(doc.catalog(0)->get("Pages")->as_ref(), (Ref{2, 0}));
  auto arr = doc.get(doc.object(Ref{2, 0}, 0), "Arr", 0);
  ASSERT_EQ(arr->items().size(), 2u);
  EXPECT_TRUE(kinds(doc).count("object-syntax"));
  // The standalone parser (object streams, tests) stays strict.
  libsign::pdf::Parser strict("<< /X 1 0 R 0 R >>");
  EXPECT_THROW(strict.parse_object(), libsign::Error);
}

TEST(PdfLenient, AnEntryRedirectedToAnotherObjectIsNamedAndNeverConfusesTheTwo) {
  Builder b = minimal();
  b.obj(3, "(legit content)");
  b.obj(50, "(shadow content)");
  b.xref_table(51);
  // A later section with no objects: its xref gives object 3 the offset of object 50.
  size_t prev = b.data.find("xref");
  size_t at = b.data.size();
  char line[32];
  std::snprintf(line, sizeof line, "%010zu 00000 n \n", b.data.find("50 0 obj"));
  b.data += std::string("xref\n3 1\n") + line + "trailer\n<< /Size 51 /Root 1 0 R /Prev " + std::to_string(prev) +
            " >>\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 2u);
  // Both orders of first use give the same answers: the cache never hands one number the other's object.
  EXPECT_EQ(doc.object(Ref{3, 0}, 1)->as_string(), "legit content");
  EXPECT_EQ(doc.object(Ref{50, 0}, 1)->as_string(), "shadow content");
  Document again = Document::open(b.data);
  EXPECT_EQ(again.object(Ref{50, 0}, 1)->as_string(), "shadow content");
  EXPECT_EQ(again.object(Ref{3, 0}, 1)->as_string(), "legit content");
  bool named = false;
  for (const auto& r : doc.repairs())
    if (r.kind == "xref-mismatch") named = r.revision == std::optional<size_t>(1);
  EXPECT_TRUE(named);
}

TEST(PdfLenient, SkippingStrayTokensStaysLinearHoweverTheDamageNests) {
  // Every level holds a stray token and the innermost one never closes: a parser that re-parsed nested
  // values after a failure would take time exponential in the depth (60 levels here).
  std::string nested;
  for (int i = 0; i < 60; ++i) nested += "<< /K 1 0 stray ";
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.obj(3, nested);
  b.xref_table(4);
  Document doc = Document::open(b.data);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(doc.object(Ref{3, 0}, 0)->is_null());  // unterminated: null (object-syntax), never what follows it
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}
