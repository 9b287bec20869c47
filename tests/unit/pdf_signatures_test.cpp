// libsign pdf — signature discovery: nested /Kids, removed fields, DocMDP, text strings, empty fields.
#include <gtest/gtest.h>

#include "pdf/signatures.hpp"
#include "pdf/text.hpp"
#include "pdf_builder.hpp"

using namespace libsign::pdf;

TEST(PdfText, DecodesPdfDocEncodingAndUtf16) {
  EXPECT_EQ(text_to_utf8("abc"), "abc");
  EXPECT_EQ(text_to_utf8("\x80\xA0\xE9"), "\xE2\x80\xA2\xE2\x82\xAC\xC3\xA9");  // bullet, euro, e-acute
  EXPECT_EQ(text_to_utf8(std::string("\xFE\xFF\x00V\x01\xB0\xD8\x3D\xDE\x00", 10)), "V\xC6\xB0\xF0\x9F\x98\x80");
}

TEST(PdfSignatures, FindsSignatureWithOffsets) {
  auto b = pdftest::signed_base();
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  const auto& s = sigs[0];
  EXPECT_EQ(s.field_name, "Sig1");
  EXPECT_EQ(s.field_ref, (Ref{6, 0}));
  EXPECT_EQ(s.value_ref, (Ref{7, 0}));
  EXPECT_EQ(s.type, "Sig");
  EXPECT_EQ(s.filter, "Adobe.PPKLite");
  EXPECT_EQ(s.subfilter, "ETSI.CAdES.detached");
  EXPECT_EQ(s.byte_range, (std::vector<int64_t>{0, 10, 20, 30}));
  EXPECT_TRUE(s.byte_range_all_integers);
  EXPECT_EQ(s.contents, "\x30\x82\xAA\xBB");
  EXPECT_TRUE(s.contents_hex);
  ASSERT_TRUE(s.contents_offsets_known);
  EXPECT_EQ(b.data.substr(s.contents_begin, s.contents_end - s.contents_begin), "<3082AABB>");
  EXPECT_EQ(s.reason, "Test");
  EXPECT_EQ(s.signing_time, "D:20240101000000Z");
  EXPECT_EQ(s.revision_introduced, 0u);
  EXPECT_TRUE(s.present_in_last_revision);
  EXPECT_FALSE(s.is_certification);
  EXPECT_TRUE(find_empty_signature_fields(doc).empty());
}

TEST(PdfSignatures, NestedKidsInheritedTypeAndCertification) {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Perms << /DocMDP 7 0 R >> >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.obj(5, "<< /Fields [10 0 R] >>");
  b.obj(10, "<< /T (form) /FT /Sig /Kids [11 0 R 12 0 R] >>");
  b.obj(11, "<< /T (approver) /Parent 10 0 R /Kids [13 0 R] /V 7 0 R >>");
  b.obj(13, "<< /Type /Annot /Subtype /Widget /Parent 11 0 R /Rect [0 0 0 0] >>");
  b.obj(12, "<< /T (empty) /Parent 10 0 R /Type /Annot /Subtype /Widget >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2.5 3] /Contents (raw) /Name <FEFF0041> "
           "/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /P 1 >> >>] >>");
  b.xref_table(14);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].field_name, "form.approver");
  EXPECT_EQ(sigs[0].byte_range, (std::vector<int64_t>{0, 1, 3}));
  EXPECT_FALSE(sigs[0].byte_range_all_integers);
  EXPECT_FALSE(sigs[0].contents_hex);
  EXPECT_EQ(sigs[0].name, "A");
  EXPECT_TRUE(sigs[0].is_certification);
  EXPECT_EQ(sigs[0].docmdp_permissions, 1);
  EXPECT_TRUE(sigs[0].catalog_perms_docmdp);
  EXPECT_EQ(find_empty_signature_fields(doc), (std::vector<std::string>{"form.empty"}));
}

TEST(PdfSignatures, RemovedFieldIsStillReported) {
  auto b = pdftest::signed_base();
  size_t end0 = b.data.size();
  b.obj(5, "<< /Fields [] /SigFlags 3 >>");
  b.xref_table(9);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_FALSE(sigs[0].present_in_last_revision);
  EXPECT_EQ(sigs[0].revision_introduced, 0u);
  EXPECT_EQ(doc.revision_ending_at(end0), 0u);
}

TEST(PdfSignatures, ValueInObjectStreamHasNoOffsets) {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.obj(6, "<< /FT /Sig /T (S) /V 7 0 R >>");
  b.objstm(8, {{7, "<< /Type /DocTimeStamp /ByteRange [0 1 2 3] /Contents <00> >>"}});
  b.xref_stream(9, 10);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].type, "DocTimeStamp");
  EXPECT_TRUE(sigs[0].value_in_object_stream);
  EXPECT_FALSE(sigs[0].contents_offsets_known);
}

TEST(PdfSignatures, FieldLoopsAreSkipped) {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.obj(3, "<< /T (a) /Kids [4 0 R] >>");
  b.obj(4, "<< /T (b) /Kids [3 0 R] >>");
  b.xref_table(5);
  Document doc = Document::open(b.data);
  EXPECT_TRUE(find_signatures(doc).empty());
}
