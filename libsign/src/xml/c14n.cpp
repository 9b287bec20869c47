#include "xml/c14n.hpp"

#include <libxml/c14n.h>

#include "libsign/error.hpp"

namespace libsign::xml {

std::optional<C14nMethod> c14n_method(const std::string& uri) {
  C14nMethod m;
  if (uri == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315") m.kind = C14nMethod::inclusive10;
  else if (uri == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments") { m.kind = C14nMethod::inclusive10; m.with_comments = true; }
  else if (uri == "http://www.w3.org/2006/12/xml-c14n11") m.kind = C14nMethod::inclusive11;
  else if (uri == "http://www.w3.org/2006/12/xml-c14n11#WithComments") { m.kind = C14nMethod::inclusive11; m.with_comments = true; }
  else if (uri == "http://www.w3.org/2001/10/xml-exc-c14n#") m.kind = C14nMethod::exclusive10;
  else if (uri == "http://www.w3.org/2001/10/xml-exc-c14n#WithComments") { m.kind = C14nMethod::exclusive10; m.with_comments = true; }
  else return std::nullopt;
  return m;
}

std::string c14n_uri(C14nMethod::Kind kind, bool with_comments) {
  std::string base;
  switch (kind) {
    case C14nMethod::inclusive10: base = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"; break;
    case C14nMethod::inclusive11: base = "http://www.w3.org/2006/12/xml-c14n11"; break;
    case C14nMethod::exclusive10: base = "http://www.w3.org/2001/10/xml-exc-c14n#"; break;
  }
  if (!with_comments) return base;
  return kind == C14nMethod::exclusive10 ? base + "WithComments" : base + "#WithComments";
}

bool in_node_set(const NodeSet& set, const xmlNode* node, const xmlNode* parent) {
  const xmlNode* owner = node;
  if (node->type == XML_NAMESPACE_DECL) owner = parent;
  if (node->type == XML_COMMENT_NODE && !set.comments) return false;
  bool inside = set.apex == nullptr;
  for (const xmlNode* n = owner; n; n = n->parent) {
    for (const xmlNode* x : set.excluded)
      if (n == x) return false;
    if (n == set.apex) inside = true;
  }
  if (!inside) return false;
  for (const auto& f : set.filters)
    if (!f->contains(node, parent)) return false;
  return true;
}

namespace {

// libxml2 asks about every node, attribute and namespace node; a namespace node has no parent
// pointer of its own, so the element it belongs to comes as `parent`.
int visible(void* user, xmlNodePtr node, xmlNodePtr parent) {
  return in_node_set(*static_cast<const NodeSet*>(user), node, parent) ? 1 : 0;
}

}  // namespace

std::string canonicalize(xmlDoc* doc, const NodeSet& set, const C14nMethod& method) {
  xmlOutputBufferPtr buf = xmlAllocOutputBuffer(nullptr);
  if (!buf) throw Error(ErrorCategory::crypto_backend, "XML_MALFORMED", "libxml2 could not allocate a buffer");
  int mode = XML_C14N_1_0;
  if (method.kind == C14nMethod::inclusive11) mode = XML_C14N_1_1;
  if (method.kind == C14nMethod::exclusive10) mode = XML_C14N_EXCLUSIVE_1_0;
  std::vector<xmlChar*> prefixes;
  for (const auto& p : method.inclusive_prefixes) prefixes.push_back(const_cast<xmlChar*>(reinterpret_cast<const xmlChar*>(p.c_str())));
  prefixes.push_back(nullptr);
  NodeSet effective = set;
  effective.comments = set.comments && method.with_comments;
  int rc = xmlC14NExecute(doc, visible, &effective, mode,
                          method.kind == C14nMethod::exclusive10 && prefixes.size() > 1 ? prefixes.data() : nullptr,
                          effective.comments ? 1 : 0, buf);
  std::string out;
  if (rc >= 0) {
    const xmlChar* content = xmlOutputBufferGetContent(buf);
    size_t size = xmlOutputBufferGetSize(buf);
    if (content) out.assign(reinterpret_cast<const char*>(content), size);
  }
  xmlOutputBufferClose(buf);
  if (rc < 0) throw Error(ErrorCategory::format, "XML_MALFORMED", "canonicalisation failed");
  return out;
}

}  // namespace libsign::xml
