// libsign pdf — change analysis after signing: each modification level and the "sneaky" cases.
#include <gtest/gtest.h>

#include <functional>

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

// --- Adding a signature the way real signing tools write it (docs/change-analysis.md) -------------

namespace {

// Revision 0 as libsign's signer leaves it (see signed_base): a signed field, then `update` appends one
// incremental update. Objects 9.. are free for the update.
Level level_of_update(const std::function<void(pdftest::Builder&)>& update, std::vector<RevisionChanges>* out = nullptr) {
  auto b = pdftest::signed_base();
  update(b);
  return level_after(b, out);
}

// What pdfsig, PDFBox and @signpdf all do: a new signature field + widget (one object), its value, its
// appearance, the field in /Fields and the widget in the page's /Annots.
void add_second_signature(pdftest::Builder& b, const std::string& acroform_extra = "", const std::string& widget_extra = "") {
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R] >>");
  b.obj(5, "<< /Fields [6 0 R 9 0 R] /SigFlags 3 " + acroform_extra + " >>");
  b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 10 0 R " + widget_extra + " >>");
  b.obj(10, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> >>");
}

}  // namespace

TEST(PdfChangesSigning, AcroFormDaAndDrWithNewFontsIsFormFilling) {
  // PDFBox's AcroForm fix-up: /DA "/Helv 0 Tf 0 g " and /DR with Helvetica and ZapfDingbats as new objects.
  std::vector<RevisionChanges> ch;
  auto level = level_of_update([](pdftest::Builder& b) {
    add_second_signature(b, "/DA (/Helv 0 Tf 0 g ) /DR << /Font << /Helv 11 0 R /ZaDb 12 0 R >> >>");
    b.obj(11, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Name /Helv /Encoding /WinAnsiEncoding >>");
    b.obj(12, "<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats /Name /ZaDb >>");
    b.xref_table(13);
  }, &ch);
  EXPECT_EQ(level, Level::FormFilling) << describe(ch);
}

TEST(PdfChangesSigning, IndirectDrRewrittenWithAnotherFontIsFormFilling) {
  // Revision 0 has an indirect /DR (9) with an indirect /Font dictionary (10) and one font (11). A signer
  // adds its own font to the /Font dictionary in place and rewrites the font it reuses.
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R] >>");
  b.stream(4, "", "BT (Hello) Tj ET");
  b.obj(5, "<< /Fields [6 0 R] /SigFlags 3 /DA (/Helv 0 Tf 0 g) /DR 9 0 R >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(9, "<< /Font 10 0 R >>");
  b.obj(10, "<< /Helv 11 0 R >>");
  b.obj(11, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  b.xref_table(12);
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 12 0 R] >>");
  b.obj(5, "<< /Fields [6 0 R 12 0 R] /SigFlags 3 /DA (/Helv 0 Tf 0 g) /DR 9 0 R >>");
  b.obj(10, "<< /Helv 11 0 R /F2 14 0 R >>");
  b.obj(11, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  b.obj(12, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 13 0 R >>");
  b.obj(13, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(14, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>");
  b.xref_table(15);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
  EXPECT_NE(describe(ch).find("/DR resource"), std::string::npos) << describe(ch);
}

TEST(PdfChangesSigning, DrFontAlsoUsedByThePageIsOther) {
  // Every-path rule: the font under /DR is also the page's font; rewriting it changes the page.
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 9 0 R >> >> "
           "/Annots [6 0 R] >>");
  b.stream(4, "", "BT /F1 12 Tf (Hello) Tj ET");
  b.obj(5, "<< /Fields [6 0 R] /SigFlags 3 /DR << /Font << /Helv 9 0 R >> >> >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(9, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  b.xref_table(10);
  b.obj(9, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 10 0 R >>");
  b.obj(10, "<< /Type /Encoding /Differences [72 /X] >>");
  b.xref_table(11);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("9 0 R"), std::string::npos) << describe(ch);
}

TEST(PdfChangesSigning, DrFontAlsoUsedByTheSignedAppearanceIsOther) {
  // The font is reachable from /DR and from the signed field's appearance resources: rewriting it changes
  // what the signed appearance shows, even if /DR is the only AcroForm path.
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R] >>");
  b.stream(4, "", "");
  b.obj(5, "<< /Fields [6 0 R] /SigFlags 3 /DR 10 0 R >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 50 10] /P 3 0 R /V 7 0 R /AP << /N 8 0 R >> >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.stream(8, "/Type /XObject /Subtype /Form /BBox [0 0 50 10] /Resources << /Font << /F1 9 0 R >> >>", "BT /F1 8 Tf (Signed) Tj ET");
  b.obj(9, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  b.obj(10, "<< /Font << /Helv 9 0 R >> >>");
  b.xref_table(11);
  b.obj(9, "<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>");
  b.xref_table(11);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Other) << describe(ch);
}

TEST(PdfChangesSigning, DrPointingAtAnExistingContentStreamDoesNotLaunderIt) {
  // A new /DR that reaches the page's content stream does not make rewriting that stream form filling.
  std::vector<RevisionChanges> ch;
  auto level = level_of_update([](pdftest::Builder& b) {
    add_second_signature(b, "/DR << /XObject << /X 4 0 R >> >>");
    b.stream(4, "", "BT /F1 12 Tf (Goodbye) Tj ET");
    b.xref_table(11);
  }, &ch);
  EXPECT_EQ(level, Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("4 0 R"), std::string::npos) << describe(ch);
}

TEST(PdfChangesSigning, AnnotsCreatedOnAPageWithoutAnyIsFormFilling) {
  // pdfsig/@signpdf on a page without /Annots: the page gets a new indirect /Annots array.
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R] >>");
  b.stream(4, "", "");
  b.obj(5, "<< /Fields [6 0 R] /SigFlags 3 >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(8, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>");
  b.xref_table(9);
  b.obj(5, "<< /Fields [6 0 R 9 0 R] /SigFlags 3 >>");
  b.obj(8, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots 11 0 R >>");
  b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 8 0 R /V 10 0 R >>");
  b.obj(10, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(11, "[9 0 R]");
  b.xref_table(12);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
}

TEST(PdfChangesSigning, IndirectAnnotsArrayRewrittenIsFormFilling) {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots 8 0 R >>");
  b.stream(4, "", "");
  b.obj(5, "<< /Fields 9 0 R /SigFlags 3 >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(8, "[6 0 R]");
  b.obj(9, "[6 0 R]");
  b.xref_table(10);
  b.obj(8, "[6 0 R 10 0 R]");
  b.obj(9, "[6 0 R 10 0 R]");
  b.obj(10, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 11 0 R >>");
  b.obj(11, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.xref_table(12);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
}

TEST(PdfChangesSigning, NeedAppearancesSigFlagsInfoMetadataVersionExtensionsAreFormFilling) {
  std::vector<RevisionChanges> ch;
  auto level = level_of_update([](pdftest::Builder& b) {
    add_second_signature(b, "/NeedAppearances true");
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Version /1.7 /Metadata 11 0 R "
             "/Extensions << /ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> >> >>");
    b.stream(11, "/Type /Metadata /Subtype /XML", "<x:xmpmeta xmlns:x='adobe:ns:meta/'><xmp:ModifyDate>2026</xmp:ModifyDate></x:xmpmeta>");
    b.obj(12, "<< /Producer (peer) /ModDate (D:20260620030000Z) >>");
    b.xref_table(13, "/Root 1 0 R /Info 12 0 R");
  }, &ch);
  EXPECT_EQ(level, Level::FormFilling) << describe(ch);
}

TEST(PdfChangesSigning, UsageRightsPermsAddedWithANewSignatureIsFormFilling) {
  std::vector<RevisionChanges> ch;
  auto level = level_of_update([](pdftest::Builder& b) {
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Perms << /UR3 9 0 R >> >>");
    b.obj(9, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> "
             "/Reference [<< /Type /SigRef /TransformMethod /UR3 /TransformParams << /Type /TransformParams /V /2.2 >> >>] >>");
    b.xref_table(10);
  }, &ch);
  EXPECT_EQ(level, Level::FormFilling) << describe(ch);
}

TEST(PdfChangesSigning, DocMdpAddedLaterOrPermsChangedIsOther) {
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_of_update([](pdftest::Builder& b) {
    add_second_signature(b);
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Perms << /DocMDP 10 0 R >> >>");
    b.xref_table(11);
  }, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("/DocMDP"), std::string::npos) << describe(ch);
  // UR3 pointing at an old signature value (the signed one) is not a new usage-rights signature.
  EXPECT_EQ(level_of_update([](pdftest::Builder& b) {
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Perms << /UR3 7 0 R >> >>");
    b.xref_table(9);
  }, &ch), Level::Other) << describe(ch);
  // A /Perms that existed is never changed.
  pdftest::Builder c;
  c.obj(1, "<< /Type /Catalog /Pages 2 0 R /Perms << /UR3 3 0 R >> >>");
  c.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  c.obj(3, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  c.xref_table(4);
  c.obj(1, "<< /Type /Catalog /Pages 2 0 R /Perms << /UR3 4 0 R >> >>");
  c.obj(4, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  c.xref_table(5);
  EXPECT_EQ(level_after(c, &ch), Level::Other) << describe(ch);
}

TEST(PdfChangesSigning, OpenActionAdditionalActionsAndJavaScriptStayOther) {
  for (const char* extra : {"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "/AA << /WC << /S /JavaScript /JS (x) >> >>",
                            "/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>"}) {
    std::vector<RevisionChanges> ch;
    auto level = level_of_update([&](pdftest::Builder& b) {
      add_second_signature(b);
      b.obj(1, std::string("<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R ") + extra + " >>");
      b.xref_table(11);
    }, &ch);
    EXPECT_EQ(level, Level::Other) << extra << "\n" << describe(ch);
  }
}

TEST(PdfChangesSigning, EquivalentSyntaxIsAnIdenticalRewrite) {
  // Hex instead of literal strings, #-escaped names, another key order, 200.0 written as 200.00.
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200.0 200] /Contents 4 0 R >>");
  b.stream(4, "", "");
  b.obj(5, "<< /Producer (libsign) /Title (Ho so) >>");
  b.xref_table(6, "/Root 1 0 R /Info 5 0 R");
  b.obj(3, "<</Contents 4 0 R/MediaBox[0 0 200.00 200]/Parent 2 0 R/Type/Pa#67e>>");
  b.obj(5, "<< /Title <486f20736f> /Producer (libsign) >>");
  b.xref_table(6, "/Root 1 0 R /Info 5 0 R");
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::None) << describe(ch);
}

TEST(PdfChangesSigning, IntegerRewrittenAsRealIsAChange) {
  // Readers ignore a real where an integer is required (/Count, annotation /F): not an identical rewrite.
  auto b = pdftest::signed_base();
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1.0 >>");
  b.xref_table(9);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::Other) << describe(ch);
  EXPECT_NE(describe(ch).find("/Count"), std::string::npos) << describe(ch);
}

TEST(PdfChangesSigning, SigningAnEmptyFieldMaySetMkPrintFlagsAndPage) {
  // Revision 0 holds an empty signature field (9) without /P; the second signer fills it and, like Acrobat,
  // sets /MK, /F (Print + Locked) and /P.
  auto base = [] {
    auto b = pdftest::signed_base();
    b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R] >>");
    b.obj(5, "<< /Fields [6 0 R 9 0 R] /SigFlags 3 >>");
    b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 40 10 50] /F 4 >>");
    b.xref_table(10);
    return b;
  };
  {
    auto b = base();
    b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 40 10 50] /F 132 /P 3 0 R "
             "/MK << /BC [0 0 1] >> /V 10 0 R >>");
    b.obj(10, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    b.xref_table(11);
    Document doc = Document::open(b.data);
    auto ch = analyse_changes(doc, 1);  // as seen by the signature of revision 1 (Sig1 is revision 0)
    EXPECT_EQ(overall_level(ch), Level::FormFilling) << describe(ch);
  }
  {  // Hiding the widget while signing it: Other.
    auto b = base();
    b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 40 10 50] /F 134 /V 10 0 R >>");
    b.obj(10, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    b.xref_table(11);
    Document doc = Document::open(b.data);
    auto ch = analyse_changes(doc, 1);
    EXPECT_EQ(overall_level(ch), Level::Other) << describe(ch);
  }
  {  // /MK or /F changed on a widget whose value did not change: Other.
    auto b = base();
    b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 40 10 50] /F 4 /MK << /BG [1 0 0] >> >>");
    b.xref_table(10);
    Document doc = Document::open(b.data);
    auto ch = analyse_changes(doc, 1);
    EXPECT_EQ(overall_level(ch), Level::Other) << describe(ch);
  }
}

TEST(PdfChangesSigning, UpdateInObjectAndXrefStreamsIsFormFilling) {
  // A signer that writes its update as an object stream plus an xref stream (as iText and PDFBox can).
  auto b = pdftest::signed_base();
  b.objstm(11, {{1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>"},
                {5, "<< /Fields [6 0 R 9 0 R] /SigFlags 3 /DA (/Helv 0 Tf 0 g ) >>"}});
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R 9 0 R] >>");
  b.obj(9, "<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 10 0 R >>");
  b.obj(10, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  b.xref_stream(12, 13);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
}

TEST(PdfChangesSigning, PdfsigWidgetOnlyInAnnotsIsFormFilling) {
  // What poppler's pdfsig 22.12 writes on a document whose /AcroForm is direct in the catalog: the catalog
  // is rewritten unchanged (the new field is not added to /Fields), the page's /Annots gets the new signature
  // widget, and its font (for /DA) is new. The signature is only reachable through /Annots.
  std::vector<RevisionChanges> ch;
  auto level = level_of_update([](pdftest::Builder& b) {
    b.obj(1, "<</Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >> ");
    b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200 ] /Contents 4 0 R /Annots [6 0 R 9 0 R ] >> ");
    b.obj(9, "<</Type /Annot /Subtype /Widget /FT /Sig /T (NssKy) /Rect [0 0 0 0 ] /DA (/popplerfont 0.00 Tf\\n) "
             "/M (D:20260620030000Z) /F 148 /Border [0 0 0 ] /P 3 0 R /AP <</N 11 0 R >> /AS /N /V 12 0 R >> ");
    b.obj(10, "<</Type /Font /Subtype /Type0 /BaseFont /Helvetica#20 /Encoding /Identity-H >> ");
    b.stream(11, "/Subtype /Form /BBox [0 0 0 0 ] /Resources <</Font <</popplerfont 10 0 R >> >>", "");
    b.obj(12, "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> >> ");
    b.xref_table(13);
  }, &ch);
  EXPECT_EQ(level, Level::FormFilling) << describe(ch);
  // The same widget without /FT /Sig is a new non-signature widget: Other.
  level = level_of_update([](pdftest::Builder& b) {
    b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200 ] /Contents 4 0 R /Annots [6 0 R 9 0 R ] >> ");
    b.obj(9, "<</Type /Annot /Subtype /Widget /FT /Tx /T (x) /Rect [0 0 100 100 ] /P 3 0 R /V (forged) >> ");
    b.xref_table(10);
  }, &ch);
  EXPECT_EQ(level, Level::Other) << describe(ch);
}

TEST(PdfChangesSigning, SignpdfReplacingADirectAcroFormIsFormFilling) {
  // @signpdf 3.3 (placeholder-plain) on a document whose /AcroForm is direct in the catalog: it appends a
  // second /AcroForm key pointing at its own AcroForm, whose /Fields lists only the new field (the last key
  // wins). The signed field drops out of /Fields but stays, unchanged, in the page's /Annots.
  auto base = [] {
    pdftest::Builder b;
    b.obj(1, "<</Type /Catalog\n/Pages 2 0 R\n/AcroForm <</Fields [6 0 R]\n/SigFlags 3>>\n>>");
    b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R] >>");
    b.stream(4, "", "BT (Hello) Tj ET");
    b.obj(6, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (ChuKy) /V 7 0 R /F 132 /Rect [0 0 0 0] /P 3 0 R >>");
    b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    b.xref_table(8);
    return b;
  };
  auto b = base();
  b.obj(8, "<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /adbe.pkcs7.detached\n/ByteRange [0 1 2 3]\n/Contents <00>\n>>");
  b.obj(9, "<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/Rect [0 0 0 0]\n/V 8 0 R\n/T (Signature1)\n/F 4\n/P 3 0 R\n>>");
  b.obj(10, "<<\n/Type /AcroForm\n/SigFlags 3\n/Fields [9 0 R]\n>>");
  b.obj(1, "<<\n/Type /Catalog\n/Pages 2 0 R\n/AcroForm <</Fields [6 0 R]\n/SigFlags 3>>\n\n/AcroForm 10 0 R\n>>");
  b.obj(3, "<<\n/Type /Page\n/Parent 2 0 R\n/MediaBox [0 0 200 200]\n/Contents 4 0 R\n/Annots [6 0 R 9 0 R]\n\n>>");
  b.xref_table(11);
  std::vector<RevisionChanges> ch;
  EXPECT_EQ(level_after(b, &ch), Level::FormFilling) << describe(ch);
  // Dropping the signed field from /Fields and from the page is a removal: Other.
  auto c = base();
  c.obj(8, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
  c.obj(9, "<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 8 0 R /T (Signature1) /P 3 0 R >>");
  c.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R] /SigFlags 3 >> >>");
  c.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [9 0 R] >>");
  c.xref_table(10);
  EXPECT_EQ(level_after(c, &ch), Level::Other) << describe(ch);
}
