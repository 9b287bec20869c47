#include "xml/transforms.hpp"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <set>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/encoding.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::xml {
namespace {

constexpr const char* kFilter2Ns = "http://www.w3.org/2002/06/xmldsig-filter2";

void ignore_error(void*, xmlErrorPtr) {}

// XPath's here(): the element that carries the expression (XML-DSig 6.6.3, Filter 2.0 3.3).
void here_function(xmlXPathParserContextPtr ctxt, int nargs) {
  CHECK_ARITY(0);
  valuePush(ctxt, xmlXPathNewNodeSet(static_cast<xmlNode*>(ctxt->context->userData)));
}

// Namespace nodes are copies in an XPath result: they are known by their element and prefix.
using NamespaceKey = std::pair<const xmlNode*, std::string>;
NamespaceKey namespace_key(const xmlNode* node, const xmlNode* parent) {
  const auto* ns = reinterpret_cast<const xmlNs*>(node);
  return {parent, ns->prefix ? reinterpret_cast<const char*>(ns->prefix) : ""};
}

struct Selection {
  std::unordered_set<const void*> nodes;
  std::set<NamespaceKey> namespaces;
};

// Evaluates `expression` with `context` as the context node, in a context that knows the prefixes
// in scope at `carrier`, here() and nothing outside the document, under the operation limit.
Selection evaluate(xmlDoc* doc, xmlNode* context, xmlNode* carrier, const std::string& expression,
                   const XPathLimits& limits) {
  if (expression.size() > limits.max_expression)
    throw TransformError(TransformError::limit, "XPath expression of " + std::to_string(expression.size()) +
                                                    " characters (at most " + std::to_string(limits.max_expression) + ")");
  xmlXPathContextPtr xp = xmlXPathNewContext(doc);
  if (!xp) throw TransformError(TransformError::limit, "libxml2 could not allocate an XPath context");
  xp->error = ignore_error;
  xp->opLimit = limits.max_operations;
  xp->node = context;
  xp->userData = carrier;
  xmlXPathRegisterFunc(xp, BAD_CAST "here", here_function);
  if (xmlNs** in_scope = xmlGetNsList(doc, carrier)) {
    for (xmlNs** ns = in_scope; *ns; ++ns)
      if ((*ns)->prefix) xmlXPathRegisterNs(xp, (*ns)->prefix, (*ns)->href);
    xmlFree(in_scope);
  }
  xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expression.c_str(), xp);
  const int code = xp->lastError.code - XML_XPATH_EXPRESSION_OK;
  const bool over_limit = code == XPATH_OP_LIMIT_EXCEEDED || code == XPATH_RECURSION_LIMIT_EXCEEDED ||
                          (xp->opLimit && xp->opCount > xp->opLimit);
  Selection out;
  bool node_set = result && result->type == XPATH_NODESET;
  if (node_set && result->nodesetval) {
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
      xmlNode* n = result->nodesetval->nodeTab[i];
      if (n->type == XML_NAMESPACE_DECL) {
        const auto* ns = reinterpret_cast<const xmlNs*>(n);
        out.namespaces.insert(namespace_key(n, reinterpret_cast<const xmlNode*>(ns->next)));
      } else {
        out.nodes.insert(n);
      }
    }
  }
  const bool evaluated = result != nullptr;
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(xp);
  if (over_limit) throw TransformError(TransformError::limit, "XPath evaluation exceeds the operation limit: " + expression);
  if (!evaluated) throw TransformError(TransformError::unsupported, "XPath expression libsign cannot evaluate: " + expression);
  if (!node_set) throw TransformError(TransformError::malformed, "XPath expression is not a node set: " + expression);
  return out;
}

// How many nodes (with the namespace nodes of each element) an XPath transform tests.
void count_tested(const xmlNode* n, size_t namespaces_in_scope, size_t limit, size_t& total) {
  for (; n && total <= limit; n = n->next) {
    ++total;
    if (n->type != XML_ELEMENT_NODE) continue;
    size_t in_scope = namespaces_in_scope;
    for (const xmlNs* ns = n->nsDef; ns; ns = ns->next) ++in_scope;
    for (const xmlAttr* a = n->properties; a; a = a->next) ++total;
    total += in_scope + 1;  // + the xml namespace
    count_tested(n->children, in_scope, limit, total);
  }
}

class MemberFilter : public NodeFilter {
 public:
  explicit MemberFilter(Selection s) : s_(std::move(s)) {}
  bool contains(const xmlNode* node, const xmlNode* parent) const override {
    if (node->type == XML_NAMESPACE_DECL) return s_.namespaces.count(namespace_key(node, parent)) > 0;
    return s_.nodes.count(node) > 0;
  }

 private:
  Selection s_;
};

class SubtreeFilter : public NodeFilter {
 public:
  enum Op { intersect, subtract, unite };
  void add(Op op, Selection s) { steps_.push_back({op, std::move(s.nodes)}); }
  bool contains(const xmlNode* node, const xmlNode* parent) const override {
    bool in = true;  // the filter starts from every node of the document
    for (const auto& step : steps_) {
      bool sub = in_subtree(step.roots, node->type == XML_NAMESPACE_DECL ? parent : node);
      if (step.op == intersect) in = in && sub;
      else if (step.op == subtract) in = in && !sub;
      else in = in || sub;
    }
    return in;
  }

 private:
  struct Step {
    Op op;
    std::unordered_set<const void*> roots;
  };
  static bool in_subtree(const std::unordered_set<const void*>& roots, const xmlNode* n) {
    for (; n; n = n->parent)  // an attribute's parent is its element; the root element's is the document
      if (roots.count(n)) return true;
    return false;
  }
  std::vector<Step> steps_;
};

void collect_text(const xmlNode* n, const NodeSet& set, std::string& out) {
  for (; n; n = n->next) {
    if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content && in_node_set(set, n, n->parent))
      out += reinterpret_cast<const char*>(n->content);
    if (n->type == XML_ELEMENT_NODE) collect_text(n->children, set, out);
  }
}

}  // namespace

std::shared_ptr<const NodeFilter> xpath_transform(xmlDoc* doc, xmlNode* transform, const XPathLimits& limits) {
  xmlNode* carrier = first_child(transform, kDsigNs, "XPath");
  if (!carrier) throw TransformError(TransformError::malformed, "XPath transform without ds:XPath");
  size_t nodes = 0;
  count_tested(reinterpret_cast<xmlNode*>(doc)->children, 0, limits.max_nodes, nodes);
  if (nodes > limits.max_nodes)
    throw TransformError(TransformError::limit, "the XPath transform would test more than " +
                                                    std::to_string(limits.max_nodes) + " nodes");
  // XML-DSig 6.6.3: the expression is evaluated for every node of the input; as one expression over
  // the whole document, with boolean() so that a number is not taken as a position.
  std::string expression = text(carrier);
  Selection s = evaluate(doc, reinterpret_cast<xmlNode*>(doc), carrier,
                         "(//. | //@* | //namespace::*)[boolean(" + expression + ")]", limits);
  return std::make_shared<MemberFilter>(std::move(s));
}

std::shared_ptr<const NodeFilter> filter2_transform(xmlDoc* doc, xmlNode* transform, const XPathLimits& limits) {
  auto filter = std::make_shared<SubtreeFilter>();
  std::vector<xmlNode*> steps = children(transform, kFilter2Ns, "XPath");
  if (steps.empty()) throw TransformError(TransformError::malformed, "XPath Filter 2.0 transform without XPath");
  if (steps.size() > 16) throw TransformError(TransformError::limit, std::to_string(steps.size()) + " XPath Filter 2.0 steps (at most 16)");
  for (xmlNode* step : steps) {
    std::string op = attribute(step, "Filter");
    SubtreeFilter::Op kind;
    if (op == "intersect") kind = SubtreeFilter::intersect;
    else if (op == "subtract") kind = SubtreeFilter::subtract;
    else if (op == "union") kind = SubtreeFilter::unite;
    else throw TransformError(TransformError::malformed, "XPath Filter 2.0 Filter=\"" + op + "\"");
    filter->add(kind, evaluate(doc, reinterpret_cast<xmlNode*>(doc), step, text(step), limits));
  }
  return filter;
}

std::string base64_of_nodes(xmlDoc* doc, const NodeSet& set) {
  std::string text;
  const xmlNode* from = set.apex ? set.apex->children : reinterpret_cast<xmlNode*>(doc)->children;
  collect_text(from, set, text);
  return base64_of_octets(text);
}

std::string base64_of_octets(const std::string& octets) {
  auto decoded = core::base64_decode(octets);
  if (!decoded) throw TransformError(TransformError::malformed, "the Base64 transform's input is not Base64");
  return *decoded;
}

}  // namespace libsign::xml
