// libsign inspect — what the last revision's view holds (page count, resolved objects, /Producer),
// the numbers scripts/compat_report.py compares with qpdf.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "inspect/last_view.hpp"
#include "pdf/document.hpp"
#include "pdf_builder.hpp"

using libsign::inspect::last_view_summary;
using libsign::pdf::Document;
using nlohmann::json;
using pdftest::Builder;

TEST(InspectLastView, CountsPagesAsReadersDo) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  // Page 3 twice, a direct page, and a /Pages node that loops back to the root but also has page 5.
  b.obj(2, "<< /Type /Pages /Kids [3 0 R 3 0 R << /Type /Page /MediaBox [0 0 10 10] >> 4 0 R 9 0 R] /Count 5 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>");
  b.obj(4, "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 5 0 R 4 0 R] /Count 1 >>");
  b.obj(5, "<< /Type /Page /Parent 4 0 R /MediaBox [0 0 10 10] >>");
  b.xref_table(6);
  json view = last_view_summary(Document::open(b.data));
  // 3, 3, the direct one, 5; 9 0 R is undefined and the loops add nothing.
  EXPECT_EQ(view["pages"], 4);
  EXPECT_TRUE(view["pages_error"].is_null());
}

TEST(InspectLastView, FollowsADeepPageTree) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  // 100 levels of /Pages, deeper than the nesting limit for one object, as qpdf's deep-pages.pdf.
  for (uint32_t n = 2; n < 102; ++n) b.obj(n, "<< /Type /Pages /Kids [" + std::to_string(n + 1) + " 0 R] /Count 1 >>");
  b.obj(102, "<< /Type /Page >>");
  b.xref_table(103);
  EXPECT_EQ(last_view_summary(Document::open(b.data))["pages"], 1);
}

TEST(InspectLastView, AnObjectReadAsNullIsNotListed) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids ] /Count 0 >>");  // a stray ']': the reader repairs it to null
  b.xref_table(3);
  Document doc = Document::open(b.data);
  json view = last_view_summary(doc);
  EXPECT_EQ(view["pages"], 0);
  EXPECT_TRUE(view["pages_error"].is_null());
  EXPECT_EQ(view["objects"]["numbers"], json::array({1}));
  EXPECT_EQ(view["objects"]["unreadable"], json::array());
  ASSERT_FALSE(doc.repairs().empty());
  EXPECT_EQ(doc.repairs().front().kind, "object-syntax");
}

TEST(InspectLastView, AnUnreadablePageTreeIsReportedNotThrown) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  // The kid is a chain of 40 references: longer than the reader follows.
  for (uint32_t n = 3; n < 43; ++n) b.obj(n, std::to_string(n + 1) + " 0 R");
  b.obj(43, "<< /Type /Page /Parent 2 0 R >>");
  b.xref_table(44);
  json view = last_view_summary(Document::open(b.data));
  EXPECT_TRUE(view["pages"].is_null());
  EXPECT_EQ(view["pages_error"].get<std::string>().rfind("PDF_MALFORMED: ", 0), 0u) << view["pages_error"];
  EXPECT_EQ(view["objects"]["count"], 43);
}

TEST(InspectLastView, ListsObjectsADamagedXrefLost) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R >>");
  b.xref_table(4);
  // An unreadable line in the table: the entries of 2 and 3 are lost, the objects are not.
  char line[32];
  std::snprintf(line, sizeof line, "%010zu 00000 n \n", b.data.find("2 0 obj"));
  size_t at = b.data.rfind(line);
  ASSERT_NE(at, std::string::npos);
  b.data.replace(at, 19, "this line is junk\n");
  Document doc = Document::open(b.data);
  ASSERT_FALSE(doc.repairs().empty());
  json view = last_view_summary(doc);
  EXPECT_EQ(view["objects"]["numbers"], json::array({1, 2, 3}));
  EXPECT_EQ(view["pages"], 1);
}

TEST(InspectLastView, ListsTheObjectsTheLastViewResolves) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.obj(3, "null");
  b.obj(4, "(freed later)");
  b.objstm(5, {{6, "<< /In /ObjStm >>"}});
  b.obj(7, "<< /Producer (Old producer) >>");
  b.xref_stream(8, 9, "/Root 1 0 R /Info 7 0 R");
  b.free_obj(4);
  b.obj(9, "<< /Producer <FEFF0050006800fa> >>");  // "Phú" in UTF-16BE
  b.xref_stream(10, 11, "/Root 1 0 R /Info 9 0 R");
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 2u);
  json view = last_view_summary(doc);
  EXPECT_EQ(view["index"], 1);
  // 3 is null and 4 was freed by the last revision: neither resolves to an object. The object
  // stream, the object inside it and the xref streams do.
  EXPECT_EQ(view["objects"]["numbers"], json::array({1, 2, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(view["objects"]["count"], 8);
  EXPECT_EQ(view["objects"]["unreadable"], json::array());
  EXPECT_EQ(view["producer"], "Ph\xC3\xBA");
  EXPECT_EQ(view["pages"], 0);
}

TEST(InspectLastView, NoInfoMeansNoProducer) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R >>");
  b.xref_table(4);
  json view = last_view_summary(Document::open(b.data));
  EXPECT_TRUE(view["producer"].is_null());
  EXPECT_EQ(view["pages"], 1);
}
