#include "pdf/change_places.hpp"

#include <map>
#include <set>

#include "pdf/pages.hpp"
#include "pdf/refgraph.hpp"

namespace libsign::pdf {
namespace {

struct Place {
  const char* kind;
  int page;
};

// The objects each page of one view reaches through its known keys, with the page number (the first
// page wins for an object shared by several).
class PagePlaces {
 public:
  PagePlaces(const Document& doc, size_t revision, bool walk)
      : doc_(doc), revision_(revision), pages_(walk ? page_list(doc, revision) : std::vector<Ref>{}) {
    for (size_t i = 0; i < pages_.size(); ++i) add_page(pages_[i], static_cast<int>(i + 1));
  }

  const std::vector<Ref>& pages() const { return pages_; }

  const Place* find(Ref r) const {
    auto it = places_.find(r);
    return it == places_.end() ? nullptr : &it->second;
  }

 private:
  void put(const ObjPtr& o, const char* kind, int page) {
    if (o && o->is_ref()) places_.emplace(o->as_ref(), Place{kind, page});
  }

  void add_page(Ref ref, int page) {
    places_.emplace(ref, Place{"page", page});
    ObjPtr p = doc_.object(ref, revision_);
    if (!p || !p->has_dict()) return;
    ObjPtr contents = p->get("Contents");
    put(contents, "page_content", page);
    if (ObjPtr list = doc_.resolve(contents, revision_); list && list->is_array())
      for (const auto& item : list->items()) put(item, "page_content", page);
    ObjPtr resources = p->get("Resources");
    put(resources, "page_resources", page);
    if (ObjPtr res = doc_.resolve(resources, revision_); res && res->has_dict())
      for (const auto& category : res->entries()) {  // /Font, /XObject, /ExtGState…, then each named resource
        put(category.value, "page_resources", page);
        if (ObjPtr named = doc_.resolve(category.value, revision_); named && named->has_dict())
          for (const auto& e : named->entries()) put(e.value, "page_resources", page);
      }
    ObjPtr annots = p->get("Annots");
    put(annots, "annotation", page);
    if (ObjPtr list = doc_.resolve(annots, revision_); list && list->is_array())
      for (const auto& item : list->items()) {
        ObjPtr a = doc_.resolve(item, revision_);
        put(item, a && a->has_dict() && a->key_is_name("Subtype", "Widget") ? "form_field" : "annotation", page);
      }
  }

  const Document& doc_;
  size_t revision_;
  std::vector<Ref> pages_;
  std::map<Ref, Place> places_;
};

int index_of(const std::vector<Ref>& pages, Ref r) {
  for (size_t i = 0; i < pages.size(); ++i)
    if (pages[i] == r) return static_cast<int>(i + 1);
  return 0;
}

// The first page of `a` that `b` lacks (0 when none).
int first_missing(const std::vector<Ref>& a, const std::vector<Ref>& b) {
  std::set<Ref> in_b(b.begin(), b.end());
  for (size_t i = 0; i < a.size(); ++i)
    if (!in_b.count(a[i])) return static_cast<int>(i + 1);
  return 0;
}

// A page whose only changed keys are its content, its resources or its annotations is named by them:
// "page content changed" says more to a person than "page keys changed".
const char* page_kind(const Document& doc, Ref page, size_t prev, size_t cur) {
  ObjPtr a = doc.object(page, prev), b = doc.object(page, cur);
  if (!a || !b || !a->has_dict() || !b->has_dict()) return "page";
  std::set<std::string> changed;
  for (const auto& e : a->entries())
    if (auto other = b->get(e.key); !other || !same_value(*e.value, *other)) changed.insert(e.key);
  for (const auto& e : b->entries())
    if (!a->has(e.key)) changed.insert(e.key);
  if (changed.empty()) return "page";
  auto only = [&](const char* key) { return changed.size() == 1 && changed.count(key); };
  return only("Contents") ? "page_content" : only("Resources") ? "page_resources" : only("Annots") ? "annotation" : "page";
}

const char* kind_by_role(Ref x, const ViewRoles& r) {
  if (auto it = r.field_of.find(x); it != r.field_of.end()) return r.fields[it->second].type == "Sig" ? "signature" : "form_field";
  if (r.annots_only_sig_widgets.count(x)) return "signature";
  if ((r.catalog && *r.catalog == x)) return "document";
  if ((r.acroform && *r.acroform == x) || (r.fields_array && *r.fields_array == x) || r.dr_objects.count(x)) return "form";
  if ((r.dss && *r.dss == x) || r.dss_objects.count(x)) return "validation_data";
  if ((r.info && *r.info == x) || (r.metadata && *r.metadata == x) || (r.extensions && *r.extensions == x)) return "metadata";
  return nullptr;
}

}  // namespace

void locate_changes(const Document& doc, size_t prev, size_t cur, const ViewRoles& old_roles, const ViewRoles& new_roles,
                    std::vector<ChangedObject>& objects) {
  if (objects.empty()) return;
  // Only a revision that changes something shown needs pages: signatures and DSS updates stay cheap.
  bool walk = false;
  for (const auto& c : objects) walk = walk || c.level >= ModificationLevel::Annotations;
  const PagePlaces old_view(doc, prev, walk), new_view(doc, cur, walk);
  const int added = first_missing(new_view.pages(), old_view.pages());
  const int removed = first_missing(old_view.pages(), new_view.pages());
  for (auto& c : objects) {
    const Ref x = c.ref;
    const Place* place = old_view.find(x);
    if (!place) place = new_view.find(x);
    c.page = place ? place->page : 0;
    const char* kind = nullptr;
    if (x == kTrailerHolder) {
      kind = "document";
    } else if (int p = index_of(new_view.pages(), x); p && !index_of(old_view.pages(), x)) {
      kind = "page_added";
      c.page = p;
    } else if (int q = index_of(old_view.pages(), x); q && !index_of(new_view.pages(), x)) {
      kind = "page_removed";
      c.page = q;
    }
    if (!kind) kind = kind_by_role(x, new_roles);
    if (!kind) kind = kind_by_role(x, old_roles);
    if (!kind && place) kind = std::string(place->kind) == "page" ? page_kind(doc, x, prev, cur) : place->kind;
    if (!kind) {
      if (auto owner = old_roles.ap_owner.find(x); owner != old_roles.ap_owner.end()) {  // a widget's appearance
        const Place* w = old_view.find(owner->second);
        kind = kind_by_role(owner->second, old_roles);
        if (!kind) kind = w ? w->kind : "annotation";
        if (w) c.page = w->page;
      }
    }
    if (!kind) {
      ObjPtr now = doc.object(x, cur);
      if (!now) now = doc.object(x, prev);
      if (now && now->has_dict() && (now->key_is_name("Type", "Sig") || now->key_is_name("Type", "DocTimeStamp"))) {
        kind = "signature";
      } else if (now && now->has_dict() && now->key_is_name("Type", "Pages")) {  // a node of the page tree
        kind = added ? "page_added" : removed ? "page_removed" : "page_tree";
        c.page = added ? added : removed;
      }
    }
    c.kind = kind ? kind : "other";
  }
}

}  // namespace libsign::pdf
