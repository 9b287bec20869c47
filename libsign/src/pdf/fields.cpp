#include "pdf/fields.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "pdf/errors.hpp"
#include "pdf/limits.hpp"
#include "pdf/pages.hpp"
#include "pdf/text.hpp"

namespace libsign::pdf {

namespace {

// "parent.child", with the partial name /T decoded as a PDF text string.
std::string qualify(const std::string& parent, const std::string& partial) {
  std::string t = text_to_utf8(partial);
  return parent.empty() ? t : parent + "." + t;
}

struct Walker {
  const Document& doc;
  size_t r;
  std::set<Ref> visited;
  std::vector<FormField> out;

  void walk(const ObjPtr& item, const std::string& parent_name, const std::string& ft, const ObjPtr& v, int depth) {
    if (depth > limits::kMaxNesting || visited.size() > 1000000) fail("PDF_MALFORMED", "form field tree too deep or too large");
    std::optional<Ref> ref;
    if (item->is_ref()) {
      ref = item->as_ref();
      if (!visited.insert(*ref).second) return;  // a loop or a field listed twice
    }
    ObjPtr dict = doc.resolve(item, r);
    if (!dict || !dict->is_dict()) return;
    std::string name = parent_name;
    if (auto t = doc.get(dict, "T", r); t && t->is_string()) name = qualify(name, t->as_string());
    std::string type = ft;
    if (auto f = doc.get(dict, "FT", r); f && f->is_name()) type = f->as_name();
    ObjPtr value = dict->has("V") ? dict->get("V") : v;

    std::vector<ObjPtr> child_fields;
    std::vector<Ref> widgets;
    if (auto kids = doc.get(dict, "Kids", r); kids && kids->is_array()) {
      for (const auto& k : kids->items()) {
        ObjPtr kd = doc.resolve(k, r);
        if (!kd || !kd->is_dict()) continue;
        // A kid with /T (or without /Subtype /Widget) is a field; otherwise it is a widget of this field.
        if (kd->has("T") || !kd->key_is_name("Subtype", "Widget")) child_fields.push_back(k);
        else if (k->is_ref()) widgets.push_back(k->as_ref());
      }
    }
    for (const auto& c : child_fields) walk(c, name, type, value, depth + 1);
    if (!child_fields.empty() && widgets.empty()) return;  // a pure intermediate node
    if (dict->key_is_name("Subtype", "Widget") && ref) widgets.insert(widgets.begin(), *ref);
    out.push_back(FormField{ref, dict, name, type, value, std::move(widgets)});
  }
};

// The field a widget found in /Annots belongs to: the widget itself when it has a /T or no /Parent
// (field and widget merged), else its /Parent. Name, /FT and /V come up the /Parent chain starting at
// the widget, the nearest /FT and /V winning, as in the field tree.
std::optional<FormField> field_of_widget(const Document& doc, size_t r, const ObjPtr& item, const ObjPtr& widget) {
  ObjPtr field_item = !widget->has("T") && widget->has("Parent") ? widget->get("Parent") : item;
  FormField f;
  if (field_item->is_ref()) f.ref = field_item->as_ref();
  f.dict = doc.resolve(field_item, r);
  if (!f.dict || !f.dict->is_dict()) return std::nullopt;
  std::vector<std::string> partial_names;
  std::set<Ref> chain;
  ObjPtr node_item = item;
  ObjPtr node = widget;
  for (int depth = 0; node && node->is_dict() && depth <= limits::kMaxNesting; ++depth) {
    if (node_item->is_ref() && !chain.insert(node_item->as_ref()).second) break;  // a /Parent loop
    if (auto t = doc.get(node, "T", r); t && t->is_string()) partial_names.push_back(t->as_string());
    if (auto ft = doc.get(node, "FT", r); f.type.empty() && ft && ft->is_name()) f.type = ft->as_name();
    if (!f.value && node->has("V")) f.value = node->get("V");
    node_item = node->get("Parent");
    if (!node_item) break;
    node = doc.resolve(node_item, r);
  }
  std::reverse(partial_names.begin(), partial_names.end());
  for (const auto& t : partial_names) f.name = qualify(f.name, t);
  return f;
}

}  // namespace

std::vector<FormField> annotation_only_fields(const Document& doc, size_t revision, const std::vector<FormField>& known) {
  std::set<Ref> seen;  // the known fields and their widgets
  for (const auto& f : known) {
    if (f.ref) seen.insert(*f.ref);
    seen.insert(f.widgets.begin(), f.widgets.end());
  }
  std::vector<FormField> out;
  std::map<Ref, size_t> index;  // field object -> its place in out
  for (Ref page : page_list(doc, revision)) {
    ObjPtr annots = doc.get(doc.object(page, revision), "Annots", revision);
    if (!annots || !annots->is_array()) continue;
    for (const auto& item : annots->items()) {
      if (item->is_ref() && seen.count(item->as_ref())) continue;
      ObjPtr widget = doc.resolve(item, revision);
      if (!widget || !widget->is_dict() || !widget->key_is_name("Subtype", "Widget")) continue;
      std::optional<FormField> field = field_of_widget(doc, revision, item, widget);
      if (!field || (field->ref && seen.count(*field->ref))) continue;  // a widget left out of a known field's /Kids
      auto it = field->ref ? index.find(*field->ref) : index.end();
      if (it == index.end()) {
        if (field->ref) it = index.emplace(*field->ref, out.size()).first;
        out.push_back(std::move(*field));
      }
      FormField& target = it == index.end() ? out.back() : out[it->second];
      if (item->is_ref() && std::find(target.widgets.begin(), target.widgets.end(), item->as_ref()) == target.widgets.end())
        target.widgets.push_back(item->as_ref());
    }
  }
  return out;
}

std::vector<FormField> form_fields(const Document& doc, size_t revision) {
  Walker w{doc, revision, {}, {}};
  ObjPtr acroform = doc.get(doc.catalog(revision), "AcroForm", revision);
  if (!acroform || !acroform->is_dict()) return {};
  ObjPtr fields = doc.get(acroform, "Fields", revision);
  if (!fields || !fields->is_array()) return {};
  for (const auto& f : fields->items()) w.walk(f, "", "", nullptr, 0);
  return std::move(w.out);
}

}  // namespace libsign::pdf
