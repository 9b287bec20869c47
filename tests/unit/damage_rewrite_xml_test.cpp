// damage/xml_damage: XML e-forms damaged after signing, each class proven by undoing it, and the
// candidate original verifying again.
#include <gtest/gtest.h>

#include <chrono>

#include "core/encoding.hpp"
#include "damage/xml_damage.hpp"
#include "libsign/xml.hpp"
#include "test_pki.hpp"

namespace {

using namespace libsign;
using damage::find_xml_damage;

const char* kForm =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<HDon><DLHDon Id=\"Id-1\"><TTChung><THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon></TTChung>"
    "<NDHDon><NBan><Ten>Công ty Cổ phần Thử</Ten><DChi>Phường Điện Biên, Quận Ba Đình</DChi></NBan></NDHDon>"
    "</DLHDon><DSCKS><NBan/></DSCKS></HDon>\n";

const char* kNamespacedForm =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<inv:HDon xmlns:inv=\"http://example.gov.vn/hoadon\"><inv:DLHDon Id=\"Id-1\"><inv:Ten>Công ty Thử</inv:Ten>"
    "</inv:DLHDon><inv:DSCKS><inv:NBan/></inv:DSCKS></inv:HDon>\n";

std::string sign(const std::string& form) {
  auto signer = load_pkcs12_signer(test::pki_file("gov-ecdsa.p12"), Secret::from_file(test::pki_file("p12-password.txt")));
  XmlSignOptions s;
  s.target_id = "Id-1";
  s.parent = form.find("inv:") != std::string::npos ? "//*[local-name()='DSCKS']/*[local-name()='NBan']" : "/HDon/DSCKS/NBan";
  s.signing_time = parse_time("2026-06-20T03:00:00Z");
  return sign_xml(form, *signer, s);
}

const std::string& signed_form() {
  static const std::string s = sign(kForm);
  return s;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

// UTF-8 text as a Windows-1252 reader sees it, written back as UTF-8 (only bytes whose cp1252
// character is Latin-1 or below 0x80 occur in kForm's letters, plus a few from the 0x80 row).
std::string mojibake_1252(const std::string& utf8) {
  static const char16_t row80[32] = {0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                                     0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                                     0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178};
  std::string out;
  for (unsigned char b : utf8) {
    char32_t c = b < 0x80 ? b : b < 0xA0 ? row80[b - 0x80] : b;
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

const damage::Damage* find(const std::vector<damage::Damage>& all, const std::string& code) {
  for (const auto& d : all)
    if (d.finding.code == code) return &d;
  return nullptr;
}

// The candidate, verified on its own, passes (the test PKI's government profile).
void expect_candidate_passes(const damage::Damage& d) {
  ASSERT_TRUE(d.candidate.has_value());
  DocumentReport r = Verifier(test::test_gov_options()).verify_xml(*d.candidate, {});
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.indication, Indication::total_passed) << *d.candidate;
}

TEST(DamageXmlText, UndoMojibakeAndComposeVietnamese) {
  EXPECT_EQ(damage::undo_mojibake(mojibake_1252("Công ty Cổ phần"), "windows-1252"), "Công ty Cổ phần");
  // Windows-1258 reads 0xC3 as Ă: "Công" (43 C3 B4 ...) became "CĂ´ng".
  EXPECT_EQ(damage::undo_mojibake("C\xC4\x82\xC2\xB4ng", "windows-1258"), "Công");
  EXPECT_EQ(damage::undo_mojibake("Công ty", "windows-1252"), "");  // real Vietnamese is not mojibake
  EXPECT_EQ(damage::undo_mojibake("plain ascii", "windows-1252"), "");
  // "Thử" decomposed: u + U+031B (horn) + U+0309 (hook above).
  EXPECT_EQ(damage::compose_vietnamese("Th\x75\xCC\x9B\xCC\x89"), "Thử");
  EXPECT_EQ(damage::compose_vietnamese("Thử"), "Thử");
  // Windows-1258 keeps Ê precomposed and writes the tone apart: Ê + U+0323 is Ệ (NFC reorders the marks).
  EXPECT_EQ(damage::compose_vietnamese("NGHI\xC3\x8A\xCC\xA3M"), "NGHIỆM");
}

TEST(DamageXml, PrettyPrintedFormIsProvenAndRecovered) {
  std::string xml = signed_form();
  replace_all(xml, "><TTChung>", ">\n    <TTChung>");
  replace_all(xml, "</TTChung><NDHDon>", "</TTChung>\n    <NDHDon>");
  replace_all(xml, "</NDHDon></DLHDon>", "</NDHDon>\n  </DLHDon>");
  auto all = find_xml_damage(xml);
  const damage::Damage* d = find(all, "DAMAGE_XML_REFORMATTED");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->finding.evidence.at("class"), "xml_reformatted");
  EXPECT_EQ(d->finding.evidence.at("reversible"), "true");
  EXPECT_EQ(d->finding.evidence.at("whitespace_nodes_removed"), "3");
  EXPECT_EQ(d->finding.evidence.at("element"), "/HDon/DLHDon");
  EXPECT_NE(d->finding.evidence.at("received_excerpt").find("\\n"), std::string::npos);
  expect_candidate_passes(*d);
  EXPECT_EQ(find(all, "DAMAGE_XML_REENCODED"), nullptr);
}

TEST(DamageXml, MojibakeTextIsProvenAndRecovered) {
  std::string xml = signed_form();
  replace_all(xml, "Công ty Cổ phần Thử", mojibake_1252("Công ty Cổ phần Thử"));
  auto all = find_xml_damage(xml);
  const damage::Damage* d = find(all, "DAMAGE_XML_REENCODED");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->finding.evidence.at("encoding"), "windows-1252");
  EXPECT_EQ(d->finding.evidence.at("text_nodes_repaired"), "1");
  expect_candidate_passes(*d);
  EXPECT_EQ(find(all, "DAMAGE_XML_REFORMATTED"), nullptr);
}

TEST(DamageXml, DecomposedVietnameseIsProvenAndRecovered) {
  std::string xml = signed_form();
  replace_all(xml, "Thử", "Th\x75\xCC\x9B\xCC\x89");
  const damage::Damage* d = nullptr;
  auto all = find_xml_damage(xml);
  d = find(all, "DAMAGE_XML_REENCODED");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->finding.evidence.at("encoding"), "decomposed");
  expect_candidate_passes(*d);
}

TEST(DamageXml, NamespacePrefixRewriteIsProvenAndRecovered) {
  std::string xml = sign(kNamespacedForm);
  replace_all(xml, "<inv:", "<");
  replace_all(xml, "</inv:", "</");
  replace_all(xml, "xmlns:inv=", "xmlns=");
  auto all = find_xml_damage(xml);
  const damage::Damage* d = find(all, "DAMAGE_XML_PREFIXES");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->finding.evidence.at("namespace"), "http://example.gov.vn/hoadon");
  EXPECT_EQ(d->finding.evidence.at("prefix_received"), "(default)");
  EXPECT_EQ(d->finding.evidence.at("prefix_original"), "inv");
  expect_candidate_passes(*d);
}

TEST(DamageXml, ByteOrderMarksAndBase64) {
  const damage::Damage* d = nullptr;
  auto boms = find_xml_damage("\xEF\xBB\xBF\xEF\xBB\xBF" + signed_form());
  d = find(boms, "DAMAGE_XML_BOM");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->finding.evidence.at("byte_order_marks"), "2");
  expect_candidate_passes(*d);

  auto b64 = find_xml_damage(core::base64_encode(signed_form()));
  d = find(b64, "DAMAGE_XML_BASE64");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->finding.evidence.at("layers"), "1");
  expect_candidate_passes(*d);
}

TEST(DamageXml, HealthyAndTamperedFormsShowNoDamage) {
  EXPECT_TRUE(find_xml_damage(signed_form()).empty());
  std::string tampered = signed_form();
  replace_all(tampered, "Công ty Cổ phần Thử", "Công ty Cổ phần Giả");
  EXPECT_TRUE(find_xml_damage(tampered).empty());  // a real change is not transport damage
  EXPECT_TRUE(find_xml_damage("not xml at all").empty());
}

}  // namespace

namespace {

TEST(DamageXml, HostileInputsEndFastWithNothing) {
  std::string junk_b64;
  for (size_t i = 0; junk_b64.size() < (20u << 20); ++i) junk_b64 += "QUJDRA" + std::to_string(i % 10) + "x";
  std::string latin = "<a>" + std::string(20u << 20, '\xE9') + "</a>";
  std::string boms;
  for (int i = 0; i < 100000; ++i) boms += "\xEF\xBB\xBF";
  for (const std::string* input : {&junk_b64, &latin, &boms}) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(libsign::damage::find_xml_damage(*input).empty());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  }
}

}  // namespace
