// XML-DSig transforms besides enveloped-signature and canonicalisation: XPath (XPath 1.0 through
// libxml2), XPath Filter 2.0 and Base64. The XPath ones become NodeFilters on the reference's node
// set; Base64 turns a node set (its text) or octets into decoded octets.
#pragma once
#include <libxml/tree.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "xml/c14n.hpp"

namespace libsign::xml {

inline constexpr const char* kXPathTransform = "http://www.w3.org/TR/1999/REC-xpath-19991116";
inline constexpr const char* kFilter2Transform = "http://www.w3.org/2002/06/xmldsig-filter2";
inline constexpr const char* kBase64Transform = "http://www.w3.org/2000/09/xmldsig#base64";

// Bounds on hostile expressions and documents (each evaluation is one libxml2 XPath run).
struct XPathLimits {
  unsigned long max_operations = 20'000'000;  // libxml2's opLimit: steps and nodes visited
  size_t max_nodes = 1'000'000;              // nodes an XPath transform may have to test
  size_t max_expression = 4096;               // characters of one expression
};

// Why a transform could not be applied.
class TransformError : public std::runtime_error {
 public:
  enum Kind { unsupported, limit, malformed };
  TransformError(Kind kind, const std::string& what) : std::runtime_error(what), kind(kind) {}
  Kind kind;
};

// The XPath transform: the nodes for which the expression of the ds:XPath child of `transform` is
// true (prefixes as declared around ds:XPath; here() is the ds:XPath element).
std::shared_ptr<const NodeFilter> xpath_transform(xmlDoc* doc, xmlNode* transform, const XPathLimits& limits);
// XPath Filter 2.0: the intersect / subtract / union of the subtrees each dsig-xpath:XPath selects,
// applied in order starting from the whole document.
std::shared_ptr<const NodeFilter> filter2_transform(xmlDoc* doc, xmlNode* transform, const XPathLimits& limits);
// Base64 over a node set: its text nodes in document order, decoded (whitespace ignored).
std::string base64_of_nodes(xmlDoc* doc, const NodeSet& set);
std::string base64_of_octets(const std::string& octets);

}  // namespace libsign::xml
