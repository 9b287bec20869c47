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

// An XPath context over `doc` that knows the prefixes in scope at `carrier`, here() and nothing
// outside the document, under the operation limit.
class XPathRun {
 public:
  XPathRun(xmlDoc* doc, xmlNode* carrier, const XPathLimits& limits) : xp_(xmlXPathNewContext(doc)) {
    if (!xp_) throw TransformError(TransformError::limit, "libxml2 could not allocate an XPath context");
    xp_->error = ignore_error;
    xp_->opLimit = limits.max_operations;
    xp_->userData = carrier;
    xmlXPathRegisterFunc(xp_, BAD_CAST "here", here_function);
    if (xmlNs** in_scope = xmlGetNsList(doc, carrier)) {
      for (xmlNs** ns = in_scope; *ns; ++ns)
        if ((*ns)->prefix) xmlXPathRegisterNs(xp_, (*ns)->prefix, (*ns)->href);
      xmlFree(in_scope);
    }
  }
  ~XPathRun() { xmlXPathFreeContext(xp_); }
  XPathRun(const XPathRun&) = delete;
  XPathRun& operator=(const XPathRun&) = delete;

  xmlXPathContextPtr get() const { return xp_; }
  // The operation count is kept across evaluations: the limit bounds the whole transform.
  bool over_limit() const {
    const int code = xp_->lastError.code - XML_XPATH_EXPRESSION_OK;
    return code == XPATH_OP_LIMIT_EXCEEDED || code == XPATH_RECURSION_LIMIT_EXCEEDED ||
           (xp_->opLimit && xp_->opCount > xp_->opLimit);
  }

 private:
  xmlXPathContextPtr xp_;
};

void check_length(const std::string& expression, const XPathLimits& limits) {
  if (expression.size() > limits.max_expression)
    throw TransformError(TransformError::limit, "XPath expression of " + std::to_string(expression.size()) +
                                                    " characters (at most " + std::to_string(limits.max_expression) + ")");
}

// Adds the members of an XPath node-set result to `out`.
void add_result(xmlXPathObjectPtr result, Selection& out) {
  if (!result || result->type != XPATH_NODESET || !result->nodesetval) return;
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

// Evaluates the node-set `expression` with the document as the context node (XPath Filter 2.0).
Selection evaluate(xmlDoc* doc, xmlNode* carrier, const std::string& expression, const XPathLimits& limits) {
  check_length(expression, limits);
  XPathRun run(doc, carrier, limits);
  run.get()->node = reinterpret_cast<xmlNode*>(doc);
  xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expression.c_str(), run.get());
  Selection out;
  add_result(result, out);
  const bool evaluated = result != nullptr;
  const bool node_set = result && result->type == XPATH_NODESET;
  xmlXPathFreeObject(result);
  if (run.over_limit()) throw TransformError(TransformError::limit, "XPath evaluation exceeds the operation limit: " + expression);
  if (!evaluated) throw TransformError(TransformError::unsupported, "XPath expression libsign cannot evaluate: " + expression);
  if (!node_set) throw TransformError(TransformError::malformed, "XPath expression is not a node set: " + expression);
  return out;
}

// XML-DSig 6.6.3: the expression is evaluated once per node of the document, that node being the
// context (position and size 1), and the node is kept when the result is true. One evaluation per
// node keeps the cost linear: a single expression over the union of all nodes makes libxml2 merge
// node sets in quadratic time (a 1 MB e-invoice took 16 s, 5 MB did not finish). A namespace node
// cannot be a context node through libxml2's API, so each element's namespace nodes are tested
// together with namespace::*[boolean(...)] from that element.
class PerNodeTest {
 public:
  PerNodeTest(xmlDoc* doc, xmlNode* carrier, const std::string& expression, const XPathLimits& limits)
      : run_(doc, carrier, limits), expression_(expression) {
    check_length(expression, limits);
    node_test_ = xmlXPathCtxtCompile(run_.get(), BAD_CAST expression.c_str());
    const std::string ns_expression = "namespace::*[boolean(" + expression + ")]";
    namespace_test_ = node_test_ ? xmlXPathCtxtCompile(run_.get(), BAD_CAST ns_expression.c_str()) : nullptr;
    if (!node_test_ || !namespace_test_) {
      release();
      if (run_.over_limit()) throw TransformError(TransformError::limit, "XPath expression too complex: " + expression);
      throw TransformError(TransformError::unsupported, "XPath expression libsign cannot evaluate: " + expression);
    }
  }
  ~PerNodeTest() { release(); }
  PerNodeTest(const PerNodeTest&) = delete;
  PerNodeTest& operator=(const PerNodeTest&) = delete;

  Selection select(xmlDoc* doc) {
    test(reinterpret_cast<xmlNode*>(doc));
    walk(reinterpret_cast<xmlNode*>(doc)->children);
    return std::move(out_);
  }

 private:
  void walk(xmlNode* n) {
    for (; n; n = n->next) {
      test(n);
      if (n->type != XML_ELEMENT_NODE) continue;
      for (xmlAttr* a = n->properties; a; a = a->next) test(reinterpret_cast<xmlNode*>(a));
      test_namespaces(n);
      walk(n->children);
    }
  }
  void test(xmlNode* n) {
    xmlXPathContextPtr xp = run_.get();
    xp->node = n;
    xp->contextSize = 1;
    xp->proximityPosition = 1;
    const int r = xmlXPathCompiledEvalToBoolean(node_test_, xp);
    check(r < 0);
    if (r == 1) out_.nodes.insert(n);
  }
  void test_namespaces(xmlNode* element) {
    xmlXPathContextPtr xp = run_.get();
    xp->node = element;
    xmlXPathObjectPtr result = xmlXPathCompiledEval(namespace_test_, xp);
    check(!result);
    add_result(result, out_);
    xmlXPathFreeObject(result);
  }
  void check(bool failed) const {
    if (run_.over_limit()) throw TransformError(TransformError::limit, "XPath evaluation exceeds the operation limit: " + expression_);
    if (failed) throw TransformError(TransformError::unsupported, "XPath expression libsign cannot evaluate: " + expression_);
  }
  void release() {
    if (node_test_) xmlXPathFreeCompExpr(node_test_);
    if (namespace_test_) xmlXPathFreeCompExpr(namespace_test_);
    node_test_ = namespace_test_ = nullptr;
  }

  XPathRun run_;
  std::string expression_;
  xmlXPathCompExprPtr node_test_ = nullptr, namespace_test_ = nullptr;
  Selection out_;
};

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
  PerNodeTest test(doc, carrier, text(carrier), limits);
  return std::make_shared<MemberFilter>(test.select(doc));
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
    filter->add(kind, evaluate(doc, step, text(step), limits));
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
