// Long-term XAdES: the validation data read from UnsignedSignatureProperties (both namespaces, CRLs,
// OCSP as OCSPResponse or BasicOCSPResponse) counts offline; the archive timestamp's input covers what
// precedes it and nothing after it.
#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "core/encoding.hpp"
#include "libsign/error.hpp"
#include "libsign/sign.hpp"
#include "libsign/xml.hpp"
#include "pki/certificate.hpp"
#include "test_pki.hpp"
#include "test_support.hpp"
#include "xml/dsig.hpp"
#include "xml/xades_values.hpp"
#include "xml/xml_doc.hpp"

namespace {

using namespace libsign;
using test::pki_file;
using test::read_file;

const char* kForm =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<HDon><DLHDon Id=\"Id-1\"><TTChung><THDon>HÓA ĐƠN</THDon></TTChung></DLHDon><DSCKS><NBan/></DSCKS></HDon>\n";

std::string signed_xades_bb(const std::string& who = "gov-official") {
  auto signer = load_pkcs12_signer(pki_file(who + ".p12"), Secret::from_file(pki_file("p12-password.txt")));
  XmlSignOptions s;
  s.target_id = "Id-1";
  s.parent = "/HDon/DSCKS/NBan";
  s.xades = XadesLevel::b_b;
  s.signature_id = "seller";
  s.signing_time = parse_time("2026-06-20T03:00:00Z");
  return sign_xml(kForm, *signer, s);
}

std::string der_of_pem(const std::string& file) {
  auto certs = pki::parse_certificates(read_file(pki_file(file)));
  return pki::der_of(certs.front().get());
}

std::string b64(const std::string& der) { return core::base64_encode(der); }

// `unsigned_props` placed as the xades:UnsignedSignatureProperties of the signed form.
std::string with_unsigned(const std::string& unsigned_props, const std::string& who = "gov-official") {
  std::string xml = signed_xades_bb(who);
  const std::string end = "</xades:QualifyingProperties>";
  size_t at = xml.find(end);
  EXPECT_NE(at, std::string::npos);
  xml.insert(at, "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>" + unsigned_props +
                     "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>");
  return xml;
}

// A BasicOCSPResponse "good" for gov-official, signed by the delegated responder gov-ocsp.
std::string basic_ocsp_good() {
  auto leaf = pki::parse_certificates(read_file(pki_file("gov-official.pem")));
  auto ca = pki::parse_certificates(read_file(pki_file("gov-ca.pem")));
  auto responder = pki::parse_certificates(read_file(pki_file("gov-ocsp.pem")));
  std::string key_pem = read_file(pki_file("gov-ocsp.key.pem"));
  BIO* bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), leaf.front().get(), ca.front().get());
  OCSP_BASICRESP* basic = OCSP_BASICRESP_new();
  ASN1_TIME* this_update = ASN1_TIME_set(nullptr, 1780272000);  // 2026-06-01
  ASN1_TIME* next_update = ASN1_TIME_set(nullptr, 2095891200);  // 2036-06-01
  OCSP_basic_add1_status(basic, id, V_OCSP_CERTSTATUS_GOOD, 0, nullptr, this_update, next_update);
  STACK_OF(X509)* extra = sk_X509_new_null();
  EXPECT_EQ(OCSP_basic_sign(basic, responder.front().get(), key, EVP_sha256(), extra, 0), 1);
  unsigned char* out = nullptr;
  int len = i2d_OCSP_BASICRESP(basic, &out);
  std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  sk_X509_free(extra);
  ASN1_TIME_free(this_update);
  ASN1_TIME_free(next_update);
  OCSP_CERTID_free(id);
  OCSP_BASICRESP_free(basic);
  EVP_PKEY_free(key);
  return der;
}

Verifier offline_required() {
  VerifyOptions o = test::test_gov_options();
  o.revocation.online = false;
  o.revocation.require = true;
  return Verifier(o);
}

const char* kXades141 = "xmlns:xades141=\"http://uri.etsi.org/01903/v1.4.1#\"";

TEST(XadesValues, ReadsBothNamespacesAndWrapsBasicOcsp) {
  std::string basic = basic_ocsp_good();
  std::string xml = with_unsigned(
      "<xades:CertificateValues><xades:EncapsulatedX509Certificate>" + b64(der_of_pem("gov-ca.pem")) +
      "</xades:EncapsulatedX509Certificate></xades:CertificateValues>"
      "<xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>" + b64(basic) +
      "</xades:EncapsulatedOCSPValue></xades:OCSPValues></xades:RevocationValues>"
      "<xades141:TimeStampValidationData " + kXades141 + "><xades141:RevocationValues><xades141:CRLValues>"
      "<xades141:EncapsulatedCRLValue>" + b64(read_file(pki_file("gov-root.crl.der"))) +
      "</xades141:EncapsulatedCRLValue><xades141:EncapsulatedCRLValue>bm90IGEgQ1JM</xades141:EncapsulatedCRLValue>"
      "</xades141:CRLValues></xades141:RevocationValues></xades141:TimeStampValidationData>");
  xml::DocPtr doc = xml::parse(xml);
  xmlNode* sig = xml::find_all(doc.get(), xml::kDsigNs, "Signature").front();
  xml::XadesValues v = xml::read_xades_values(sig);
  EXPECT_TRUE(v.has_certificate_values);
  EXPECT_TRUE(v.has_revocation_values);
  ASSERT_EQ(v.certificates.size(), 1u);
  EXPECT_EQ(v.crls.size(), 1u);
  EXPECT_EQ(v.unreadable, 1);  // "not a CRL"
  ASSERT_EQ(v.ocsp.size(), 1u);
  EXPECT_NE(v.ocsp[0], basic);  // wrapped as an OCSPResponse
  EXPECT_EQ(xml::as_ocsp_response(v.ocsp[0]), v.ocsp[0]);
  EXPECT_FALSE(xml::as_ocsp_response("garbage"));
}

TEST(XadesValues, RevocationFromTheValuesCountsOffline) {
  Verifier verifier = offline_required();
  DocumentReport bare = verifier.verify_xml(signed_xades_bb(), XmlVerifyOptions{});
  ASSERT_EQ(bare.signatures.size(), 1u);
  EXPECT_EQ(bare.signatures[0].sub_indication, SubIndication::try_later);  // nothing embedded, no network

  std::string xml = with_unsigned(
      "<xades:CertificateValues/><xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>" +
      b64(basic_ocsp_good()) + "</xades:EncapsulatedOCSPValue></xades:OCSPValues><xades:CRLValues>"
      "<xades:EncapsulatedCRLValue>" + b64(read_file(pki_file("gov-root.crl.der"))) +
      "</xades:EncapsulatedCRLValue></xades:CRLValues></xades:RevocationValues>");
  DocumentReport r = verifier.verify_xml(xml, XmlVerifyOptions{});
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.indication, Indication::total_passed);
  EXPECT_EQ(s.subfilter, "XAdES-B-LT");
  EXPECT_EQ(s.revocation.status, "good");
  EXPECT_EQ(s.revocation.source, "xades-values");
  EXPECT_TRUE(s.has_finding("REVOCATION_GOOD"));
  EXPECT_FALSE(s.has_finding("REVOCATION_NOT_CHECKED"));
}

TEST(XadesValues, RevokedSignerInTheValuesIsReported) {
  // gov-ca's CRL lists gov-revoked (2026-01-15): found offline in RevocationValues.
  std::string xml = with_unsigned("<xades:RevocationValues><xades:CRLValues><xades:EncapsulatedCRLValue>" +
                                      b64(read_file(pki_file("gov-ca.crl.der"))) + "</xades:EncapsulatedCRLValue>"
                                      "<xades:EncapsulatedCRLValue>" + b64(read_file(pki_file("gov-root.crl.der"))) +
                                      "</xades:EncapsulatedCRLValue></xades:CRLValues></xades:RevocationValues>",
                                  "gov-revoked");
  DocumentReport r = offline_required().verify_xml(xml, XmlVerifyOptions{});
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_NE(r.signatures[0].indication, Indication::total_passed);
  EXPECT_EQ(r.signatures[0].revocation.status, "revoked");
  EXPECT_TRUE(r.signatures[0].has_finding("CERT_REVOKED"));
}

TEST(XadesArchive, InputCoversWhatPrecedesTheTimestampOnly) {
  auto input_of = [](const std::string& xml) {
    xml::DocPtr doc = xml::parse(xml);
    xmlNode* sig = xml::find_all(doc.get(), xml::kDsigNs, "Signature").front();
    xml::XadesValues v = xml::read_xades_values(sig);
    EXPECT_EQ(v.archive_timestamps.size(), 1u);
    return xml::archive_timestamp_input(doc.get(), sig, {"REFDATA"}, v, v.archive_timestamps.front().node,
                                        v.archive_timestamps.front().c14n);
  };
  auto form = [&](const std::string& cert_b64, const std::string& after) {
    return with_unsigned("<xades:CertificateValues><xades:EncapsulatedX509Certificate>" + cert_b64 +
                         "</xades:EncapsulatedX509Certificate></xades:CertificateValues>"
                         "<xades141:ArchiveTimeStamp " + std::string(kXades141) +
                         "><xades:EncapsulatedTimeStamp>AAAA</xades:EncapsulatedTimeStamp></xades141:ArchiveTimeStamp>" + after);
  };
  std::string ca = b64(der_of_pem("gov-ca.pem"));
  std::string base = input_of(form(ca, ""));
  EXPECT_EQ(base.rfind("REFDATA<SignedInfo", 0), 0u);  // the references' data, then SignedInfo
  EXPECT_NE(base.find("<SignatureValue"), std::string::npos);
  EXPECT_NE(base.find("<KeyInfo"), std::string::npos);
  EXPECT_NE(base.find(ca), std::string::npos);
  EXPECT_EQ(base.find("EncapsulatedTimeStamp>AAAA"), std::string::npos);  // not itself
  EXPECT_EQ(base.find("<xades:SignedProperties"), std::string::npos);    // not the QualifyingProperties object
  // A later property changes nothing; a changed earlier one changes the input.
  EXPECT_EQ(input_of(form(ca, "<xades:CertificateValues/>")), base);
  std::string changed = ca;
  changed[40] = changed[40] == 'A' ? 'B' : 'A';
  EXPECT_NE(input_of(form(changed, "")), base);
}

TEST(XadesArchive, ABrokenArchiveTimestampIsReportedAndProvesNothing) {
  std::string xml = with_unsigned("<xades141:ArchiveTimeStamp " + std::string(kXades141) +
                                  "><xades:EncapsulatedTimeStamp>AAAA</xades:EncapsulatedTimeStamp></xades141:ArchiveTimeStamp>");
  VerifyOptions o = test::test_gov_options();
  DocumentReport r = Verifier(o).verify_xml(xml, XmlVerifyOptions{});
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.subfilter, "XAdES-B-LTA");
  EXPECT_TRUE(s.has_finding("ARCHIVE_TIMESTAMP_INVALID"));
  ASSERT_EQ(s.archive_timestamps.size(), 1u);
  EXPECT_FALSE(s.archive_timestamps[0].valid);
  EXPECT_FALSE(s.timestamp.present);
}

TEST(XadesExtend, PlainXmlDsigIsRefused) {
  auto signer = load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
  XmlSignOptions s;
  s.target_id = "Id-1";
  std::string plain = sign_xml(kForm, *signer, s);
  try {
    extend_xml(plain, ExtendOptions{});
    FAIL() << "a plain XML-DSig signature was extended";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "XML_NOT_XADES");
  }
  try {
    extend_xml(kForm, ExtendOptions{});
    FAIL() << "an unsigned form was extended";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "NO_SIGNATURE_FOUND");
  }
}

}  // namespace
