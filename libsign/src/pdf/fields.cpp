#include "pdf/fields.hpp"

#include <set>

#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

namespace {

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
    if (auto t = doc.get(dict, "T", r); t && t->is_string()) name = name.empty() ? t->as_string() : name + "." + t->as_string();
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

}  // namespace

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
