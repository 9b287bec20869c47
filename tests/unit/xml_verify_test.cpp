// XML signing and verification end to end in C++ (also what LeakSanitizer checks in the ASan
// build): sign through a Signer, verify with the shared pipeline, several threads on one Verifier.
#include <gtest/gtest.h>

#include <thread>

#include "core/encoding.hpp"
#include "libsign/xml.hpp"
#include "test_pki.hpp"
#include "test_support.hpp"

namespace {

using namespace libsign;

const char* kForm =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<HDon><DLHDon Id=\"Id-1\"><TTChung><THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon></TTChung>"
    "<NDHDon><NBan><Ten>Công ty Thử</Ten></NBan></NDHDon></DLHDon><DSCKS><NBan/></DSCKS></HDon>\n";

using test::pki_file;

Verifier test_gov() {
  return Verifier(test::test_gov_options());
}

std::string signed_form(XadesLevel level = XadesLevel::none) {
  auto signer = load_pkcs12_signer(pki_file("gov-ecdsa.p12"), Secret::from_file(pki_file("p12-password.txt")));
  XmlSignOptions s;
  s.target_id = "Id-1";
  s.parent = "/HDon/DSCKS/NBan";
  s.xades = level;
  s.signing_time = parse_time("2026-06-20T03:00:00Z");
  return sign_xml(kForm, *signer, s);
}

TEST(XmlVerify, SignedFormPassesAndNamesWhatItCovers) {
  Verifier verifier = test_gov();
  XmlVerifyOptions o;
  o.target_id = "/HDon/DLHDon";
  DocumentReport r = verifier.verify_xml(signed_form(XadesLevel::b_b), o);
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.format, "xml");
  EXPECT_EQ(r.indication, Indication::total_passed);
  EXPECT_EQ(r.signatures[0].subfilter, "XAdES-B-B");
  EXPECT_EQ(r.signatures[0].signing_time, "2026-06-20T03:00:00Z");
  EXPECT_TRUE(r.has_finding("XML_TARGET_SIGNED"));
  EXPECT_EQ(verifier.verify(signed_form()).format, "xml");  // format detection
}

TEST(XmlVerify, TamperedFormFailsWithTheChangedBytesInTheEvidence) {
  std::string xml = signed_form();
  xml.replace(xml.find("Công ty Thử"), std::string("Công ty Thử").size(), "Công ty Giả");
  XmlVerifyOptions o;
  o.include_canonical = true;
  DocumentReport r = test_gov().verify_xml(xml, o);
  EXPECT_EQ(r.indication, Indication::total_failed);
  EXPECT_EQ(r.sub_indication, SubIndication::hash_failure);
  bool found = false;
  for (const auto& f : r.signatures[0].findings)
    if (f.code == "XML_DIGEST_MISMATCH") found = f.evidence.count("canonical_b64") == 1;
  EXPECT_TRUE(found);
}

TEST(XmlVerify, OneVerifierManyThreads) {
  Verifier verifier = test_gov();
  std::string good = signed_form(), bad = good;
  bad.replace(bad.find("Công ty"), 4, "CONG");
  std::vector<std::thread> threads;
  std::vector<int> passed(4, 0), failed(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (verifier.verify_xml(good, {}).indication == Indication::total_passed) ++passed[t];
        if (verifier.verify_xml(bad, {}).indication == Indication::total_failed) ++failed[t];
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(passed[t], 25);
    EXPECT_EQ(failed[t], 25);
  }
}

// Found by fuzz_verify: a KeyInfo certificate whose public key OpenSSL cannot decode (here the
// P-256 curve OID turned into an unknown one) still parses as a certificate, with no key at all.
// It must end in a report, never in a null dereference.
TEST(XmlVerify, CertificateWithUndecodableKeyEndsInAReport) {
  std::string xml = signed_form();
  size_t begin = xml.find("X509Certificate>");  // whatever the prefix
  ASSERT_NE(begin, std::string::npos);
  begin += std::string("X509Certificate>").size();
  size_t end = xml.find('<', begin);
  auto der = core::base64_decode(xml.substr(begin, end - begin));
  ASSERT_TRUE(der);
  const std::string p256("\x06\x08\x2A\x86\x48\xCE\x3D\x03\x01\x07", 10);
  size_t curve = der->find(p256);
  ASSERT_NE(curve, std::string::npos);
  (*der)[curve + 9] = '\x7F';
  xml.replace(begin, end - begin, core::base64_encode(*der));
  DocumentReport r = test_gov().verify_xml(xml, {});
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_NE(r.indication, Indication::total_passed);
  EXPECT_TRUE(r.has_finding("SIGNATURE_INVALID"));  // the key-less certificate verifies nothing
}

TEST(XmlSign, SubjectNameInPortalOrder) {
  auto signer = load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
  std::string name = xml_subject_name(signer->certificates().front());
  EXPECT_EQ(name.rfind("C=VN, ST=", 0), 0u) << name;
  EXPECT_LT(name.find("CN="), name.find("UID="));
}

}  // namespace
