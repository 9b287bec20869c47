// Signature wrapping (XSW): the signature holds, but over content an application does not read.
// Shapes (McIntyre et al.; Somorovsky et al., "On Breaking SAML"), generalised:
//  - a whole-document reference whose transforms cut out what is read (the document element, or
//    the data element of a known e-form layout);
//  - an Id reference to an element while the document holds an unsigned element of the same name
//    where a reader looks first: the signed copy moved into a ds:Object (or any ds:Signature), the
//    signed copy wrapped inside its unsigned twin, or the unsigned twin placed before it.
// Duplicate Ids are XML_ID_DUPLICATE (check_references); with a caller-named target the verdict is
// check_target's. See docs/xml.md "Signature wrapping".
#include <libxml/xpath.h>

#include <cstring>
#include <set>

#include "validate/xml_coverage.hpp"
#include "validate/xml_steps.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::validate {
namespace {

// Known e-form layouts: the document element and the data element a portal reads.
struct EformLayout {
  const char* root;
  const char* data;
};
const EformLayout kLayouts[] = {
    {"HDon", "DLHDon"},            // e-invoice (Decree 123/2020, Circular 78/2021)
    {"HSoThueDTu", "HSoKhaiThue"}, // electronic tax declaration
};

bool local_is(const xmlNode* n, const char* local) {
  return n && n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), local) == 0;
}

const char* ns_of(const xmlNode* n) { return n->ns ? reinterpret_cast<const char*>(n->ns->href) : nullptr; }

bool same_name(const xmlNode* a, const xmlNode* b) {
  if (std::strcmp(reinterpret_cast<const char*>(a->name), reinterpret_cast<const char*>(b->name)) != 0) return false;
  const char* na = ns_of(a);
  const char* nb = ns_of(b);
  return na == nb || (na && nb && std::strcmp(na, nb) == 0);
}

bool inside_signature(const xmlNode* n) {
  for (; n; n = n->parent)
    if (xml::is_element(n, xml::kDsigNs, "Signature")) return true;
  return false;
}

// What a reader of this document reads: the data element of a known layout when present and
// unique, else the document element; nothing for an enveloping signature (the document is the
// ds:Signature: its data are the Objects its references name).
const xmlNode* consumer_element(xmlDoc* doc, bool& from_layout) {
  from_layout = false;
  xmlNode* root = xmlDocGetRootElement(doc);
  if (xml::is_element(root, xml::kDsigNs, "Signature")) return nullptr;
  for (const auto& layout : kLayouts) {
    if (!local_is(root, layout.root)) continue;
    const xmlNode* data = nullptr;
    int count = 0;
    for (xmlNode* c : xml::element_children(root))
      if (local_is(c, layout.data)) {
        data = c;
        ++count;
      }
    if (count == 1) {
      from_layout = true;
      return data;
    }
  }
  return root;
}

bool entirely_signed(const XmlSignatureState& st, const xmlNode* element) {
  for (const auto& r : st.references)
    if (r.status == xml::RefStatus::ok && !first_unsigned_node(r, st.sig.node, element)) return true;
  return false;
}

// Elements that some ds:Reference of the document (any signature, any manifest) names by Id: a
// twin referenced elsewhere is signed data of its own, not a decoy.
std::set<const xmlNode*> referenced_elements(xmlDoc* doc) {
  std::set<const xmlNode*> out;
  size_t budget = 256;
  for (xmlNode* ref : xml::find_all(doc, xml::kDsigNs, "Reference")) {
    if (budget-- == 0) break;
    std::string uri = xml::attribute(ref, "URI");
    if (uri.size() < 2 || uri[0] != '#') continue;
    std::string id = uri.substr(1);
    const std::string head = "xpointer(id(";
    if (id.rfind(head, 0) == 0 && id.size() > head.size() + 4) id = id.substr(head.size() + 1, id.size() - head.size() - 4);
    for (xmlNode* n : xml::elements_with_id(doc, id)) out.insert(n);
  }
  return out;
}

void flag(XmlSignatureState& st, const std::string& shape, const xmlNode* consumer, const xmlNode* signed_element,
          const xml::ReferenceResult& r, const xmlNode* unsigned_node) {
  std::map<std::string, std::string> e = {{"shape", shape}, {"uri", r.uri.empty() ? "\"\"" : r.uri},
                                          {"consumer_element", xml::node_path(consumer)}};
  e["signed_root"] = signed_element ? xml::node_path(signed_element) : std::string("(none: not a node set)");
  if (unsigned_node) e["unsigned_node"] = xml::node_path(unsigned_node);
  st.add("XML_SIGNED_ROOT_NOT_TARGET", std::move(e));
  st.verdict.indeterminate(SubIndication::signed_data_not_found);
  st.check("integrity", CheckStatus::failed, "the signed content is not what a reader of the document reads (" + shape + ")");
}

// A whole-document reference, or an Id reference to an element named like the layout's data
// element, means "this signs what is read": then the element read must be signed entirely.
void check_consumer_element(XmlSignatureState& st) {
  bool from_layout = false;
  const xmlNode* consumer = consumer_element(st.doc, from_layout);
  if (!consumer || entirely_signed(st, consumer)) return;
  for (const auto& r : st.references) {
    if (r.status != xml::RefStatus::ok) continue;
    if (r.whole_document) {
      const xmlNode* root = signed_root(r, st.doc, st.sig.node);
      flag(st, "whole_document_not_read_content", consumer, root, r, first_unsigned_node(r, st.sig.node, consumer));
      return;
    }
    if (from_layout && r.target && r.target != consumer && same_name(r.target, consumer)) {
      flag(st, "data_element_elsewhere", consumer, r.target, r, consumer);
      return;
    }
  }
}

// Id references whose element has an unsigned twin where a reader looks first.
void check_twins(XmlSignatureState& st) {
  std::set<const xmlNode*> referenced;
  bool referenced_known = false;
  for (const auto& r : st.references) {
    if (r.status != xml::RefStatus::ok || r.whole_document || !r.target || r.signed_properties) continue;
    const xmlNode* t = r.target;
    const bool hidden = inside_signature(t);
    for (xmlNode* twin : xml::find_all(st.doc, ns_of(t), reinterpret_cast<const char*>(t->name))) {
      if (twin == t || inside_signature(twin) || xml::is_ancestor_or_self(t, twin)) continue;
      const bool wraps = xml::is_ancestor_or_self(twin, t);
      const bool first = xmlXPathCmpNodes(twin, const_cast<xmlNode*>(t)) == 1;  // twin before t
      if (!hidden && !wraps && !first) continue;
      if (entirely_signed(st, twin)) continue;
      if (!referenced_known) {
        referenced = referenced_elements(st.doc);
        referenced_known = true;
      }
      if (referenced.count(twin)) continue;
      flag(st, hidden ? "signed_copy_in_signature" : wraps ? "signed_copy_inside_unsigned" : "unsigned_copy_first", twin, t,
           r, twin);
      return;
    }
  }
}

}  // namespace

void check_wrapping(XmlSignatureState& st) {
  if (st.target) return;  // the caller named what it reads: check_target decides
  check_consumer_element(st);
  if (!st.report.has_finding("XML_SIGNED_ROOT_NOT_TARGET")) check_twins(st);
}

}  // namespace libsign::validate
