#include "validate/xml_coverage.hpp"

#include "xml/xml_doc.hpp"

namespace libsign::validate {

bool reference_signs_node(const xml::ReferenceResult& r, const xmlNode* signature, const xmlNode* n) {
  if (r.status != xml::RefStatus::ok || !n) return false;
  if (r.node_set) return xml::in_node_set(*r.node_set, n, n->parent);
  // Base64 output or re-parsed octets: the content of the target's subtree is what was digested.
  return r.target && xml::is_ancestor_or_self(r.target, n) && !(r.enveloped && xml::is_ancestor_or_self(signature, n));
}

const xmlNode* first_unsigned_node(const xml::ReferenceResult& r, const xmlNode* signature, const xmlNode* element) {
  if (r.status != xml::RefStatus::ok) return element;
  // Without XPath filters the set is a subtree minus the enveloped signature: the apex decides.
  if (!r.node_set || r.node_set->filters.empty()) return reference_signs_node(r, signature, element) ? nullptr : element;
  // With filters, node by node. The element asked about may be a bare container (Filter 2.0
  // `intersect //Data` leaves out the document element's own node, not its attributes or content);
  // everything below it must be in the set, element names included.
  if (!element->children && !reference_signs_node(r, signature, element)) return element;
  const xmlNode* n = element;
  while (n) {
    bool descend = false;
    if (n->type == XML_ELEMENT_NODE) {
      if (n != element && xml::is_element(n, xml::kDsigNs, "Signature")) {
        descend = false;  // another signature is not content
      } else {
        if (n != element && !reference_signs_node(r, signature, n)) return n;
        for (const xmlAttr* a = n->properties; a; a = a->next)
          if (!reference_signs_node(r, signature, reinterpret_cast<const xmlNode*>(a))) return n;
        descend = true;
      }
    } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
               !xmlIsBlankNode(const_cast<xmlNode*>(n)) && !reference_signs_node(r, signature, n)) {
      return n->parent;
    }
    // Pre-order walk limited to `element`'s subtree.
    if (descend && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != element && !n->next) n = n->parent;
    if (!n || n == element) break;
    n = n->next;
  }
  return nullptr;
}

const xmlNode* signed_root(const xml::ReferenceResult& r, xmlDoc* doc, const xmlNode* signature) {
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (r.status != xml::RefStatus::ok || !root) return nullptr;
  if (!r.node_set) return nullptr;
  const xmlNode* n = root;
  while (n) {
    if (n->type == XML_ELEMENT_NODE && reference_signs_node(r, signature, n)) return n;
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
  return nullptr;
}

}  // namespace libsign::validate
