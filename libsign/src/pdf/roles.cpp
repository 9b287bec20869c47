#include "pdf/roles.hpp"

#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

namespace {

std::optional<Ref> ref_of(const ObjPtr& o) {
  if (o && o->is_ref()) return o->as_ref();
  return std::nullopt;
}

void walk_pages(const Document& doc, size_t r, const ObjPtr& node_ref, ViewRoles& roles, std::set<Ref>& seen, int depth,
                std::vector<Ref>& page_annots) {
  if (depth > limits::kMaxNesting) fail("PDF_MALFORMED", "page tree too deep");
  auto ref = ref_of(node_ref);
  if (ref && !seen.insert(*ref).second) return;
  ObjPtr node = doc.resolve(node_ref, r);
  if (!node || !node->is_dict()) return;
  if (node->key_is_name("Type", "Pages") || node->has("Kids")) {
    auto kids = doc.get(node, "Kids", r);
    if (kids && kids->is_array())
      for (const auto& k : kids->items()) walk_pages(doc, r, k, roles, seen, depth + 1, page_annots);
    return;
  }
  if (!ref) return;
  roles.pages.insert(*ref);
  if (auto a = ref_of(node->get("Annots"))) roles.annots_arrays.emplace(*a, *ref);
  ObjPtr annots = doc.get(node, "Annots", r);
  if (annots && annots->is_array())
    for (const auto& x : annots->items())
      if (auto w = ref_of(x)) page_annots.push_back(*w);
}

// A widget whose own or inherited (/Parent) /FT is /Sig, with its inherited /V; nullopt when not a signature widget.
std::optional<ObjPtr> signature_widget_value(const Document& doc, size_t r, Ref ref) {
  ObjPtr node = doc.object(ref, r);
  if (!node->is_dict() || !node->key_is_name("Subtype", "Widget")) return std::nullopt;
  ObjPtr value;
  for (int depth = 0; node && node->is_dict() && depth <= limits::kMaxNesting; ++depth) {
    if (!value) value = node->get("V");
    if (ObjPtr ft = node->get("FT")) {
      if (ft->is_name() && ft->as_name() == "Sig") return value;
      return std::nullopt;
    }
    node = doc.get(node, "Parent", r);
  }
  return std::nullopt;
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

// Every object reachable from the AcroForm's /DR, breadth first, at most kMaxDrObjects of them. Whether
// they are used elsewhere too is the change analysis's business (its every-path rule).
constexpr size_t kMaxDrObjects = 4096;

void collect_dr(const Document& doc, size_t r, const ObjPtr& dr_raw, ViewRoles& roles) {
  std::vector<ObjPtr> queue{dr_raw};
  for (size_t i = 0; i < queue.size() && roles.dr_objects.size() < kMaxDrObjects; ++i) {
    ObjPtr x = queue[i];
    if (auto ref = ref_of(x)) {
      if (!roles.dr_objects.insert(*ref).second) continue;
      x = doc.resolve(x, r);
    }
    if (!x) continue;
    std::vector<ObjPtr> stack{x};
    while (!stack.empty()) {  // direct sub-objects of one object (bounded by the parser's nesting limit)
      ObjPtr y = stack.back();
      stack.pop_back();
      if (y->is_ref()) queue.push_back(y);
      else if (y->is_array()) stack.insert(stack.end(), y->items().begin(), y->items().end());
      else if (y->has_dict())
        for (const auto& e : y->entries()) stack.push_back(e.value);
    }
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
  if (ObjPtr af = doc.get(catalog, "AcroForm", r); af && af->is_dict()) {
    roles.fields_array = ref_of(af->get("Fields"));
    roles.dr = ref_of(af->get("DR"));
    if (ObjPtr dr = af->get("DR")) collect_dr(doc, r, dr, roles);
  }
  collect_dss(doc, r, catalog, roles);
  std::set<Ref> seen;
  std::vector<Ref> page_annots;
  walk_pages(doc, r, catalog->get("Pages"), roles, seen, 0, page_annots);
  roles.fields = form_fields(doc, r);
  for (size_t i = 0; i < roles.fields.size(); ++i) {
    const auto& f = roles.fields[i];
    if (f.ref) roles.field_of.emplace(*f.ref, i);
    for (Ref w : f.widgets) {
      roles.field_of.emplace(w, i);
      collect_appearances(doc, r, w, roles);
    }
  }
  for (Ref a : page_annots) {
    if (roles.field_of.count(a) || roles.annots_only_sig_widgets.count(a)) continue;
    if (auto value = signature_widget_value(doc, r, a)) {
      roles.annots_only_sig_widgets.emplace(a, *value);
      collect_appearances(doc, r, a, roles);
    }
  }
  return roles;
}

}  // namespace libsign::pdf
