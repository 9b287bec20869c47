// libsign pdf — Document: xref tables, xref streams, object streams, incremental updates, hybrid files,
// and the error codes on hostile input.
#include <gtest/gtest.h>

#include "libsign/error.hpp"
#include "pdf/document.hpp"
#include "pdf/parser.hpp"
#include "pdf_builder.hpp"

using namespace libsign::pdf;
using pdftest::Builder;

namespace {

std::string code_of(const std::string& bytes) {
  try {
    Document::open(bytes);
  } catch (const libsign::Error& e) {
    EXPECT_EQ(e.category(), libsign::ErrorCategory::format);
    return e.code();
  }
  return "OK";
}

Builder minimal() {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  return b;
}

}  // namespace

TEST(PdfParser, ParsesDirectObjects) {
  std::string src = "<< /A (a\\(b\\)\\n\\101\\\r\nc) /B <48 65 6C6C 6F7> /N#20x 1 /R 12 3 R /Arr [1 -2 +3.5 .5 true null /X] >>";
  Parser p(src);
  ObjPtr o = p.parse_object();
  ASSERT_TRUE(o->is_dict());
  EXPECT_EQ(o->get("A")->as_string(), "a(b)\nAc");
  EXPECT_EQ(o->get("A")->token_begin(), 6u);  // the (
  EXPECT_EQ(o->get("B")->as_string(), std::string("Hello\x70", 6));
  EXPECT_TRUE(o->get("B")->hex_string());
  EXPECT_TRUE(o->has("N x"));
  EXPECT_EQ(o->get("R")->as_ref(), (Ref{12, 3}));
  const auto& arr = o->get("Arr")->items();
  ASSERT_EQ(arr.size(), 7u);
  EXPECT_EQ(arr[1]->as_int(), -2);
  EXPECT_DOUBLE_EQ(arr[2]->as_number(), 3.5);
  EXPECT_DOUBLE_EQ(arr[3]->as_number(), 0.5);
  EXPECT_TRUE(arr[4]->as_bool());
  EXPECT_TRUE(arr[5]->is_null());
  EXPECT_TRUE(arr[6]->is_name("X"));
}

TEST(PdfParser, RejectsDeepNestingAndGarbage) {
  std::string deep(100000, '[');
  Parser p(deep);
  try {
    p.parse_object();
    FAIL();
  } catch (const libsign::Error& e) {
    EXPECT_EQ(e.code(), "PDF_MALFORMED");
  }
  for (std::string bad : {"(unterminated", "<4G>", "<< /A >>", "<< 1 2 >>", "]", "12345678901234567890123"}) {
    Parser q(bad);
    EXPECT_THROW(q.parse_object(), libsign::Error) << bad;
  }
}

TEST(PdfDocument, ClassicXref) {
  Builder b = minimal();
  b.xref_table(3);
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 1u);
  EXPECT_FALSE(doc.revisions()[0].is_xref_stream);
  EXPECT_EQ(doc.revisions()[0].end_offset, b.data.size());
  EXPECT_TRUE(doc.catalog(0)->key_is_name("Type", "Catalog"));
  EXPECT_TRUE(doc.object(Ref{9, 0}, 0)->is_null());
  EXPECT_TRUE(doc.object(Ref{1, 1}, 0)->is_null());  // wrong generation
  EXPECT_EQ(doc.revision_ending_at(b.data.size()), 0u);
  EXPECT_EQ(doc.file_size(), b.data.size());
}

TEST(PdfDocument, XrefStreamWithPredictorAndObjectStream) {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /Extra 4 0 R >>");
  b.objstm(3, {{2, "<< /Type /Pages /Kids [] /Count 0 >>"}, {4, "[ (in objstm) 42 ]"}});
  b.xref_stream(6, 7);
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 1u);
  EXPECT_TRUE(doc.revisions()[0].is_xref_stream);
  EXPECT_TRUE(doc.object(Ref{2, 0}, 0)->key_is_name("Type", "Pages"));
  ObjPtr extra = doc.get(doc.catalog(0), "Extra", 0);
  ASSERT_TRUE(extra->is_array());
  EXPECT_EQ(extra->items()[0]->as_string(), "in objstm");
  EXPECT_EQ(doc.entry(4, 0)->type, XrefEntry::Type::Compressed);
}

TEST(PdfDocument, StreamDataAndFilters) {
  Builder b = minimal();
  std::string z = pdftest::deflate("hello stream");
  b.obj(3, "<< /Length 4 0 R /Filter [/FlateDecode] >>\nstream\n" + z + "\nendstream");
  b.obj(4, std::to_string(z.size()));
  b.stream(5, "/Filter /DCTDecode", "xx");
  b.xref_table(6);
  Document doc = Document::open(b.data);
  EXPECT_EQ(doc.stream_data(*doc.object(Ref{3, 0}, 0)), "hello stream");
  try {
    doc.stream_data(*doc.object(Ref{5, 0}, 0));
    FAIL();
  } catch (const libsign::Error& e) {
    EXPECT_EQ(e.code(), "PDF_UNSUPPORTED_FILTER");
  }
}

TEST(PdfDocument, IncrementalUpdatesHavePerRevisionViews) {
  Builder b = minimal();
  b.obj(3, "(old)");
  b.xref_table(4);
  size_t end0 = b.data.size();
  b.obj(3, "(new)");
  b.free_obj(2);
  b.xref_table(4);
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 2u);
  EXPECT_EQ(doc.revisions()[0].end_offset, end0);
  EXPECT_EQ(doc.revision_ending_at(end0), 0u);
  EXPECT_EQ(doc.object(Ref{3, 0}, 0)->as_string(), "old");
  EXPECT_EQ(doc.object(Ref{3, 0}, 1)->as_string(), "new");
  EXPECT_FALSE(doc.object(Ref{2, 0}, 0)->is_null());
  EXPECT_TRUE(doc.object(Ref{2, 0}, 1)->is_null());
  EXPECT_EQ(doc.revisions()[1].entries.size(), 2u);
}

TEST(PdfDocument, XrefStreamUpdateOnClassicFile) {
  Builder b = minimal();
  b.xref_table(3);
  b.objstm(4, {{3, "(compressed)"}});
  b.xref_stream(5, 6);
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 2u);
  EXPECT_TRUE(doc.revisions()[1].is_xref_stream);
  EXPECT_TRUE(doc.object(Ref{3, 0}, 0)->is_null());
  EXPECT_EQ(doc.object(Ref{3, 0}, 1)->as_string(), "compressed");
}

TEST(PdfDocument, HybridFile) {
  Builder b = minimal();
  b.objstm(4, {{3, "(hidden from old readers)"}});
  size_t stm = b.xref_stream(5, 6, "", true);
  b.xref_table(6, "/Root 1 0 R /XRefStm " + std::to_string(stm));
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 1u);
  EXPECT_TRUE(doc.revisions()[0].has_xref_stm);
  EXPECT_EQ(doc.revisions()[0].xref_stm_offset, stm);
  EXPECT_EQ(doc.object(Ref{3, 0}, 0)->as_string(), "hidden from old readers");
}

TEST(PdfDocument, ToleratesCommonSloppiness) {
  // Garbage before the header, CRLF line ends, no EOL after %%EOF, an xref offset one blank too early.
  Builder b("garbage\r\n%PDF-1.4\r\n");
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  b.data += "\n";
  size_t xref_at = b.xref_table(3);
  std::string s = b.data;
  s.pop_back();  // drop the final \n
  auto pos = s.rfind("startxref\n");
  s = s.substr(0, pos) + "startxref\r\n" + std::to_string(xref_at - 1) + "\r\n%%EOF";
  Document doc = Document::open(s);
  EXPECT_EQ(doc.revisions()[0].end_offset, s.size());
  EXPECT_TRUE(doc.catalog(0)->is_dict());
}

TEST(PdfDocumentErrors, InputCodes) {
  EXPECT_EQ(code_of(""), "INPUT_EMPTY");
  EXPECT_EQ(code_of("hello world"), "INPUT_NOT_PDF");
  EXPECT_EQ(code_of(std::string(2000, ' ') + "%PDF-1.7\n"), "INPUT_NOT_PDF");
  Builder b = minimal();
  b.xref_table(3);
  // Cut inside the last object, with no end marker after it: truncated, not rebuilt.
  EXPECT_EQ(code_of(b.data.substr(0, b.data.find("/Kids"))), "INPUT_TRUNCATED");
  // Cut inside the xref table (every object complete): rebuilt by scanning, with a repair.
  const std::string cut_bytes = b.data.substr(0, b.data.find("trailer"));  // a Document only views its bytes
  Document cut = Document::open(cut_bytes);
  EXPECT_TRUE(cut.reconstructed());
  // Only "%%EOF" lost: the xref is still read, the missing marker is a repair.
  const std::string no_eof_bytes = b.data.substr(0, b.data.size() - 7);
  Document no_eof = Document::open(no_eof_bytes);
  EXPECT_FALSE(no_eof.reconstructed());
  EXPECT_FALSE(no_eof.repairs().empty());
}

TEST(PdfDocumentErrors, Encrypted) {
  Builder b = minimal();
  b.obj(3, "<< /Filter /Standard /V 2 /R 3 >>");  // no /O, /U: the security handler cannot even try
  b.xref_table(4, "/Root 1 0 R /Encrypt 3 0 R");
  EXPECT_EQ(code_of(b.data), "PDF_MALFORMED");
  Builder pubsec = minimal();
  pubsec.obj(3, "<< /Filter /Adobe.PubSec /V 4 /R 4 >>");
  pubsec.xref_table(4, "/Root 1 0 R /Encrypt 3 0 R");
  EXPECT_EQ(code_of(pubsec.data), "PDF_UNSUPPORTED_ENCRYPTION");
}

TEST(PdfDocumentErrors, PrevLoop) {
  Builder b = minimal();
  size_t at = b.xref_table(3);
  b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
  size_t at2 = b.xref_table(3);
  std::string s = b.data;
  // Make the second section's /Prev point at itself.
  auto p = s.find("/Prev " + std::to_string(at));
  s.replace(p, 6 + std::to_string(at).size(), "/Prev " + std::to_string(at2));
  Document doc = Document::open(s);  // a loop hides sections: the revisions are rebuilt by scanning
  EXPECT_TRUE(doc.reconstructed());
  EXPECT_EQ(doc.revisions().size(), 2u);
}

TEST(PdfDocumentErrors, BadOffsetsAndObjects) {
  Builder b = minimal();
  b.xref_table(3);
  std::string s = b.data;
  // startxref past the end, pointing at garbage, xref entry pointing at the wrong object.
  // startxref past the end or at garbage: the xref is rebuilt by scanning.
  std::string past = s.substr(0, s.rfind("startxref")) + "startxref\n99999999\n%%EOF\n";
  EXPECT_TRUE(Document::open(past).reconstructed());
  std::string garbage = s.substr(0, s.rfind("startxref")) + "startxref\n20\n%%EOF\n";
  EXPECT_TRUE(Document::open(garbage).reconstructed());
  // An entry pointing at another object: object 1 is found by scanning, never taken from object 2.
  std::string wrong = s;
  auto e1 = wrong.find("00000 n");  // first in-use entry (object 1): point it at object 2
  auto off2 = std::to_string(s.find("2 0 obj"));
  wrong.replace(e1 - 11, 10, std::string(10 - off2.size(), '0') + off2);
  Document doc = Document::open(wrong);
  EXPECT_FALSE(doc.reconstructed());
  EXPECT_TRUE(doc.catalog(0)->key_is_name("Type", "Catalog"));
  ASSERT_EQ(doc.repairs().size(), 2u);
  EXPECT_EQ(doc.repairs()[0].kind, "xref-mismatch");  // the offset holds another object: worth its own kind
  EXPECT_EQ(doc.repairs()[1].kind, "object-offset");
}

TEST(PdfDocumentErrors, AbsurdValues) {
  {
    Builder b = minimal();
    b.obj(3, "<< /Length 999999999999 >>\nstream\nabc\nendstream");
    b.xref_table(4);
    Document doc = Document::open(b.data);
    EXPECT_EQ(doc.stream_data(*doc.object(Ref{3, 0}, 0)), "abc");  // cut at "endstream", a repair
    EXPECT_EQ(doc.repairs().size(), 1u);
  }
  {
    Builder b = minimal();
    b.xref_table(3);
    std::string s = b.data;
    s.replace(s.find("/Size 3"), 7, "/Size 999999999");
    Document doc = Document::open(s);  // /Size is only a hint: ignored, with a repair
    EXPECT_EQ(doc.repairs().size(), 1u);
  }
  {
    Builder b = minimal();
    b.obj(3, std::string(5000, '[') + std::string(5000, ']'));
    b.obj(4, "<< /Length 4 0 R >>\nstream\nabc\nendstream");  // /Length refers to itself
    b.xref_table(5);
    Document doc = Document::open(b.data);
    // Too deep to parse: read as null, with a repair. A /Length that needs its own stream: cut at "endstream".
    EXPECT_TRUE(doc.object(Ref{3, 0}, 0)->is_null());
    EXPECT_EQ(doc.stream_data(*doc.object(Ref{4, 0}, 0)), "abc");
    EXPECT_EQ(doc.repairs().size(), 2u);
  }
  {
    // A decompression bomb: more than the limit after inflating.
    Builder b = minimal();
    std::string z = pdftest::deflate(std::string(65u * 1024 * 1024, 'A'));
    b.obj(3, "<< /Length " + std::to_string(z.size()) + " /Filter /FlateDecode >>\nstream\n" + z + "\nendstream");
    b.xref_table(4);
    Document doc = Document::open(b.data);
    EXPECT_THROW(doc.stream_data(*doc.object(Ref{3, 0}, 0)), libsign::Error);
  }
}

TEST(PdfDocumentErrors, UnreadableObjectStreamInAnUpdateIsARepairNotAFailure) {
  Builder b = minimal();
  b.xref_table(3);
  b.objstm(4, {{5, "(hidden)"}});
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /Extra 5 0 R >>");
  b.xref_stream(6, 7);
  // Damage the compressed data of the object stream (an inflate error, as a bomb past the limit is).
  size_t data_at = b.data.find("stream\n", b.data.find("/Type /ObjStm")) + 7;
  for (size_t i = 2; i < 8; ++i) b.data[data_at + i] = static_cast<char>(0xFF);
  Document doc = Document::open(b.data);
  ASSERT_EQ(doc.revisions().size(), 2u);
  EXPECT_TRUE(doc.object(Ref{5, 0}, 1)->is_null());
  EXPECT_TRUE(doc.object(Ref{5, 0}, 1)->is_null());  // the failure is remembered, not decoded again
  auto repairs = doc.repairs();
  auto unreadable = std::find_if(repairs.begin(), repairs.end(), [](const auto& r) { return r.kind == "object-stream-unreadable"; });
  ASSERT_NE(unreadable, repairs.end());
  EXPECT_EQ(unreadable->revision, std::optional<size_t>(1));
}

TEST(PdfDocumentErrors, EncryptDictionaryReferringToItselfManyTimesIsRefusedQuickly) {
  // Found by fuzz_pdf_document: /Encrypt values copied for the security handler through repeated
  // references (here a cycle: each array holds itself twice) grew exponentially (24 GB from 31 KB).
  Builder b = minimal();
  b.obj(3, "<< /Filter /Standard /V 4 /R 4 /CF [3 0 R 3 0 R] /O <00> /U <00> /P -4 >>");
  b.xref_table(4, "/Root 1 0 R /Encrypt 3 0 R");
  try {
    Document::open(b.data);
    ADD_FAILURE() << "opened";
  } catch (const libsign::Error& e) {
    EXPECT_EQ(e.code(), "PDF_MALFORMED");
  }
}

TEST(PdfDocumentErrors, TruncatedPrefixesNeverCrash) {
  Builder b = pdftest::signed_base();
  b.obj(3, "<< /Type /Page /Parent 2 0 R /Annots [6 0 R] >>");
  b.xref_table(9);
  for (size_t cut = 0; cut < b.data.size(); cut += 7) {
    std::string s = b.data.substr(0, cut);
    try {
      Document doc = Document::open(s);
      for (size_t r = 0; r < doc.revisions().size(); ++r) doc.catalog(r);
    } catch (const libsign::Error&) {
    }
  }
  // Byte flips anywhere.
  for (size_t i = 0; i < b.data.size(); i += 3) {
    std::string s = b.data;
    s[i] = static_cast<char>(s[i] ^ 0x5A);
    try {
      Document doc = Document::open(s);
      for (size_t r = 0; r < doc.revisions().size(); ++r)
        for (uint32_t n = 0; n < 10; ++n) doc.object(Ref{n, 0}, r);
    } catch (const libsign::Error&) {
    }
  }
}
