// Canonical XML (1.0, 1.1, exclusive; with or without comments) of a node subset, through libxml2.
#pragma once
#include <libxml/tree.h>

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

// What a same-document reference selects: the subtree of `apex` (nullptr: the whole document)
// minus the subtrees in `excluded` (the enveloped signature); comments only when `comments`.
struct NodeSet {
  xmlNode* apex = nullptr;
  std::vector<const xmlNode*> excluded;
  bool comments = false;
};

// Throws Error(format, XML_MALFORMED) if libxml2 fails.
std::string canonicalize(xmlDoc* doc, const NodeSet& set, const C14nMethod& method);

}  // namespace libsign::xml
