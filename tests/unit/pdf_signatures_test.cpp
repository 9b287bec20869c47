// libsign pdf — signature discovery: nested /Kids, removed fields, DocMDP, text strings, empty fields,
// fields only in /Annots, shared values, signature dictionaries that no field uses.
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

TEST(PdfText, Utf16LittleEndianLanguageEscapesAndBrokenUnits) {
  EXPECT_EQ(text_to_utf8(std::string("\xFF\xFEV\x00\xB0\x01", 6)), "V\xC6\xB0");  // lenient: UTF-16LE with BOM
  // ESC "vi" ESC is a language tag, not text.
  EXPECT_EQ(text_to_utf8(std::string("\xFE\xFF\x00\x1B\x00v\x00i\x00\x1B\x00" "A", 12)), "A");
  EXPECT_EQ(text_to_utf8(std::string("\xFE\xFF\x00\x1B\x00" "A", 6)), "\xEF\xBF\xBD" "A");  // an unclosed escape
  EXPECT_EQ(text_to_utf8(std::string("\xFE\xFF\xD8\x3D\x00" "A", 6)), "\xEF\xBF\xBD" "A");  // a lone high surrogate
  EXPECT_EQ(text_to_utf8(std::string("\xFE\xFF\xDE\x00", 4)), "\xEF\xBF\xBD");           // a lone low surrogate
  EXPECT_EQ(text_to_utf8(std::string("\xFE\xFF\x00\x41\x00", 5)), "A\xEF\xBF\xBD");     // an odd trailing byte
  EXPECT_EQ(text_to_utf8("\xFE\xFF"), "");
}

TEST(PdfText, Utf8WithBomIsCheckedAndBareUtf8IsKept) {
  EXPECT_EQ(text_to_utf8("\xEF\xBB\xBFNguy\xE1\xBB\x85n"), "Nguy\xE1\xBB\x85n");
  // Overlong, a UTF-16 surrogate written in UTF-8, a truncated sequence: one U+FFFD each.
  EXPECT_EQ(text_to_utf8("\xEF\xBB\xBF" "a\xC0\x80" "b\xED\xA0\x80" "c\xE1\xBB"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD");
  EXPECT_EQ(text_to_utf8("Tr\xE1\xBA\xA7n"), "Tr\xE1\xBA\xA7n");  // bare UTF-8 as poppler writes it
  // Not well-formed UTF-8 (overlong): read as PDFDocEncoding, so A-grave and euro.
  EXPECT_EQ(text_to_utf8("\xC0\xA0"), "\xC3\x80\xE2\x82\xAC");
}

TEST(PdfText, PdfDocEncodingTable) {
  EXPECT_EQ(text_to_utf8("\x18\x1F"), "\xCB\x98\xCB\x9C");                 // breve, small tilde
  EXPECT_EQ(text_to_utf8("\x8D\x8E\x92\x9E"), "\xE2\x80\x9C\xE2\x80\x9D\xE2\x84\xA2\xC5\xBE");  // quotes, TM, z-caron
  EXPECT_EQ(text_to_utf8("\xA1\xFF"), "\xC2\xA1\xC3\xBF");                 // Latin-1 from 0xA1 on
  // Undefined codes become U+FFFD; tab, LF and CR stay.
  EXPECT_EQ(text_to_utf8(std::string("\x01\x7F\x9F\xAD\t", 5)),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\t");
  EXPECT_EQ(text_to_utf8(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
}

TEST(PdfSignatures, FindsSignatureWithOffsets) {
  auto b = pdftest::signed_base();
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  const auto& s = sigs[0];
  EXPECT_EQ(s.field_name, "Sig1");
  EXPECT_EQ(s.field_names, (std::vector<std::string>{"Sig1"}));
  EXPECT_EQ(s.found_via, "acroform");
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
  EXPECT_TRUE(find_unreferenced_signature_values(doc, sigs).empty());
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
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>");
  b.xref_table(9);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_FALSE(sigs[0].present_in_last_revision);
  EXPECT_EQ(sigs[0].revision_introduced, 0u);
  EXPECT_EQ(doc.revision_ending_at(end0), 0u);
}

TEST(PdfSignatures, FieldDelistedFromTheFormButStillOnThePageIsPresent) {
  auto b = pdftest::signed_base();
  b.obj(5, "<< /Fields [] /SigFlags 3 >>");
  b.xref_table(9);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_TRUE(sigs[0].present_in_last_revision);
  EXPECT_EQ(sigs[0].found_via, "page-annots");  // the newest view's reading
  EXPECT_EQ(sigs[0].revision_introduced, 0u);
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

namespace {

// A catalog without /AcroForm, one page (3) whose /Annots the test gives, signature value 7.
pdftest::Builder annots_only(const std::string& annots, const std::string& acroform = "") {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R " + acroform + " >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [" + annots + "] >>");
  b.obj(7, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> >>");
  return b;
}

}  // namespace

TEST(PdfSignatures, FieldNamesAreDecodedTextStrings) {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R] >> >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  // Parent "Ký" in UTF-16BE, child "A\x80" in PDFDocEncoding (0x80 is a bullet).
  b.obj(10, "<< /T <FEFF004B00FD> /FT /Sig /Kids [11 0 R] >>");
  b.obj(11, "<< /T <4180> /Parent 10 0 R /Type /Annot /Subtype /Widget /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> /Reason <EFBBBF4C C3BD> /Location <FFFE4C00FD00> "
           "/ContactInfo (\x95\xF3" "dz) >>");
  b.xref_table(12);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].field_name, "K\xC3\xBD.A\xE2\x80\xA2");
  EXPECT_EQ(sigs[0].reason, "L\xC3\xBD");
  EXPECT_EQ(sigs[0].location, "L\xC3\xBD");
  EXPECT_EQ(sigs[0].contact_info, "\xC5\x81\xC3\xB3" "dz");  // 0x95 is L-stroke, 0xF3 o-acute
}

TEST(PdfSignatures, MergedWidgetOnlyInAnnotsWithoutAcroForm) {
  auto b = annots_only("6 0 R");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Hidden) /Rect [0 0 0 0] /V 7 0 R >>");
  b.xref_table(8);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].field_name, "Hidden");
  EXPECT_EQ(sigs[0].found_via, "page-annots");
  EXPECT_EQ(sigs[0].field_ref, (Ref{6, 0}));
  EXPECT_EQ(sigs[0].value_ref, (Ref{7, 0}));
  EXPECT_TRUE(sigs[0].present_in_last_revision);
  EXPECT_TRUE(find_unreferenced_signature_values(doc, sigs).empty());
}

TEST(PdfSignatures, WidgetWhoseParentChainIsASigFieldOutsideTheForm) {
  // The form lists another field (20); the signature field 10/11 is reached only from widget 12.
  auto b = annots_only("20 0 R 12 0 R 13 0 R", "/AcroForm << /Fields [20 0 R] >>");
  b.obj(20, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (x) >>");
  b.obj(10, "<< /T (form) /FT /Sig /Kids [11 0 R] >>");
  b.obj(11, "<< /T (approver) /Parent 10 0 R /Kids [12 0 R 13 0 R] /V 7 0 R >>");
  b.obj(12, "<< /Type /Annot /Subtype /Widget /Parent 11 0 R /Rect [0 0 0 0] >>");
  b.obj(13, "<< /Type /Annot /Subtype /Widget /Parent 11 0 R /Rect [0 0 0 0] >>");  // a second widget
  b.xref_table(21);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);  // one field with two widgets
  EXPECT_EQ(sigs[0].field_name, "form.approver");
  EXPECT_EQ(sigs[0].field_names.size(), 1u);
  EXPECT_EQ(sigs[0].found_via, "page-annots");
  EXPECT_EQ(sigs[0].field_ref, (Ref{11, 0}));
}

TEST(PdfSignatures, WidgetLeftOutOfAKnownFieldsKidsIsNotASecondField) {
  auto b = annots_only("6 0 R 8 0 R", "/AcroForm << /Fields [5 0 R] >>");
  b.obj(5, "<< /T (S) /FT /Sig /Kids [6 0 R] /V 7 0 R >>");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /Parent 5 0 R >>");
  b.obj(8, "<< /Type /Annot /Subtype /Widget /Parent 5 0 R >>");  // not in /Kids
  b.xref_table(9);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].found_via, "acroform");
  EXPECT_EQ(sigs[0].field_names, (std::vector<std::string>{"S"}));
}

TEST(PdfSignatures, ParentLoopInAnnotsIsSkipped) {
  auto b = annots_only("6 0 R");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /Parent 8 0 R >>");
  b.obj(8, "<< /T (a) /FT /Sig /Parent 9 0 R /V 7 0 R >>");
  b.obj(9, "<< /T (b) /Parent 8 0 R >>");
  b.xref_table(10);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].field_name, "b.a");
}

TEST(PdfSignatures, EmptyFieldOnlyInAnnotsIsReported) {
  auto b = annots_only("6 0 R");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Later) >>");
  b.xref_table(8);
  Document doc = Document::open(b.data);
  EXPECT_TRUE(find_signatures(doc).empty());
  EXPECT_EQ(find_empty_signature_fields(doc), (std::vector<std::string>{"Later"}));
}

TEST(PdfSignatures, ValueSharedByFieldsIsOneSignature) {
  // Two fields in the form and one only in /Annots use value 7.
  auto b = annots_only("5 0 R 6 0 R 8 0 R", "/AcroForm << /Fields [5 0 R 6 0 R] >>");
  b.obj(5, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (signer) /V 7 0 R >>");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (approver) /V 7 0 R >>");
  b.obj(8, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (copy) /V 7 0 R >>");
  b.xref_table(9);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].field_name, "signer");
  EXPECT_EQ(sigs[0].field_names, (std::vector<std::string>{"signer", "approver", "copy"}));
  EXPECT_EQ(sigs[0].found_via, "acroform");
  EXPECT_EQ(sigs[0].field_ref, (Ref{5, 0}));
}

TEST(PdfSignatures, SharingIsJudgedInTheNewestView) {
  auto b = annots_only("5 0 R", "/AcroForm 4 0 R");
  b.obj(4, "<< /Fields [5 0 R] >>");
  b.obj(5, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (signer) /V 7 0 R >>");
  b.xref_table(8);
  b.obj(4, "<< /Fields [5 0 R 6 0 R] >>");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (again) /V 7 0 R >>");
  b.xref_table(8);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].revision_introduced, 0u);
  EXPECT_EQ(sigs[0].field_names, (std::vector<std::string>{"signer", "again"}));
}

TEST(PdfSignatures, SignatureDictionaryNoFieldUsesIsUnreferenced) {
  auto b = annots_only("6 0 R", "/Perms << /UR3 9 0 R >>");
  b.obj(6, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S) /V 7 0 R >>");
  b.obj(8, "<< /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(9, "<< /Type /Sig /Filter /Adobe.PPKLite /Contents <00> /Reference [] >>");  // usage rights: named by /Perms
  b.obj(10, "<< /ByteRange [0 1 2 3] /Contents <00> >>");  // no /Filter, no /Type: not a signature dictionary
  b.xref_table(11);
  b.obj(11, "<< /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [0 1 2 3] /Contents <00> >>");
  b.obj(12, "<< /Type /Sig /Contents <00> ");  // damaged, skipped
  b.obj(13, "<< /Type /S#69g /Contents <00> >>");  // names written with escapes are still seen
  b.stream(14, "/Type /XObject", "/Sig /ByteRange");  // a stream is never a signature dictionary
  b.xref_table(15);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  auto orphans = find_unreferenced_signature_values(doc, sigs);
  ASSERT_EQ(orphans.size(), 3u);
  EXPECT_EQ(orphans[2].value_ref, (Ref{13, 0}));
  EXPECT_EQ(orphans[0].value_ref, (Ref{8, 0}));
  EXPECT_EQ(orphans[0].found_via, "unreferenced");
  EXPECT_TRUE(orphans[0].field_names.empty());
  EXPECT_EQ(orphans[0].subfilter, "adbe.pkcs7.detached");
  EXPECT_EQ(orphans[0].revision_introduced, 0u);
  EXPECT_EQ(orphans[1].value_ref, (Ref{11, 0}));
  EXPECT_EQ(orphans[1].type, "DocTimeStamp");
  EXPECT_EQ(orphans[1].revision_introduced, 1u);
}

TEST(PdfSignatures, RemovedFieldsValueIsNotUnreferenced) {
  auto b = pdftest::signed_base();
  b.obj(5, "<< /Fields [] /SigFlags 3 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>");
  b.xref_table(9);
  Document doc = Document::open(b.data);
  auto sigs = find_signatures(doc);
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_FALSE(sigs[0].present_in_last_revision);
  EXPECT_TRUE(find_unreferenced_signature_values(doc, sigs).empty());
}

TEST(PdfSignatures, UnreferencedValueInObjectStream) {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.objstm(8, {{7, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>"}});
  b.xref_stream(9, 10);
  Document doc = Document::open(b.data);
  auto orphans = find_unreferenced_signature_values(doc, find_signatures(doc));
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].value_ref, (Ref{7, 0}));
  EXPECT_TRUE(orphans[0].value_in_object_stream);
}
