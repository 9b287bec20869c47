// A parsed XML document, read without any network, file, DTD or entity resolution.
#pragma once
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace libsign::xml {

inline constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kXadesNs = "http://uri.etsi.org/01903/v1.3.2#";
inline constexpr const char* kXades141Ns = "http://uri.etsi.org/01903/v1.4.1#";

struct ParseLimits {
  size_t max_bytes = 64u << 20;
  int max_depth = 256;
};

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// Parses `bytes`. Refuses (Error(format)): not well-formed XML (XML_MALFORMED), a DOCTYPE declaring
// entities or with an internal subset (XML_DTD_FORBIDDEN), more bytes or deeper nesting than the
// limits (XML_LIMIT_EXCEEDED). Never loads anything: no DTD, no external entity, no XInclude.
DocPtr parse(std::string_view bytes, const ParseLimits& limits = {});

// Element helpers (namespace-aware; `ns` nullptr matches elements without namespace).
bool is_element(const xmlNode* n, const char* ns, const char* local);
xmlNode* first_child(xmlNode* parent, const char* ns, const char* local);
std::vector<xmlNode*> children(xmlNode* parent, const char* ns, const char* local);
std::vector<xmlNode*> element_children(xmlNode* parent);
std::string attribute(const xmlNode* n, const char* name);  // no-namespace attribute; "" when absent
std::string text(const xmlNode* n);                          // concatenated text content
// Every element in document order whose local name is `local` in namespace `ns`.
std::vector<xmlNode*> find_all(xmlDoc* doc, const char* ns, const char* local);

// Elements whose Id, ID, id (no namespace) or xml:id attribute equals `id` — the e-invoice layout
// does not declare its Id attributes, so they are matched by name. More than one is a wrapping risk.
std::vector<xmlNode*> elements_with_id(xmlDoc* doc, std::string_view id);

// The elements an XPath 1.0 expression selects (prefixes ds and xades are bound), in document order.
// Throws Error(usage, XML_XPATH_INVALID) when it cannot be evaluated.
std::vector<xmlNode*> select_elements(xmlDoc* doc, const std::string& xpath);

// "/HDon/DLHDon[1]"-like path for evidence.
std::string node_path(const xmlNode* n);
bool is_ancestor_or_self(const xmlNode* ancestor, const xmlNode* n);

// Serialises the whole document (with its XML declaration when it had one), as libxml2 writes it.
std::string serialize(xmlDoc* doc);

}  // namespace libsign::xml
