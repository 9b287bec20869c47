// Signature wrapping around whole-document and Id references, and ds:Manifest references: documents
// signed here (sign_template completes a hand-written ds:Signature), then wrapped by moving or
// duplicating the signed element. A wrapped document must never come out TOTAL_PASSED.
#include <gtest/gtest.h>

#include "core/encoding.hpp"
#include "libsign/xml.hpp"
#include "test_pki.hpp"
#include "test_support.hpp"
#include "xml/dsig.hpp"
#include "xml/xml_doc.hpp"

namespace {

using namespace libsign;
using test::pki_file;

Verifier test_gov() {
  return Verifier(test::test_gov_options());
}

const std::string kExc = "http://www.w3.org/2001/10/xml-exc-c14n#";

std::string transform(const std::string& algorithm, const std::string& body = "") {
  return "<ds:Transform Algorithm='" + algorithm + "'>" + body + "</ds:Transform>";
}
const std::string kEnveloped = transform("http://www.w3.org/2000/09/xmldsig#enveloped-signature");
const std::string kExcC14n = transform(kExc);
std::string filter2(const std::string& filter, const std::string& expression) {
  return transform("http://www.w3.org/2002/06/xmldsig-filter2",
                   "<f:XPath xmlns:f='http://www.w3.org/2002/06/xmldsig-filter2' Filter='" + filter + "'>" + expression +
                       "</f:XPath>");
}

std::string reference(const std::string& uri, const std::string& transforms, const std::string& type = "") {
  return "<ds:Reference URI='" + uri + "'" + (type.empty() ? "" : " Type='" + type + "'") + "><ds:Transforms>" +
         transforms +
         "</ds:Transforms><ds:DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/>"
         "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference>";
}

// A ds:Signature (prefix ds, so that elements moved into its Object keep their own namespace).
std::string signature(const std::string& references, const std::string& objects = "", const std::string& id = "sig") {
  return "<ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#' Id='" + id +
         "'><ds:SignedInfo><ds:CanonicalizationMethod Algorithm='" + kExc +
         "'/><ds:SignatureMethod Algorithm='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'/>" + references +
         "</ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AA=="
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>" +
         objects + "</ds:Signature>";
}

// Fills in the digests (manifests first: SignedInfo may digest them), the certificate and the value
// of every ds:Signature, in document order.
std::string sign_template(const std::string& xml) {
  auto signer = load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
  xml::DocPtr doc = xml::parse(xml);
  for (xmlNode* sig : xml::find_all(doc.get(), xml::kDsigNs, "Signature")) {
    auto fill = [&](xmlNode* parent) {
      for (xmlNode* ref : xml::children(parent, xml::kDsigNs, "Reference")) {
        xml::ReferenceResult r = xml::process_reference(doc.get(), sig, ref, {});
        if (!r.actual_b64.empty())
          xmlNodeSetContent(xml::first_child(ref, xml::kDsigNs, "DigestValue"), BAD_CAST r.actual_b64.c_str());
      }
    };
    for (xmlNode* object : xml::children(sig, xml::kDsigNs, "Object"))
      for (xmlNode* m : xml::children(object, xml::kDsigNs, "Manifest")) fill(m);
    fill(xml::first_child(sig, xml::kDsigNs, "SignedInfo"));
    xmlNode* cert = xml::first_child(xml::first_child(xml::first_child(sig, xml::kDsigNs, "KeyInfo"), xml::kDsigNs, "X509Data"),
                                     xml::kDsigNs, "X509Certificate");
    xmlNodeSetContent(cert, BAD_CAST core::base64_encode(signer->certificates().front()).c_str());
    std::string value = signer->sign(xml::canonical_signed_info(doc.get(), xml::parse_signature(sig)), "sha256");
    xmlNodeSetContent(xml::first_child(sig, xml::kDsigNs, "SignatureValue"), BAD_CAST core::base64_encode(value).c_str());
  }
  return xml::serialize(doc.get());
}

void replace(std::string& s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s.replace(at, from.size(), to);
}

const Finding* finding(const SignatureReport& s, const std::string& code) {
  for (const auto& f : s.findings)
    if (f.code == code) return &f;
  return nullptr;
}

const std::string kData = "<DLHDon Id='Id-1'><NDHDon><Ten>Cong ty Thu</Ten><TgTTTBSo>1000000</TgTTTBSo></NDHDon></DLHDon>";

TEST(XmlWrapping, WholeDocumentReferenceNamesItsSignedRoot) {
  std::string xml = sign_template("<HDon>" + kData + signature(reference("", kEnveloped + kExcC14n)) + "</HDon>");
  DocumentReport r = test_gov().verify_xml(xml, {});
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.indication, Indication::total_passed);
  const Finding* valid = finding(r.signatures[0], "XML_REFERENCE_VALID");
  ASSERT_NE(valid, nullptr);
  EXPECT_EQ(valid->evidence.at("signed_root"), "/HDon");
  EXPECT_EQ(valid->evidence.at("signed_root_name"), "HDon");
  EXPECT_EQ(valid->evidence.at("signed_root_namespace"), "");
  EXPECT_FALSE(r.has_finding("XML_SIGNED_ROOT_NOT_TARGET"));
}

TEST(XmlWrapping, FilterThatCutsTheReadContentIsNotPassed) {
  // URI="" but Filter 2.0 subtracts the amounts: the signature holds, the amount a portal reads is unsigned.
  std::string xml = sign_template(
      "<HDon>" + kData +
      signature(reference("", kEnveloped + filter2("subtract", "/HDon/DLHDon/NDHDon/TgTTTBSo") + kExcC14n)) + "</HDon>");
  replace(xml, "1000000", "9000000");
  DocumentReport r = test_gov().verify_xml(xml, {});
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.indication, Indication::indeterminate);
  EXPECT_EQ(r.sub_indication, SubIndication::signed_data_not_found);
  const Finding* f = finding(r.signatures[0], "XML_SIGNED_ROOT_NOT_TARGET");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at("shape"), "whole_document_not_read_content");
  EXPECT_EQ(f->evidence.at("consumer_element"), "/HDon/DLHDon");
  EXPECT_EQ(f->evidence.at("unsigned_node"), "/HDon/DLHDon/NDHDon/TgTTTBSo");

  // Naming the element read: the verdict is check_target's, judged on the signed node set.
  XmlVerifyOptions o;
  o.target_id = "/HDon/DLHDon";
  DocumentReport t = test_gov().verify_xml(xml, o);
  EXPECT_EQ(t.indication, Indication::indeterminate);
  EXPECT_TRUE(t.has_finding("XML_TARGET_NOT_SIGNED"));
  EXPECT_FALSE(t.has_finding("XML_TARGET_SIGNED"));
}

TEST(XmlWrapping, FilterKeepingTheDataElementOfAKnownLayoutPasses) {
  std::string xml = sign_template(
      "<HDon>" + kData + "<DSCKS/>" + signature(reference("", filter2("intersect", "/HDon/DLHDon") + kExcC14n)) + "</HDon>");
  DocumentReport r = test_gov().verify_xml(xml, {});
  EXPECT_EQ(r.indication, Indication::total_passed);
  const Finding* valid = finding(r.signatures[0], "XML_REFERENCE_VALID");
  ASSERT_NE(valid, nullptr);
  EXPECT_EQ(valid->evidence.at("signed_root"), "/HDon/DLHDon");
  // Without a known layout the reader reads the whole document: the same filter leaves it unsigned.
  std::string other = sign_template(
      "<Doc><Data>1</Data><Note>x</Note>" + signature(reference("", filter2("intersect", "/Doc/Data") + kExcC14n)) + "</Doc>");
  DocumentReport o = test_gov().verify_xml(other, {});
  EXPECT_NE(o.indication, Indication::total_passed);
  EXPECT_TRUE(o.has_finding("XML_SIGNED_ROOT_NOT_TARGET"));
  // The document element as a bare container (xmlsec's x509data-test.xml shape): its own node may be
  // left out, not its attributes.
  const std::string keep = signature(reference("", filter2("intersect", "/Doc/Data") + kExcC14n));
  DocumentReport bare = test_gov().verify_xml(sign_template("<Doc><Data>1</Data>" + keep + "</Doc>"), {});
  EXPECT_EQ(bare.indication, Indication::total_passed);
  DocumentReport attr = test_gov().verify_xml(sign_template("<Doc mode='test'><Data>1</Data>" + keep + "</Doc>"), {});
  EXPECT_TRUE(attr.has_finding("XML_SIGNED_ROOT_NOT_TARGET"));
}

TEST(XmlWrapping, SignedCopyMovedIntoTheSignatureObject) {
  // Classic XSW: the signed element goes into ds:Object, a forged one takes its place.
  const std::string data = "<Data Id='d'><Amount>100</Amount></Data>";
  std::string xml = sign_template("<Doc>" + data + signature(reference("#d", kExcC14n), "<ds:Object/>") + "</Doc>");
  EXPECT_EQ(test_gov().verify_xml(xml, {}).indication, Indication::total_passed);
  std::string signed_data = xml.substr(xml.find("<Data"), xml.find("</Data>") + 7 - xml.find("<Data"));
  replace(xml, signed_data, "<Data><Amount>999</Amount></Data>");
  replace(xml, "<ds:Object/>", "<ds:Object>" + signed_data + "</ds:Object>");
  DocumentReport r = test_gov().verify_xml(xml, {});
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_TRUE(r.signatures[0].has_finding("XML_REFERENCE_VALID"));  // the signature itself holds
  EXPECT_EQ(r.indication, Indication::indeterminate);
  const Finding* f = finding(r.signatures[0], "XML_SIGNED_ROOT_NOT_TARGET");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at("shape"), "signed_copy_in_signature");
  EXPECT_EQ(f->evidence.at("consumer_element"), "/Doc/Data");
}

TEST(XmlWrapping, EinvoiceDataMovedIntoTheObjectIsFlaggedByItsLayout) {
  std::string xml = sign_template("<HDon>" + kData + "<DSCKS>" + signature(reference("#Id-1", kExcC14n), "<ds:Object/>") +
                                  "</DSCKS></HDon>");
  std::string signed_data = xml.substr(xml.find("<DLHDon"), xml.find("</DLHDon>") + 9 - xml.find("<DLHDon"));
  std::string forged = signed_data;
  replace(forged, "1000000", "1");
  replace(forged, " Id=\"Id-1\"", "");
  replace(xml, signed_data, forged);
  replace(xml, "<ds:Object/>", "<ds:Object>" + signed_data + "</ds:Object>");
  DocumentReport r = test_gov().verify_xml(xml, {});
  EXPECT_EQ(r.indication, Indication::indeterminate);
  const Finding* f = finding(r.signatures[0], "XML_SIGNED_ROOT_NOT_TARGET");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at("shape"), "data_element_elsewhere");
}

TEST(XmlWrapping, UnsignedTwinBeforeOrAroundTheSignedElement) {
  const std::string data = "<Data Id='d'><Amount>100</Amount></Data>";
  std::string xml = sign_template("<Doc>" + data + signature(reference("#d", kExcC14n)) + "</Doc>");
  std::string signed_data = xml.substr(xml.find("<Data"), xml.find("</Data>") + 7 - xml.find("<Data"));
  {
    std::string first = xml;
    replace(first, signed_data, "<Data><Amount>999</Amount></Data>" + signed_data);
    DocumentReport r = test_gov().verify_xml(first, {});
    EXPECT_EQ(r.indication, Indication::indeterminate);
    const Finding* f = finding(r.signatures[0], "XML_SIGNED_ROOT_NOT_TARGET");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->evidence.at("shape"), "unsigned_copy_first");
  }
  {
    std::string wrapped = xml;
    replace(wrapped, signed_data, "<Data><Amount>999</Amount>" + signed_data + "</Data>");
    DocumentReport r = test_gov().verify_xml(wrapped, {});
    EXPECT_EQ(r.indication, Indication::indeterminate);
    const Finding* f = finding(r.signatures[0], "XML_SIGNED_ROOT_NOT_TARGET");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->evidence.at("shape"), "signed_copy_inside_unsigned");
  }
  {
    // An unsigned twin after the signed element is where nobody reads first: not flagged.
    std::string after = xml;
    replace(after, signed_data, signed_data + "<Data><Amount>999</Amount></Data>");
    EXPECT_FALSE(test_gov().verify_xml(after, {}).has_finding("XML_SIGNED_ROOT_NOT_TARGET"));
  }
}

TEST(XmlWrapping, TwinsSignedByTheirOwnSignaturesAreNotWrapping) {
  std::string xml = sign_template("<Doc><Data Id='a'>1</Data><Data Id='b'>2</Data>" +
                                  signature(reference("#a", kExcC14n), "", "s1") +
                                  signature(reference("#b", kExcC14n), "", "s2") + "</Doc>");
  DocumentReport r = test_gov().verify_xml(xml, {});
  ASSERT_EQ(r.signatures.size(), 2u);
  EXPECT_EQ(r.indication, Indication::total_passed);
  EXPECT_FALSE(r.has_finding("XML_SIGNED_ROOT_NOT_TARGET"));
}

TEST(XmlManifest, ReferencesAreShownButDoNotDecideTheVerdict) {
  const std::string manifest_type = "http://www.w3.org/2000/09/xmldsig#Manifest";
  std::string xml = sign_template(
      "<Doc><Part Id='a'>first</Part><Part Id='b'>second</Part>" +
      signature(reference("#m", kExcC14n, manifest_type),
                "<ds:Object><ds:Manifest Id='m'>" + reference("#a", kExcC14n) + reference("#b", kExcC14n) +
                    reference("#missing", kExcC14n) + "</ds:Manifest></ds:Object>") +
      "</Doc>");
  DocumentReport intact = test_gov().verify_xml(xml, {});
  ASSERT_EQ(intact.signatures.size(), 1u);
  ASSERT_EQ(intact.signatures[0].manifest_references.size(), 3u);
  EXPECT_EQ(intact.signatures[0].manifest_references[0].status, "ok");
  EXPECT_EQ(intact.signatures[0].manifest_references[2].status, "unresolvable");
  EXPECT_EQ(intact.indication, Indication::total_passed);

  replace(xml, "second", "changed");
  DocumentReport r = test_gov().verify_xml(xml, {});
  const auto& s = r.signatures[0];
  ASSERT_EQ(s.manifest_references.size(), 3u);
  EXPECT_EQ(s.manifest_references[0].uri, "#a");
  EXPECT_EQ(s.manifest_references[0].status, "ok");
  EXPECT_EQ(s.manifest_references[1].status, "failed");
  EXPECT_EQ(s.manifest_references[1].element, "/Doc/Part[2]");
  EXPECT_TRUE(s.manifest_references[1].manifest_signed);
  EXPECT_EQ(s.manifest_references[1].manifest, "m");
  EXPECT_TRUE(s.has_finding("XML_MANIFEST_REFERENCE_FAILED"));
  EXPECT_EQ(r.indication, Indication::total_passed);  // SignedInfo holds: XML-DSig 5.1
  EXPECT_NE(r.to_json().find("\"manifest_references\""), std::string::npos);

  // A change to the manifest itself is a SignedInfo reference failing: the core verdict.
  replace(xml, "Id=\"b\"", "Id=\"c\"");
  std::string tampered = xml;
  replace(tampered, "URI=\"#b\"", "URI=\"#c\"");
  EXPECT_EQ(test_gov().verify_xml(tampered, {}).indication, Indication::total_failed);
}

}  // namespace
