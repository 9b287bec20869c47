// libsign pdf — change analysis after signing: each modification level and the "sneaky" cases.
#include <gtest/gtest.h>

#include "pdf/changes.hpp"
#include "pdf_builder.hpp"

using namespace libsign::pdf;
using Level = ModificationLevel;

namespace {

// Signed revision 0: a signed field Sig1 (6/7/8), a text field "name" (9, merged widget, /AP 10),
// an empty signature field Sig2 (11), and /Info 12. /Size 13.
pdftest::Builder form_base() {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R 11 0 R] >>");
  b.stream(4, "", "BT /F1 12 Tf (Hello) Tj ET");
  b.obj(5, "<< /Fields [6 0 R 9 0 R 11 0 R] /SigFlags 3 >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /P 3 0 R /AP << /N 8 0 R >> /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> >>");
  b.stream(8, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "");
  b.obj(9, "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [0 20 10 30] /P 3 0 R /V (a) /AP << /N 10 0 R >> >>");
  b.stream(10, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(a) Tj");
  b.obj(11, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 40 10 50] /P 3 0 R >>");
  b.obj(12, "<< /Producer (test) >>");
  b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
  return b;
}

Level level_after(pdftest::Builder& b, std::vector<RevisionChanges>* out = nullptr) {
  Document doc = Document::open(b.data);
  auto changes = analyse_changes(doc, 0);
  EXPECT_EQ(changes.size(), doc.revisions().size() - 1);
  if (out) *out = changes;
  return overall_level(changes);
}

std::string describe(const std::vector<RevisionChanges>& changes) {
  std::string s;
  for (const auto& rc : changes)
    for (const auto& o : rc.objects) s += std::string(to_string(o.level)) + ": " + o.description + "\n";
  return s;
}

}  // namespace

TEST(PdfChanges, NoUpdateMeansNoEntries) {
  auto b = form_base();
  Document doc = Document::open(b.data);
  EXPECT_TRUE(analyse_changes(doc, 0).empty());
}

TEST(PdfChanges, IdenticalRewriteIsNone) {
  auto b = form_base();
  b.obj(12, "<< /Producer (test) >>");
  b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
  EXPECT_EQ(level_after(b), Level::None);
}

TEST(PdfChanges, DssIsLtvUpdate) {
  auto b = form_base();
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /DSS 13 0 R >>");
  b.obj(13, "<< /Type /DSS /Certs 14 0 R /VRI << /ABCD 16 0 R >> >>");
  b.obj(14, "[15 0 R]");
  b.stream(15, "", "cert");
  b.obj(16, "<< /Cert [15 0 R] >>");
  b.xref_table(17, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::LtvUpdates) << describe(ch);
  // A second DSS update changing the existing arrays in place.
  b.obj(14, "[15 0 R 17 0 R]");
  b.stream(17, "", "cert2");
  b.xref_table(18, "/Root 1 0 R /Info 12 0 R");
  EXPECT_EQ(level_after(b, &ch), Level::LtvUpdates) << describe(ch);
}

TEST(PdfChanges, DocumentTimestampIsLtvUpdate) {
  auto b = form_base();
  b.obj(5, "<< /Fields [6 0 R 9 0 R 11 0 R 13 0 R] /SigFlags 3 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R 11 0 R 13 0 R] >>");
  b.obj(13, "<< /FT /Sig /T (TS) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 14 0 R >>");
  b.obj(14, "<< /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [0 1 2 3] /Contents <00> >>");
  b.xref_table(15, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::LtvUpdates) << describe(ch);
}

TEST(PdfChanges, NewSignatureFieldIsFormFilling) {
  auto b = form_base();
  b.obj(5, "<< /Fields [6 0 R 9 0 R 11 0 R 13 0 R] /SigFlags 3 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R 11 0 R 13 0 R] >>");
  b.obj(13, "<< /FT /Sig /T (Sig3) /Type /Annot /Subtype /Widget /Rect [0 0 5 5] /P 3 0 R /V 14 0 R /AP << /N 15 0 R >> >>");
  b.obj(14, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.stream(15, "/Type /XObject /Subtype /Form /BBox [0 0 5 5]", "");
  b.obj(12, "<< /Producer (test) /ModDate (D:2025) >>");
  b.xref_table(16, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
}

TEST(PdfChanges, FillingEmptySignatureFieldIsFormFilling) {
  auto b = form_base();
  b.obj(11, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 40 10 50] /P 3 0 R /V 13 0 R /AP << /N 14 0 R >> >>");
  b.obj(13, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.stream(14, "/Type /XObject /Subtype /Form /BBox [0 0 5 5]", "q Q");
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Extensions << /ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> >> >>");
  b.xref_table(15, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
}

TEST(PdfChanges, TextFieldValueWithNewAppearanceIsFormFilling) {
  auto b = form_base();
  b.obj(9, "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [0 20 10 30] /P 3 0 R /V (b) /AP << /N 13 0 R >> >>");
  b.stream(13, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(b) Tj");
  b.obj(5, "<< /Fields [6 0 R 9 0 R 11 0 R] /SigFlags 3 /NeedAppearances false >>");
  b.xref_table(14, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
}

TEST(PdfChanges, AppearanceOverrideWithoutValueChangeIsOther) {
  auto b = form_base();
  b.obj(9, "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [0 20 10 30] /P 3 0 R /V (a) /AP << /N 13 0 R >> >>");
  b.stream(13, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(forged) Tj");
  b.xref_table(14, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("9 0 R"), std::string::npos);
  EXPECT_NE(describe(ch).find("/AP"), std::string::npos);
}

TEST(PdfChanges, AppearanceStreamChangedInPlaceIsOther) {
  auto b = form_base();
  b.stream(10, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(forged) Tj");
  b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("10 0 R"), std::string::npos);
}

TEST(PdfChanges, NewCommentIsAnnotations) {
  auto b = form_base();
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R 11 0 R 13 0 R] >>");
  b.obj(13, "<< /Type /Annot /Subtype /Text /Rect [0 0 5 5] /Contents (note) /AP << /N 14 0 R >> >>");
  b.stream(14, "/Type /XObject /Subtype /Form /BBox [0 0 5 5]", "");
  b.xref_table(15, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Annotations) << describe(ch);
}

TEST(PdfChanges, ContentChangeIsOther) {
  auto b = form_base();
  b.stream(4, "", "BT /F1 12 Tf (Goodbye) Tj ET");
  b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("4 0 R"), std::string::npos);
}

TEST(PdfChanges, PageKeyCatalogKeyFreedObjectAndRootAreOther) {
  {
    auto b = form_base();
    b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 500] /Contents 4 0 R /Annots [6 0 R 9 0 R 11 0 R] >>");
    b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
    std::vector<RevisionChanges> ch;
    EXPECT_EQ(level_after(b, &ch), Level::Other);
    EXPECT_NE(describe(ch).find("/MediaBox"), std::string::npos) << describe(ch);
  }
  {
    auto b = form_base();
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /OpenAction << /S /JavaScript /JS (x) >> >>");
    b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
    std::vector<RevisionChanges> ch;
    EXPECT_EQ(level_after(b, &ch), Level::Other);
    EXPECT_NE(describe(ch).find("/OpenAction"), std::string::npos) << describe(ch);
  }
  {
    auto b = form_base();
    b.free_obj(10);
    b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
    std::vector<RevisionChanges> ch;
    EXPECT_EQ(level_after(b, &ch), Level::Other);
    EXPECT_NE(describe(ch).find("freed"), std::string::npos) << describe(ch);
  }
  {
    auto b = form_base();
    b.obj(13, "<< /Type /Catalog /Pages 2 0 R >>");
    b.xref_table(14, "/Root 13 0 R /Info 12 0 R");
    std::vector<RevisionChanges> ch;
    EXPECT_EQ(level_after(b, &ch), Level::Other);
    EXPECT_NE(describe(ch).find("/Root"), std::string::npos) << describe(ch);
  }
}

TEST(PdfChanges, DefiningAnObjectTheSignedRevisionReferencedIsOther) {
  // Revision 0 points /OpenAction at an undefined object; the update defines it.
  pdftest::Builder c;
  c.obj(1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 20 0 R >>");
  c.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  c.xref_table(3);
  c.obj(20, "<< /S /JavaScript /JS (app.alert(1)) >>");
  c.xref_table(21);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(c, &ch), Level::Other) << describe(ch);
}

TEST(PdfChanges, SneakySharedAppearanceIsOther) {
  // The empty field's appearance stream is also used by the catalog; overwriting it in place while filling
  // the field changes what the catalog entry shows.
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /FooBar 9 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /Annots [8 0 R] >>");
  b.obj(5, "<< /Fields [8 0 R] >>");
  b.obj(8, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /P 3 0 R /AP << /N 9 0 R >> >>");
  b.stream(9, "/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "");
  b.xref_table(10);
  auto fill = [](pdftest::Builder x) {
    x.obj(8, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /P 3 0 R /AP << /N 9 0 R >> /V 10 0 R >>");
    x.stream(9, "/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "q Q");
    x.obj(10, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    x.xref_table(11);
    return x;
  };
  auto sneaky = fill(b);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(sneaky, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("FooBar"), std::string::npos) << describe(ch);
  // Same update without the shared reference: form filling.
  pdftest::Builder honest;
  honest.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  honest.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  honest.obj(3, "<< /Type /Page /Parent 2 0 R /Annots [8 0 R] >>");
  honest.obj(5, "<< /Fields [8 0 R] >>");
  honest.obj(8, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /P 3 0 R /AP << /N 9 0 R >> >>");
  honest.stream(9, "/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "");
  honest.xref_table(10);
  auto filled = fill(honest);
  EXPECT_EQ(level_after(filled, &ch), Level::FormFilling) << describe(ch);
}
