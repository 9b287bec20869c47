#include "xml/xml_doc.hpp"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlsave.h>

#include <cstring>
#include <mutex>

#include "libsign/error.hpp"

namespace libsign::xml {
namespace {

Error xml_error(const std::string& code, const std::string& message) {
  return Error(ErrorCategory::format, code, message);
}

// libxml2 must be initialised once before threads use it; its default error printer is silenced
// per thread (diagnostics are read from the parser context instead).
void silent(void*, const char*, ...) {}

void init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] { xmlInitParser(); });
  xmlSetGenericErrorFunc(nullptr, silent);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
}

// libxml2 quotes the offending input in its messages, possibly cut inside a UTF-8 sequence: the
// message must stay valid UTF-8 (it ends up in JSON and in Python strings).
std::string printable_utf8(const std::string& in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(in[i + k]) >> 6) == 0x2;
    if (ok && len == 1 && c < 0x20 && c != '\t') ok = false;
    if (ok) out.append(in, i, len);
    else out += '?';
    i += ok ? len : 1;
  }
  return out;
}

bool has_entities(xmlDtd* dtd) {
  return dtd && (dtd->entities || dtd->pentities);
}

void check_depth(xmlNode* root, int max_depth) {
  // Iterative walk: a recursive one would be the very stack risk the limit guards against.
  xmlNode* n = root;
  int depth = 1;
  while (n) {
    if (n->type == XML_ENTITY_REF_NODE)
      throw xml_error("XML_DTD_FORBIDDEN", "the document uses an entity reference");
    if (depth > max_depth)
      throw xml_error("XML_LIMIT_EXCEEDED", "elements nested deeper than " + std::to_string(max_depth));
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      ++depth;
      continue;
    }
    while (n && !n->next) {
      n = n->parent;
      --depth;
      if (depth <= 0 || !n || n->type == XML_DOCUMENT_NODE) return;
    }
    if (n) n = n->next;
  }
}

}  // namespace

DocPtr parse(std::string_view bytes, const ParseLimits& limits) {
  init_once();
  if (bytes.empty()) throw Error(ErrorCategory::format, "INPUT_EMPTY", "the file is empty");
  if (bytes.size() > limits.max_bytes || bytes.size() > static_cast<size_t>(INT32_MAX))
    throw xml_error("XML_LIMIT_EXCEEDED", "the XML document is larger than " + std::to_string(limits.max_bytes) + " bytes");
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) throw Error(ErrorCategory::crypto_backend, "XML_MALFORMED", "libxml2 could not allocate a parser");
  // NONET: no network; no NOENT (entities are not substituted), no DTDLOAD/DTDATTR (no external
  // subset, no defaulted attributes), no XINCLUDE, no HUGE (libxml2's own depth and size caps stay).
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xmlDoc* raw = xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options);
  std::string why;
  int line = 0;
  if (!raw || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt);
    if (e && e->message) {
      why = e->message;
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      why = printable_utf8(why);
      line = e->line;
    }
  }
  xmlFreeParserCtxt(ctxt);
  DocPtr doc(raw);
  if (!doc || why.size()) {
    throw xml_error("XML_MALFORMED", "not well-formed XML" + (line ? " at line " + std::to_string(line) : std::string()) +
                                         (why.empty() ? "" : ": " + why));
  }
  if (has_entities(doc->intSubset) || has_entities(doc->extSubset))
    throw xml_error("XML_DTD_FORBIDDEN", "the document type declaration declares entities");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root) throw xml_error("XML_MALFORMED", "no document element");
  check_depth(root, limits.max_depth);
  return doc;
}

bool is_element(const xmlNode* n, const char* ns, const char* local) {
  if (!n || n->type != XML_ELEMENT_NODE) return false;
  if (std::strcmp(reinterpret_cast<const char*>(n->name), local) != 0) return false;
  if (!ns) return n->ns == nullptr;
  return n->ns && n->ns->href && std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0;
}

xmlNode* first_child(xmlNode* parent, const char* ns, const char* local) {
  if (!parent) return nullptr;
  for (xmlNode* c = parent->children; c; c = c->next)
    if (is_element(c, ns, local)) return c;
  return nullptr;
}

std::vector<xmlNode*> children(xmlNode* parent, const char* ns, const char* local) {
  std::vector<xmlNode*> out;
  if (!parent) return out;
  for (xmlNode* c = parent->children; c; c = c->next)
    if (is_element(c, ns, local)) out.push_back(c);
  return out;
}

std::vector<xmlNode*> element_children(xmlNode* parent) {
  std::vector<xmlNode*> out;
  if (!parent) return out;
  for (xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

std::string attribute(const xmlNode* n, const char* name) {
  if (!n || n->type != XML_ELEMENT_NODE) return {};
  for (xmlAttr* a = n->properties; a; a = a->next) {
    if (a->ns || std::strcmp(reinterpret_cast<const char*>(a->name), name) != 0) continue;
    xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
  }
  return {};
}

std::string text(const xmlNode* n) {
  if (!n) return {};
  xmlChar* v = xmlNodeGetContent(n);
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

namespace {
template <typename F>
void for_each_element(xmlNode* n, F&& f) {
  // Iterative pre-order walk in document order.
  while (n) {
    if (n->type == XML_ELEMENT_NODE) f(n);
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      continue;
    }
    while (n && !n->next) {
      n = n->parent;
      if (n && n->type == XML_DOCUMENT_NODE) return;
    }
    if (n) n = n->next;
  }
}

bool id_attribute_matches(xmlAttr* a, std::string_view id) {
  const char* name = reinterpret_cast<const char*>(a->name);
  bool named = false;
  if (!a->ns) named = std::strcmp(name, "Id") == 0 || std::strcmp(name, "ID") == 0 || std::strcmp(name, "id") == 0;
  else named = std::strcmp(name, "id") == 0 && a->ns->href &&
               std::strcmp(reinterpret_cast<const char*>(a->ns->href), "http://www.w3.org/XML/1998/namespace") == 0;
  if (!named) return false;
  const xmlNode* t = a->children;
  if (t && !t->next && t->type == XML_TEXT_NODE && t->content)
    return id == reinterpret_cast<const char*>(t->content);
  xmlChar* v = xmlNodeListGetString(a->doc, a->children, 1);
  bool eq = v && id == reinterpret_cast<const char*>(v);
  xmlFree(v);
  return eq;
}
}  // namespace

std::vector<xmlNode*> find_all(xmlDoc* doc, const char* ns, const char* local) {
  std::vector<xmlNode*> out;
  for_each_element(xmlDocGetRootElement(doc), [&](xmlNode* n) {
    if (is_element(n, ns, local)) out.push_back(n);
  });
  return out;
}

std::vector<xmlNode*> elements_with_id(xmlDoc* doc, std::string_view id) {
  std::vector<xmlNode*> out;
  if (id.empty()) return out;  // "#" names nothing, whatever empty Id attributes exist
  for_each_element(xmlDocGetRootElement(doc), [&](xmlNode* n) {
    for (xmlAttr* a = n->properties; a; a = a->next)
      if (id_attribute_matches(a, id)) {
        out.push_back(n);
        break;
      }
  });
  return out;
}

std::vector<xmlNode*> select_elements(xmlDoc* doc, const std::string& xpath) {
  std::vector<xmlNode*> out;
  xmlXPathContextPtr xp = xmlXPathNewContext(doc);
  if (!xp) throw Error(ErrorCategory::crypto_backend, "XML_XPATH_INVALID", "libxml2 could not allocate an XPath context");
  xmlXPathRegisterNs(xp, BAD_CAST "ds", BAD_CAST kDsigNs);
  xmlXPathRegisterNs(xp, BAD_CAST "xades", BAD_CAST kXadesNs);
  xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST xpath.c_str(), xp);
  const bool evaluated = result != nullptr;
  if (result && result->type == XPATH_NODESET && result->nodesetval)
    for (int i = 0; i < result->nodesetval->nodeNr; ++i)
      if (result->nodesetval->nodeTab[i]->type == XML_ELEMENT_NODE) out.push_back(result->nodesetval->nodeTab[i]);
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(xp);
  if (!evaluated) throw Error(ErrorCategory::usage, "XML_XPATH_INVALID", "the XPath expression cannot be evaluated: " + xpath);
  return out;
}

std::string node_path(const xmlNode* n) {
  std::string path;
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    int index = 1, same = 0;
    if (n->parent)
      for (const xmlNode* s = n->parent->children; s; s = s->next)
        if (s->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(s->name),
                                                        reinterpret_cast<const char*>(n->name)) == 0) {
          ++same;
          if (s == n) index = same;
        }
    std::string step = "/";
    if (n->ns && n->ns->prefix) step += std::string(reinterpret_cast<const char*>(n->ns->prefix)) + ":";
    step += reinterpret_cast<const char*>(n->name);
    if (same > 1) step += "[" + std::to_string(index) + "]";
    path = step + path;
  }
  return path.empty() ? "/" : path;
}

bool is_ancestor_or_self(const xmlNode* ancestor, const xmlNode* n) {
  for (; n; n = n->parent)
    if (n == ancestor) return true;
  return false;
}

std::string serialize(xmlDoc* doc) {
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &out, &size, "UTF-8");
  if (!out) throw Error(ErrorCategory::crypto_backend, "SIGNING_FAILED", "libxml2 could not serialise the document");
  std::string s(reinterpret_cast<const char*>(out), static_cast<size_t>(size));
  xmlFree(out);
  return s;
}

}  // namespace libsign::xml
