// Canonical XML (1.0, 1.1, exclusive; with or without comments) of a node subset, through libxml2.
#pragma once
#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace libsign::xml {

struct C14nMethod {
  enum Kind { inclusive10, inclusive11, exclusive10 } kind = inclusive10;
  bool with_comments = false;
  std::vector<std::string> inclusive_prefixes;  // exclusive only: InclusiveNamespaces PrefixList
};

// The method for an Algorithm URI; nullopt when it is not a canonicalisation method.
std::optional<C14nMethod> c14n_method(const std::string& uri);
std::string c14n_uri(C14nMethod::Kind kind, bool with_comments = false);

// A further condition on the nodes of a set (the XPath and XPath Filter 2.0 transforms). `node` is
// an element, attribute, text, comment or PI node, or a namespace node (an xmlNs cast to xmlNode)
// whose element is `parent`.
struct NodeFilter {
  virtual ~NodeFilter() = default;
  virtual bool contains(const xmlNode* node, const xmlNode* parent) const = 0;
};

// What a same-document reference selects: the subtree of `apex` (nullptr: the whole document)
// minus the subtrees in `excluded` (the enveloped signature); comments only when `comments`;
// and only the nodes every filter contains.
struct NodeSet {
  xmlNode* apex = nullptr;
  std::vector<const xmlNode*> excluded;
  bool comments = false;
  std::vector<std::shared_ptr<const NodeFilter>> filters;
};

// Whether `node` (see NodeFilter for namespace nodes) belongs to `set`.
bool in_node_set(const NodeSet& set, const xmlNode* node, const xmlNode* parent);

// Throws Error(format, XML_MALFORMED) if libxml2 fails.
std::string canonicalize(xmlDoc* doc, const NodeSet& set, const C14nMethod& method);

}  // namespace libsign::xml
