// libsign pdf — where a changed object is, for a person: its page and its kind (change_places.cpp).
#include <gtest/gtest.h>

#include "pdf/changes.hpp"
#include "pdf_builder.hpp"

using namespace libsign::pdf;

namespace {

// Signed revision 0: two pages (3 with content 4 and font 13, 14 with content 15), a text field "name"
// (9, widget on page 1) and /Info 12. /Size 16.
pdftest::Builder two_pages() {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R 14 0 R] /Count 2 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 13 0 R >> >> /Annots [9 0 R] >>");
  b.stream(4, "", "BT /F1 12 Tf (Hello) Tj ET");
  b.obj(5, "<< /Fields [9 0 R] >>");
  b.obj(9, "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [0 20 10 30] /P 3 0 R /V (a) >>");
  b.obj(12, "<< /Producer (test) >>");
  b.obj(13, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  b.obj(14, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 15 0 R >>");
  b.stream(15, "", "BT /F1 12 Tf (Page two) Tj ET");
  b.xref_table(16, "/Root 1 0 R /Info 12 0 R");
  return b;
}

std::vector<ChangedObject> changes_of(pdftest::Builder& b) {
  Document doc = Document::open(b.data);
  auto changes = analyse_changes(doc, 0);
  EXPECT_EQ(changes.size(), 1u);
  return changes.empty() ? std::vector<ChangedObject>{} : changes[0].objects;
}

const ChangedObject* find(const std::vector<ChangedObject>& objects, uint32_t num) {
  for (const auto& o : objects)
    if (o.ref.num == num) return &o;
  return nullptr;
}

}  // namespace

TEST(ChangePlaces, ContentOfTheSecondPage) {
  auto b = two_pages();
  b.stream(15, "", "BT /F1 12 Tf (Page 2, changed) Tj ET");
  b.xref_table(16, "/Root 1 0 R /Info 12 0 R");
  auto objects = changes_of(b);
  const ChangedObject* c = find(objects, 15);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, "page_content");
  EXPECT_EQ(c->page, 2);
  EXPECT_EQ(c->level, ModificationLevel::Other);
}

TEST(ChangePlaces, FontOfThePageAndPageKeys) {
  auto b = two_pages();
  b.obj(13, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>");
  b.obj(14, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Rotate 90 /Contents 15 0 R >>");
  b.xref_table(16, "/Root 1 0 R /Info 12 0 R");
  auto objects = changes_of(b);
  ASSERT_NE(find(objects, 13), nullptr);
  EXPECT_EQ(find(objects, 13)->kind, "page_resources");
  EXPECT_EQ(find(objects, 13)->page, 1);
  ASSERT_NE(find(objects, 14), nullptr);
  EXPECT_EQ(find(objects, 14)->kind, "page");
  EXPECT_EQ(find(objects, 14)->page, 2);
}

TEST(ChangePlaces, PageAddedAndPageRemoved) {
  {
    auto b = two_pages();
    b.obj(2, "<< /Type /Pages /Kids [3 0 R 14 0 R 16 0 R] /Count 3 >>");
    b.obj(16, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 17 0 R >>");
    b.stream(17, "", "BT /F1 12 Tf (Added) Tj ET");
    b.xref_table(18, "/Root 1 0 R /Info 12 0 R");
    auto objects = changes_of(b);
    ASSERT_NE(find(objects, 2), nullptr);
    EXPECT_EQ(find(objects, 2)->kind, "page_added");
    EXPECT_EQ(find(objects, 2)->page, 3);
    EXPECT_EQ(find(objects, 2)->level, ModificationLevel::Other);
  }
  {
    auto b = two_pages();
    b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    b.xref_table(16, "/Root 1 0 R /Info 12 0 R");
    auto objects = changes_of(b);
    ASSERT_NE(find(objects, 2), nullptr);
    EXPECT_EQ(find(objects, 2)->kind, "page_removed");
    EXPECT_EQ(find(objects, 2)->page, 2);
  }
}

TEST(ChangePlaces, FormFieldAnnotationAndDocument) {
  auto b = two_pages();
  b.obj(9, "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [0 20 10 30] /P 3 0 R /V (a) /F 2 >>");
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /OpenAction << /S /JavaScript /JS (x) >> >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 13 0 R >> >> /Annots [9 0 R 16 0 R] >>");
  b.obj(16, "<< /Type /Annot /Subtype /Text /Rect [0 0 5 5] /Contents (note) >>");
  b.xref_table(17, "/Root 1 0 R /Info 12 0 R");
  auto objects = changes_of(b);
  ASSERT_NE(find(objects, 9), nullptr);
  EXPECT_EQ(find(objects, 9)->kind, "form_field");
  EXPECT_EQ(find(objects, 9)->page, 1);
  ASSERT_NE(find(objects, 1), nullptr);
  EXPECT_EQ(find(objects, 1)->kind, "document");
  EXPECT_EQ(find(objects, 1)->page, 0);
  ASSERT_NE(find(objects, 16), nullptr);
  EXPECT_EQ(find(objects, 16)->kind, "annotation");
  EXPECT_EQ(find(objects, 16)->page, 1);
}
