// The XPath, XPath Filter 2.0 and Base64 transforms on small documents made here: what bytes each
// reference digests, the opt-out, and hostile expressions ending in a typed status, never a hang.
#include <gtest/gtest.h>

#include <chrono>

#include "xml/dsig.hpp"
#include "xml/xml_doc.hpp"

namespace {

using namespace libsign::xml;

constexpr const char* kSha256 = "<DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/><DigestValue>AA==</DigestValue>";

std::string reference(const std::string& uri, const std::string& transforms) {
  return "<Reference URI='" + uri + "'><Transforms>" + transforms + "</Transforms>" + kSha256 + "</Reference>";
}

std::string xpath(const std::string& expression) {
  return "<Transform Algorithm='http://www.w3.org/TR/1999/REC-xpath-19991116'>"
         "<XPath xmlns:dsig='http://www.w3.org/2000/09/xmldsig#'>" + expression + "</XPath></Transform>";
}

std::string filter2(const std::string& steps) {
  return "<Transform Algorithm='http://www.w3.org/2002/06/xmldsig-filter2'>" + steps + "</Transform>";
}

std::string step(const std::string& filter, const std::string& expression) {
  return "<XPath xmlns='http://www.w3.org/2002/06/xmldsig-filter2' xmlns:dsig='http://www.w3.org/2000/09/xmldsig#' Filter='" +
         filter + "'>" + expression + "</XPath>";
}

const std::string kEnveloped = "<Transform Algorithm='http://www.w3.org/2000/09/xmldsig#enveloped-signature'/>";
const std::string kBase64 = "<Transform Algorithm='http://www.w3.org/2000/09/xmldsig#base64'/>";
const std::string kC14n = "<Transform Algorithm='http://www.w3.org/TR/2001/REC-xml-c14n-20010315'/>";

// A document <r> with some content, a signature holding `references` and an Object with Base64 text.
struct Signed {
  DocPtr doc;
  xmlNode* sig = nullptr;
  std::vector<xmlNode*> refs;
};

Signed make(const std::string& references, const std::string& content = "<a x='1'>A<!--c--></a><b><c>C</c></b>") {
  Signed s;
  s.doc = parse("<r xmlns:p='urn:p'>" + content +
                "<Signature xmlns='http://www.w3.org/2000/09/xmldsig#'><SignedInfo>" + references +
                "</SignedInfo><Object Id='obj'>aGVs\n bG8=</Object></Signature></r>");
  s.sig = find_all(s.doc.get(), kDsigNs, "Signature")[0];
  s.refs = children(first_child(s.sig, kDsigNs, "SignedInfo"), kDsigNs, "Reference");
  return s;
}

ReferenceResult run(const Signed& s, size_t i, const ProcessOptions& options = {}) {
  return process_reference(s.doc.get(), s.sig, s.refs.at(i), options);
}

TEST(XmlTransforms, XPathNotAncestorOrSelfSignatureEqualsEnveloped) {
  auto s = make(reference("", xpath("not(ancestor-or-self::dsig:Signature)")) + reference("", kEnveloped));
  auto with_xpath = run(s, 0), enveloped = run(s, 1);
  EXPECT_EQ(with_xpath.status, RefStatus::digest_mismatch);  // applied: only the DigestValue is made up
  EXPECT_EQ(with_xpath.canonical, enveloped.canonical);
  EXPECT_EQ(with_xpath.canonical, "<r xmlns:p=\"urn:p\"><a x=\"1\">A</a><b><c>C</c></b></r>");
}

TEST(XmlTransforms, XPathSelectsNodesNotSubtrees) {
  // The expression is asked about every node: ancestors, attributes and namespaces not selected are left out.
  auto s = make(reference("", xpath("ancestor-or-self::c")) +
                reference("", xpath("self::a or self::text()[parent::a or parent::c]")) +
                reference("", xpath("count(ancestor-or-self::dsig:Signature | here()/ancestor::dsig:Signature[1]) &gt; "
                                    "count(ancestor-or-self::dsig:Signature)")) +
                reference("", kEnveloped));
  EXPECT_EQ(run(s, 0).canonical, "<c xmlns:p=\"urn:p\">C</c>");  // c's namespace nodes have c as ancestor
  EXPECT_EQ(run(s, 1).canonical, "<a>A</a>C");
  // here() is the ds:XPath element: this form leaves out the signature that carries it.
  EXPECT_EQ(run(s, 2).canonical, run(s, 3).canonical);
}

TEST(XmlTransforms, Filter2IntersectSubtractUnion) {
  auto s = make(reference("", filter2(step("intersect", "//b"))) +
                reference("", filter2(step("subtract", "//dsig:Signature | //b"))) +
                reference("", filter2(step("intersect", "//b") + step("union", "//a"))) +
                reference("", filter2(step("intersect", "//b") + step("subtract", "//c"))));
  // A subtree keeps the namespace nodes in scope at its apex (inclusive C14N writes them there).
  EXPECT_EQ(run(s, 0).canonical, "<b xmlns:p=\"urn:p\"><c>C</c></b>");
  EXPECT_EQ(run(s, 1).canonical, "<r xmlns:p=\"urn:p\"><a x=\"1\">A</a></r>");
  EXPECT_EQ(run(s, 2).canonical, "<a xmlns:p=\"urn:p\" x=\"1\">A</a><b xmlns:p=\"urn:p\"><c>C</c></b>");
  EXPECT_EQ(run(s, 3).canonical, "<b xmlns:p=\"urn:p\"></b>");
}

TEST(XmlTransforms, Filter2NamespacesComeFromTheXPathElement) {
  auto s = make(reference("", filter2("<XPath xmlns='http://www.w3.org/2002/06/xmldsig-filter2' xmlns:q='urn:p' "
                                      "Filter='intersect'>//q:e</XPath>")),
                "<p:e>E</p:e><e>not this</e>");
  EXPECT_EQ(run(s, 0).canonical, "<p:e xmlns:p=\"urn:p\">E</p:e>");
}

TEST(XmlTransforms, Base64DecodesTextThenOctetsCanBeParsedAgain) {
  auto s = make(reference("#obj", kBase64) + reference("", filter2(step("intersect", "//dsig:Object")) + kBase64));
  EXPECT_EQ(run(s, 0).canonical, "hello");
  EXPECT_EQ(run(s, 0).status, RefStatus::digest_mismatch);
  EXPECT_EQ(run(s, 1).canonical, "hello");
  // XML inside Base64 then C14N: the decoded octets are parsed with the same safe parser.
  auto x = make(reference("#obj", kBase64 + kC14n));
  xmlNodeSetContent(find_all(x.doc.get(), kDsigNs, "Object")[0], BAD_CAST "PGQgIGE9JzEnLz4=");  // <d  a='1'/>
  EXPECT_EQ(run(x, 0).canonical, "<d a=\"1\"></d>");
  auto bad = make(reference("#obj", kBase64));
  xmlNodeSetContent(find_all(bad.doc.get(), kDsigNs, "Object")[0], BAD_CAST "not base64!");
  EXPECT_EQ(run(bad, 0).status, RefStatus::malformed);
  // Binary content then C14N: this reference is malformed, the document is still verified.
  auto binary = make(reference("#obj", kBase64 + kC14n));
  EXPECT_EQ(run(binary, 0).status, RefStatus::malformed);
}

TEST(XmlTransforms, EnvelopedOnlyLeavesThemUnsupported) {
  auto s = make(reference("", xpath("not(ancestor-or-self::dsig:Signature)")) +
                reference("", filter2(step("intersect", "//b"))) + reference("#obj", kBase64) + reference("", kEnveloped));
  ProcessOptions only;
  only.enveloped_only = true;
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(run(s, i, only).status, RefStatus::unsupported_transform) << i;
  EXPECT_EQ(run(s, 3, only).status, RefStatus::digest_mismatch);
}

TEST(XmlTransforms, BadExpressionsAreTypedStatuses) {
  auto s = make(reference("", xpath("count(")) + reference("", xpath("document('file:///etc/passwd')")) +
                reference("", filter2(step("xor", "//b"))) + reference("", filter2(step("intersect", "1 + 1"))) +
                reference("", "<Transform Algorithm='http://www.w3.org/TR/1999/REC-xpath-19991116'/>"));
  EXPECT_EQ(run(s, 0).status, RefStatus::unsupported_transform);
  EXPECT_EQ(run(s, 1).status, RefStatus::unsupported_transform);  // no document(): XPath 1.0 core only
  EXPECT_EQ(run(s, 2).status, RefStatus::malformed);
  EXPECT_EQ(run(s, 3).status, RefStatus::malformed);  // not a node set
  EXPECT_EQ(run(s, 4).status, RefStatus::malformed);  // no ds:XPath
}

TEST(XmlTransforms, ExplodingExpressionsHitTheLimits) {
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "<i/>";
  // Quadratic per node, cubic in all: without the operation limit this runs for hours.
  auto s = make(reference("", xpath("count(//*[count(//*[count(//*) &gt; 0]) &gt; 0]) &gt; 0")) +
                    reference("", filter2(step("intersect", "//*[count(//*[count(//*) &gt; 0]) &gt; 0]"))),
                many);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run(s, 0).status, RefStatus::transform_limit);
  EXPECT_EQ(run(s, 1).status, RefStatus::transform_limit);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  // A document with more nodes (and namespace nodes) than an XPath transform may test.
  ProcessOptions small;
  small.xpath.max_nodes = 1000;
  auto big = make(reference("", xpath("true()")), many);
  EXPECT_EQ(run(big, 0, small).status, RefStatus::transform_limit);
  // Deep nesting within the length bound: libxml2's recursion limit or a plain result, never a crash.
  auto nested = make(reference("", xpath(std::string(2000, '(') + "true()" + std::string(2000, ')'))) +
                     reference("", filter2(step("intersect", std::string(2000, '(') + "//b" + std::string(2000, ')')))));
  EXPECT_NE(run(nested, 0).status, RefStatus::ok);
  EXPECT_NE(run(nested, 1).status, RefStatus::ok);
  std::string long_expression(5000, ' ');
  auto verbose = make(reference("", xpath("true()" + long_expression)));
  EXPECT_EQ(run(verbose, 0).status, RefStatus::transform_limit);
}

}  // namespace
