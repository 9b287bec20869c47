// XML building blocks: safe parsing, C14N of node subsets, Id lookup, references, ECDSA value forms,
// times, and the Vietnamese subject-name order.
#include <gtest/gtest.h>

#include "libsign/error.hpp"
#include "xml/c14n.hpp"
#include "xml/dsig.hpp"
#include "xml/xml_doc.hpp"

namespace {

using namespace libsign::xml;

std::string code_of(const std::string& text, ParseLimits limits = {}) {
  try {
    parse(text, limits);
  } catch (const libsign::Error& e) {
    return e.code();
  }
  return "";
}

TEST(XmlParse, RefusesWhatCouldReachOutsideOrExplode) {
  EXPECT_EQ(code_of("<a><b></a>"), "XML_MALFORMED");
  EXPECT_EQ(code_of(""), "INPUT_EMPTY");
  EXPECT_EQ(code_of("<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>"), "XML_DTD_FORBIDDEN");
  EXPECT_EQ(code_of("<!DOCTYPE a [<!ENTITY e \"x\">]><a/>"), "XML_DTD_FORBIDDEN");
  EXPECT_EQ(code_of("<!DOCTYPE a><a/>"), "");  // a bare DOCTYPE declares nothing
  ParseLimits small;
  small.max_bytes = 10;
  EXPECT_EQ(code_of("<a>0123456789</a>", small), "XML_LIMIT_EXCEEDED");
  ParseLimits shallow;
  shallow.max_depth = 3;
  EXPECT_EQ(code_of("<a><b><c><d/></c></b></a>", shallow), "XML_LIMIT_EXCEEDED");
  EXPECT_EQ(code_of("<a><b><c/></b></a>", shallow), "");
}

TEST(XmlParse, IdsAreMatchedByNameAndCounted) {
  auto doc = parse("<r><x Id='a'/><y ID='b'/><z id='c'/><w xml:id='d'/><v Id='a'/></r>");
  EXPECT_EQ(elements_with_id(doc.get(), "a").size(), 2u);
  for (const char* id : {"b", "c", "d"}) EXPECT_EQ(elements_with_id(doc.get(), id).size(), 1u) << id;
  EXPECT_TRUE(elements_with_id(doc.get(), "zz").empty());
  EXPECT_EQ(node_path(elements_with_id(doc.get(), "b")[0]), "/r/y");
}

TEST(XmlC14n, SubsetsExcludeTheEnvelopedSignatureAndInheritNamespaces) {
  auto doc = parse("<r xmlns='urn:r' xmlns:u='urn:unused'><d Id='x'  b='2' a='1'><!--c--><e/><s/></d></r>");
  xmlNode* d = elements_with_id(doc.get(), "x")[0];
  xmlNode* s = d->children->next->next;
  C14nMethod inclusive;
  EXPECT_EQ(canonicalize(doc.get(), NodeSet{d, {s}, false}, inclusive),
            "<d xmlns=\"urn:r\" xmlns:u=\"urn:unused\" Id=\"x\" a=\"1\" b=\"2\"><e></e></d>");
  C14nMethod exclusive;
  exclusive.kind = C14nMethod::exclusive10;
  EXPECT_EQ(canonicalize(doc.get(), NodeSet{d, {}, false}, exclusive),
            "<d xmlns=\"urn:r\" Id=\"x\" a=\"1\" b=\"2\"><e></e><s></s></d>");
  exclusive.with_comments = true;
  EXPECT_EQ(canonicalize(doc.get(), NodeSet{d, {}, true}, exclusive),
            "<d xmlns=\"urn:r\" Id=\"x\" a=\"1\" b=\"2\"><!--c--><e></e><s></s></d>");
  EXPECT_FALSE(c14n_method("http://www.w3.org/TR/1999/REC-xslt-19991116"));
  EXPECT_EQ(c14n_method("http://www.w3.org/2006/12/xml-c14n11#WithComments")->kind, C14nMethod::inclusive11);
}

TEST(XmlDsig, AlgorithmsAndEcdsaValues) {
  EXPECT_EQ(digest_of_uri("http://www.w3.org/2001/04/xmlenc#sha256"), "sha256");
  EXPECT_EQ(digest_of_uri("http://www.w3.org/2001/04/xmldsig-more#sha3-256"), "");
  EXPECT_EQ(signature_algorithm_of_uri("http://www.w3.org/2000/09/xmldsig#rsa-sha1")->digest, "sha1");
  EXPECT_FALSE(signature_algorithm_of_uri("http://www.w3.org/2000/09/xmldsig#dsa-sha1"));
  std::string raw(64, '\0');
  raw[31] = 5;
  raw[63] = 7;
  auto der = ecdsa_raw_to_der(raw);
  ASSERT_TRUE(der);
  EXPECT_EQ(*ecdsa_der_to_raw(*der, 32), raw);
  EXPECT_FALSE(ecdsa_raw_to_der("abc"));
}

TEST(XmlDsig, TimesWithoutZoneAreVietnameseLocalTime) {
  EXPECT_EQ(*parse_xml_time("2023-10-19T11:11:51"), 1697688711LL);
  EXPECT_EQ(*parse_xml_time("2023-10-19T04:11:51Z"), 1697688711LL);
  EXPECT_EQ(*parse_xml_time("2023-10-19T11:11:51.250+07:00"), 1697688711LL);
  EXPECT_FALSE(parse_xml_time("19/10/2023"));
}

TEST(XmlDsig, ReferencesResolveOnlyInsideTheDocument) {
  const std::string text =
      "<r><d Id='x'>v</d><Signature xmlns='http://www.w3.org/2000/09/xmldsig#'><SignedInfo>"
      "<Reference URI='#x'><DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/><DigestValue>AA==</DigestValue></Reference>"
      "<Reference URI='http://example.com/'><DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/><DigestValue>AA==</DigestValue></Reference>"
      "<Reference URI='#nope'><DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/><DigestValue>AA==</DigestValue></Reference>"
      "</SignedInfo></Signature></r>";
  auto doc = parse(text);
  xmlNode* sig = find_all(doc.get(), kDsigNs, "Signature")[0];
  auto refs = children(first_child(sig, kDsigNs, "SignedInfo"), kDsigNs, "Reference");
  ASSERT_EQ(refs.size(), 3u);
  auto first = process_reference(doc.get(), sig, refs[0], {});
  EXPECT_EQ(first.status, RefStatus::digest_mismatch);
  EXPECT_EQ(first.canonical, "<d Id=\"x\">v</d>");
  EXPECT_EQ(process_reference(doc.get(), sig, refs[1], {}).status, RefStatus::external);
  EXPECT_EQ(process_reference(doc.get(), sig, refs[2], {}).status, RefStatus::not_found);
}

}  // namespace

namespace {
TEST(XmlParse, AnEmptyIdNamesNothing) {
  auto doc = libsign::xml::parse("<r><x Id=''/></r>");
  EXPECT_TRUE(libsign::xml::elements_with_id(doc.get(), "").empty());
}
}  // namespace

namespace {
// Found by fuzz_xml_signature: an unknown SignedInfo canonicalisation reached canonicalize() through
// an empty optional (undefined behaviour); it is a typed error now.
TEST(XmlDsig, UnknownSignedInfoCanonicalisationIsATypedError) {
  auto doc = parse(
      "<a><Signature xmlns='http://www.w3.org/2000/09/xmldsig#'><SignedInfo>"
      "<CanonicalizationMethod Algorithm='urn:unknown'/>"
      "<SignatureMethod Algorithm='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'/>"
      "<Reference URI=''><DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/><DigestValue>AA==</DigestValue>"
      "</Reference></SignedInfo><SignatureValue>AA==</SignatureValue></Signature></a>");
  auto sigs = find_all(doc.get(), kDsigNs, "Signature");
  ASSERT_EQ(sigs.size(), 1u);
  ParsedSignature s = parse_signature(sigs[0]);
  EXPECT_FALSE(s.c14n.has_value());
  try {
    canonical_signed_info(doc.get(), s);
    ADD_FAILURE() << "no error";
  } catch (const libsign::Error& e) {
    EXPECT_EQ(e.code(), "XML_UNSUPPORTED_TRANSFORM");
  }
}
}  // namespace
