#include "pdf/roles.hpp"

#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

namespace {

std::optional<Ref> ref_of(const ObjPtr& o) {
  if (o && o->is_ref()) return o->as_ref();
  return std::nullopt;
}

void walk_pages(const Document& doc, size_t r, const ObjPtr& node_ref, ViewRoles& roles, std::set<Ref>& seen, int depth) {
  if (depth > limits::kMaxNesting) fail("PDF_MALFORMED", "page tree too deep");
  auto ref = ref_of(node_ref);
  if (ref && !seen.insert(*ref).second) return;
  ObjPtr node = doc.resolve(node_ref, r);
  if (!node || !node->is_dict()) return;
  if (node->key_is_name("Type", "Pages") || node->has("Kids")) {
    auto kids = doc.get(node, "Kids", r);
    if (kids && kids->is_array())
      for (const auto& k : kids->items()) walk_pages(doc, r, k, roles, seen, depth + 1);
    return;
  }
  if (!ref) return;
  roles.pages.insert(*ref);
  if (auto a = ref_of(node->get("Annots"))) roles.annots_arrays.emplace(*a, *ref);
}

void add_dss_refs(const Document& doc, size_t r, const ObjPtr& array_or_ref, ViewRoles& roles) {
  if (auto a = ref_of(array_or_ref)) roles.dss_objects.insert(*a);
  ObjPtr arr = doc.resolve(array_or_ref, r);
  if (!arr || !arr->is_array()) return;
  for (const auto& x : arr->items())
    if (auto s = ref_of(x)) roles.dss_objects.insert(*s);
}

void collect_dss(const Document& doc, size_t r, const ObjPtr& catalog, ViewRoles& roles) {
  roles.dss = ref_of(catalog->get("DSS"));
  ObjPtr dss = doc.get(catalog, "DSS", r);
  if (!dss || !dss->is_dict()) return;
  for (const char* k : {"Certs", "OCSPs", "CRLs"}) add_dss_refs(doc, r, dss->get(k), roles);
  if (auto v = ref_of(dss->get("VRI"))) roles.dss_objects.insert(*v);
  ObjPtr vri = doc.get(dss, "VRI", r);
  if (!vri || !vri->is_dict()) return;
  for (const auto& e : vri->entries()) {
    if (auto v = ref_of(e.value)) roles.dss_objects.insert(*v);
    ObjPtr entry = doc.resolve(e.value, r);
    if (!entry || !entry->is_dict()) continue;
    for (const char* k : {"Cert", "OCSP", "CRL"}) add_dss_refs(doc, r, entry->get(k), roles);
    if (auto ts = ref_of(entry->get("TS"))) roles.dss_objects.insert(*ts);
  }
}

void collect_appearances(const Document& doc, size_t r, Ref widget, ViewRoles& roles) {
  ObjPtr w = doc.object(widget, r);
  if (!w->is_dict()) return;
  ObjPtr ap_raw = w->get("AP");
  if (auto a = ref_of(ap_raw)) roles.ap_owner.emplace(*a, widget);
  ObjPtr ap = doc.resolve(ap_raw, r);
  if (!ap || !ap->is_dict()) return;
  for (const auto& e : ap->entries()) {  // /N /R /D: a stream, or a dictionary of state streams
    if (auto s = ref_of(e.value)) roles.ap_owner.emplace(*s, widget);
    ObjPtr sub = doc.resolve(e.value, r);
    if (sub && sub->is_dict())
      for (const auto& st : sub->entries())
        if (auto s = ref_of(st.value)) roles.ap_owner.emplace(*s, widget);
  }
}

}  // namespace

ViewRoles collect_roles(const Document& doc, size_t r) {
  ViewRoles roles;
  ObjPtr trailer = doc.trailer(r);
  roles.catalog = ref_of(trailer->get("Root"));
  roles.info = ref_of(trailer->get("Info"));
  ObjPtr catalog = doc.catalog(r);
  roles.acroform = ref_of(catalog->get("AcroForm"));
  roles.extensions = ref_of(catalog->get("Extensions"));
  roles.metadata = ref_of(catalog->get("Metadata"));
  if (ObjPtr af = doc.get(catalog, "AcroForm", r); af && af->is_dict()) roles.fields_array = ref_of(af->get("Fields"));
  collect_dss(doc, r, catalog, roles);
  std::set<Ref> seen;
  walk_pages(doc, r, catalog->get("Pages"), roles, seen, 0);
  roles.fields = form_fields(doc, r);
  for (size_t i = 0; i < roles.fields.size(); ++i) {
    const auto& f = roles.fields[i];
    if (f.ref) roles.field_of.emplace(*f.ref, i);
    for (Ref w : f.widgets) {
      roles.field_of.emplace(w, i);
      collect_appearances(doc, r, w, roles);
    }
  }
  return roles;
}

}  // namespace libsign::pdf
