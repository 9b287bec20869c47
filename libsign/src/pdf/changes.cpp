#include "pdf/changes.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "pdf/change_places.hpp"
#include "pdf/errors.hpp"
#include "pdf/refgraph.hpp"
#include "pdf/roles.hpp"

namespace libsign::pdf {

const char* to_string(ModificationLevel level) {
  switch (level) {
    case ModificationLevel::None: return "none";
    case ModificationLevel::LtvUpdates: return "ltv_updates";
    case ModificationLevel::FormFilling: return "form_filling";
    case ModificationLevel::Annotations: return "annotations";
    case ModificationLevel::Other: return "other";
  }
  return "?";
}

ModificationLevel overall_level(const std::vector<RevisionChanges>& changes) {
  ModificationLevel worst = ModificationLevel::None;
  for (const auto& c : changes) worst = std::max(worst, c.level);
  return worst;
}

namespace {

using Level = ModificationLevel;

bool is_container(const ObjPtr& o) {
  return o && o->is_stream() && (o->key_is_name("Type", "XRef") || o->key_is_name("Type", "ObjStm"));
}

// Same value, stricter than same_value: an integer and a real are different even when equal (1 vs 1.0), because
// where PDF wants an integer (/F, /Ff, /Count, /P ...) readers ignore a real, so the rewrite can change behaviour.
// Reals compare by value (1.0 = 1.00), strings by their bytes (literal or hex), names after #-decoding, and
// dictionaries regardless of key order. Stream data is compared by the caller.
bool identical(const Object& a, const Object& b, int depth = 0) {
  if (depth > 64 || a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Int: return a.as_int() == b.as_int();
    case Kind::Real: return a.as_number() == b.as_number();
    case Kind::Array:
      if (a.items().size() != b.items().size()) return false;
      for (size_t i = 0; i < a.items().size(); ++i)
        if (!identical(*a.items()[i], *b.items()[i], depth + 1)) return false;
      return true;
    case Kind::Dict:
    case Kind::Stream:
      if (a.entries().size() != b.entries().size()) return false;
      for (const auto& e : a.entries()) {
        auto other = b.get(e.key);
        if (!other || !identical(*e.value, *other, depth + 1)) return false;
      }
      return true;
    default: return same_value(a, b);
  }
}

std::string holder_name(Ref h) { return h == kTrailerHolder ? std::string("the trailer") : "object " + to_string(h); }

struct Outcome {
  Level level = Level::None;
  std::string text;
  void add(Level l, const std::string& why) {
    level = std::max(level, l);
    if (!text.empty()) text += "; ";
    text += why;
  }
};

struct Analyzer {
  const Document& doc;
  size_t o, n;  // previous and current revision
  ViewRoles ro, rn;
  RefGraph old_graph;
  std::set<uint32_t> changed_nums;
  std::set<Ref> value_changed;  // field and widget refs (new view) whose field value changed or that are new

  Analyzer(const Document& d, size_t prev, size_t cur)
      : doc(d), o(prev), n(cur), ro(collect_roles(d, prev)), rn(collect_roles(d, cur)), old_graph(d, prev) {}

  bool same_object(const ObjPtr& a, const ObjPtr& b) const {
    if (!identical(*a, *b)) return false;
    if (!a->is_stream()) return true;
    auto bytes = doc.bytes();
    return bytes.substr(a->data_offset(), a->data_length()) == bytes.substr(b->data_offset(), b->data_length());
  }

  // Keys whose values differ (direct comparison: references compare by number).
  std::vector<std::string> diff_keys(const ObjPtr& a, const ObjPtr& b) const {
    std::vector<std::string> keys;
    auto has_dict = [](const ObjPtr& x) { return x && x->has_dict(); };
    if (has_dict(a))
      for (const auto& e : a->entries()) {
        auto other = has_dict(b) ? b->get(e.key) : nullptr;
        if (!other || !identical(*e.value, *other)) keys.push_back(e.key);
      }
    if (has_dict(b))
      for (const auto& e : b->entries())
        if (!has_dict(a) || !a->has(e.key)) keys.push_back(e.key);
    if (a && b && a->is_stream() && b->is_stream() && !same_object(a, b)) keys.push_back("(stream data)");
    if (a && b && a->has_dict() != b->has_dict()) keys.push_back("(object type)");
    return keys;
  }

  // True when every path that reaches `target` in the previous revision ends in an allowed reference: either
  // `ok` accepts the reference directly, or it comes from an object `via` accepts which is itself reached only
  // through allowed references. Otherwise `why` names an offending reference.
  bool only_referenced_by(Ref target, const std::function<bool(const Referrer&)>& ok, std::string& why,
                          const std::function<bool(Ref)>& via = nullptr) const {
    std::set<Ref> visited;
    return exclusive(target, ok, via, why, visited, 0);
  }

  bool exclusive(Ref target, const std::function<bool(const Referrer&)>& ok, const std::function<bool(Ref)>& via,
                 std::string& why, std::set<Ref>& visited, int depth) const {
    if (!visited.insert(target).second) return true;
    if (depth > 16) {
      why = "it is reached through too many intermediate objects";
      return false;
    }
    for (const auto& r : old_graph.referrers(target)) {
      if (ok(r)) continue;
      if (via && r.holder != kTrailerHolder && via(r.holder) && exclusive(r.holder, ok, via, why, visited, depth + 1)) continue;
      if (why.empty()) why = "it is also referenced from " + holder_name(r.holder) + (r.key.empty() ? "" : " /" + r.key);
      return false;
    }
    return true;
  }

  bool is_doc_timestamp_value(const ObjPtr& v) const {
    ObjPtr d = doc.resolve(v, n);
    return d && d->is_dict() && d->key_is_name("Type", "DocTimeStamp");
  }

  Level level_for_sig_field(const ObjPtr& field) const {
    return is_doc_timestamp_value(field ? field->get("V") : nullptr) ? Level::LtvUpdates : Level::FormFilling;
  }

  void find_value_changes() {
    for (const auto& f : rn.fields) {
      bool changed = true;
      if (f.ref) {
        auto it = ro.field_of.find(*f.ref);
        if (it != ro.field_of.end() && ro.fields[it->second].ref == f.ref) {
          const auto& old = ro.fields[it->second];
          ObjPtr a = old.value, b = f.value;
          bool a_null = !a || a->is_null(), b_null = !b || b->is_null();
          if (a_null && b_null) changed = false;
          else if (!a_null && !b_null && identical(*a, *b)) changed = b->is_ref() && changed_nums.count(b->as_ref().num);
        }
      }
      if (!changed) continue;
      if (f.ref) value_changed.insert(*f.ref);
      for (Ref w : f.widgets) value_changed.insert(w);
    }
  }

  // A signature field (signed view) that is a single object with its widget, not rewritten, whose widget is still in
  // a page's /Annots in the new view. @signpdf's placeholder writes this: it replaces a direct /AcroForm with its
  // own, whose /Fields lists only the new field. Nothing shown changes and the signature is still found.
  bool still_on_its_page(Ref field) const {
    auto it = ro.field_of.find(field);
    if (it == ro.field_of.end() || ro.fields[it->second].type != "Sig") return false;
    const auto& widgets = ro.fields[it->second].widgets;
    if (widgets.size() != 1 || widgets[0] != field || changed_nums.count(field.num)) return false;
    return rn.annots_only_sig_widgets.count(field) > 0;
  }

  // /Fields arrays: old entries must stay; new ones must be signature fields.
  void fields_rules(const ObjPtr& old_raw, const ObjPtr& new_raw, Outcome& out) const {
    ObjPtr a = doc.resolve(old_raw, o), b = doc.resolve(new_raw, n);
    std::vector<ObjPtr> old_items = a && a->is_array() ? a->items() : std::vector<ObjPtr>{};
    if (!b || !b->is_array()) return out.add(Level::Other, "/Fields is no longer an array");
    for (const auto& x : old_items) {
      bool kept = std::any_of(b->items().begin(), b->items().end(), [&](const ObjPtr& y) { return identical(*x, *y); });
      if (kept) continue;
      if (x->is_ref() && still_on_its_page(x->as_ref()))
        out.add(Level::FormFilling, "signature field " + to_string(x->as_ref()) +
                                        " no longer listed in /AcroForm /Fields but unchanged on its page");
      else
        out.add(Level::Other, "a field was removed from /AcroForm /Fields");
    }
    for (const auto& y : b->items()) {
      bool old = std::any_of(old_items.begin(), old_items.end(), [&](const ObjPtr& x) { return identical(*x, *y); });
      if (old) continue;
      ObjPtr f = doc.resolve(y, n);
      if (f && f->is_dict() && f->key_is_name("FT", "Sig")) out.add(level_for_sig_field(f), "signature field added to /Fields");
      else out.add(Level::Other, "non-signature field added to /AcroForm /Fields");
    }
  }

  void acroform_rules(const ObjPtr& old_raw, const ObjPtr& new_raw, Outcome& out) const {
    ObjPtr a = doc.resolve(old_raw, o), b = doc.resolve(new_raw, n);
    if (!b || !b->is_dict()) return out.add(Level::Other, "/AcroForm is not a dictionary");
    for (const auto& k : diff_keys(a && a->is_dict() ? a : nullptr, b)) {
      if (k == "Fields") fields_rules(a && a->is_dict() ? a->get("Fields") : nullptr, b->get("Fields"), out);
      else if (k == "NeedAppearances" || k == "SigFlags" || k == "DR" || k == "DA")
        out.add(Level::FormFilling, "/AcroForm /" + k + " changed");
      else if (k == "Type" && b->key_is_name("Type", "AcroForm"))  // not a standard key; @signpdf writes it
        out.add(Level::FormFilling, "/AcroForm /Type /AcroForm written");
      else out.add(Level::Other, "/AcroForm key /" + k + " changed");
    }
  }

  // Page /Annots: old annotations must stay; new signature widgets are form filling, other annotations are annotations.
  void annots_rules(const ObjPtr& old_raw, const ObjPtr& new_raw, Outcome& out) const {
    ObjPtr a = doc.resolve(old_raw, o), b = doc.resolve(new_raw, n);
    std::vector<ObjPtr> old_items = a && a->is_array() ? a->items() : std::vector<ObjPtr>{};
    if (!b || !b->is_array()) {
      if (!old_items.empty()) out.add(Level::Other, "page /Annots removed");
      return;
    }
    for (const auto& x : old_items) {
      bool kept = std::any_of(b->items().begin(), b->items().end(), [&](const ObjPtr& y) { return identical(*x, *y); });
      if (!kept) out.add(Level::Other, "an annotation was removed from page /Annots");
    }
    for (const auto& y : b->items()) {
      bool old = std::any_of(old_items.begin(), old_items.end(), [&](const ObjPtr& x) { return identical(*x, *y); });
      if (old) continue;
      ObjPtr an = doc.resolve(y, n);
      if (!an || !an->is_dict()) {
        out.add(Level::Other, "page /Annots gained a non-dictionary");
      } else if (an->key_is_name("Subtype", "Widget")) {
        auto it = y->is_ref() ? rn.field_of.find(y->as_ref()) : rn.field_of.end();
        auto orphan = y->is_ref() ? rn.annots_only_sig_widgets.find(y->as_ref()) : rn.annots_only_sig_widgets.end();
        if (it != rn.field_of.end() && rn.fields[it->second].type == "Sig")
          out.add(is_doc_timestamp_value(rn.fields[it->second].value) ? Level::LtvUpdates : Level::FormFilling,
                  "signature widget added to page /Annots");
        else if (orphan != rn.annots_only_sig_widgets.end())
          out.add(is_doc_timestamp_value(orphan->second) ? Level::LtvUpdates : Level::FormFilling,
                  "signature widget added to page /Annots (not listed in /AcroForm /Fields)");
        else
          out.add(Level::Other, "non-signature widget added to page /Annots");
      } else {
        out.add(Level::Annotations, "annotation added to page /Annots");
      }
    }
  }

  bool is_new_object(const ObjPtr& raw) const {
    return raw && raw->is_ref() && changed_nums.count(raw->as_ref().num) && !doc.entry(raw->as_ref().num, o);
  }

  // Catalog /Perms may only appear, holding nothing but a usage-rights signature (/UR3, /UR) that is new in this
  // revision. A new /DocMDP is Other: a certification signature must be the first signature of the document
  // (ISO 32000-2 12.8.2.2.1), so it cannot come after the one being validated. A changed /Perms is Other.
  void perms_rules(const ObjPtr& old_raw, const ObjPtr& new_raw, Outcome& out) const {
    if (old_raw) return out.add(Level::Other, "catalog key /Perms changed");
    ObjPtr p = doc.resolve(new_raw, n);
    if (!p || !p->is_dict() || p->entries().empty()) return out.add(Level::Other, "catalog key /Perms added but it is not a permissions dictionary");
    for (const auto& e : p->entries()) {
      if (e.key == "DocMDP") {
        out.add(Level::Other, "catalog /Perms /DocMDP added: a certification signature added after the document was signed");
        continue;
      }
      ObjPtr sig = doc.resolve(e.value, n);
      bool usage_rights = (e.key == "UR3" || e.key == "UR") && is_new_object(e.value) && sig && sig->is_dict() &&
                          sig->has("ByteRange") && sig->has("Contents");
      if (usage_rights) out.add(Level::FormFilling, "catalog /Perms /" + e.key + " added for a new usage-rights signature");
      else out.add(Level::Other, "catalog /Perms /" + e.key + " added");
    }
  }

  void catalog_rules(const ObjPtr& a, const ObjPtr& b, Outcome& out) const {
    for (const auto& k : diff_keys(a, b)) {
      if (k == "DSS") out.add(Level::LtvUpdates, "catalog /DSS added or changed");
      else if (k == "AcroForm") acroform_rules(a->get("AcroForm"), b->get("AcroForm"), out);
      else if (k == "Extensions" || k == "Version" || k == "Metadata") out.add(Level::FormFilling, "catalog /" + k + " changed");
      else if (k == "Perms") perms_rules(a->get("Perms"), b->get("Perms"), out);
      else out.add(Level::Other, "catalog key /" + k + " changed");
    }
  }

  void field_rules(Ref x, const ObjPtr& a, const ObjPtr& b, Outcome& out) const {
    const FormField& f = rn.fields[rn.field_of.at(x)];
    bool sig = f.type == "Sig";
    bool vchanged = value_changed.count(x) > 0;
    for (const auto& k : diff_keys(a, b)) {
      if (k == "V") {
        ObjPtr old_v = a->get("V");
        if (!sig) out.add(Level::FormFilling, "field value changed");
        else if (!old_v || old_v->is_null()) out.add(level_for_sig_field(b), "empty signature field got its /V");
        else out.add(Level::Other, "signature value of field '" + f.name + "' replaced (key /V)");
      } else if (k == "AP") {
        if (!vchanged) {
          out.add(Level::Other, "widget /AP replaced although the field value did not change (key /AP)");
          continue;
        }
        std::string why;
        bool safe = true;
        for (const auto& [ap, owner] : ro.ap_owner) {
          if (owner != x) continue;
          auto ok = [&](const Referrer& r) { return r.holder == x && r.key == "AP"; };
          auto via = [&](Ref h) {
            auto it = ro.ap_owner.find(h);
            return it != ro.ap_owner.end() && it->second == x;
          };
          if (!only_referenced_by(ap, ok, why, via)) {
            out.add(Level::Other, "old appearance " + to_string(ap) + " of the widget replaced but " + why);
            safe = false;
          }
        }
        if (safe) out.add(Level::FormFilling, "appearance of a filled field replaced");
      } else if (k == "AS") {
        out.add(vchanged ? Level::FormFilling : Level::Other, "appearance state /AS changed");
      } else if (k == "MK") {
        // Appearance characteristics (border, background, caption): only an input to building /AP.
        out.add(vchanged ? Level::FormFilling : Level::Other, "widget /MK changed" + std::string(vchanged ? "" : " although the field value did not change"));
      } else if (k == "F") {
        out.add(flags_rule(a->get("F"), b->get("F"), vchanged), "widget annotation flags /F changed");
      } else if (k == "P") {
        bool to_page = !a->has("P") && b->get("P") && b->get("P")->is_ref() && rn.pages.count(b->get("P")->as_ref());
        out.add(vchanged && to_page ? Level::FormFilling : Level::Other, "widget /P (its page) set");
      } else {
        out.add(Level::Other, "field/widget key /" + k + " changed");
      }
    }
  }

  // Annotation flags of a widget being signed or filled: tools set Print, ReadOnly, Locked or LockedContents.
  // Any change of Invisible, Hidden, NoZoom, NoRotate, NoView, ToggleNoView changes what is shown: Other.
  static Level flags_rule(const ObjPtr& old_f, const ObjPtr& new_f, bool value_changed) {
    constexpr int64_t kHarmless = 4 | 64 | 128 | 512;  // Print, ReadOnly, Locked, LockedContents
    auto bits = [](const ObjPtr& f) -> std::optional<int64_t> {
      if (!f) return 0;
      if (f->is_int()) return f->as_int();
      return std::nullopt;
    };
    auto a = bits(old_f), b = bits(new_f);
    if (!value_changed || !a || !b) return Level::Other;
    return ((*a ^ *b) & ~kHarmless) == 0 ? Level::FormFilling : Level::Other;
  }

  void in_place_appearance_rules(Ref x, Ref owner, Outcome& out) const {
    if (!value_changed.count(owner))
      return out.add(Level::Other, "appearance object of widget " + to_string(owner) + " modified in place although its field value did not change");
    std::string why;
    auto ok = [&](const Referrer& r) { return r.holder == owner && r.key == "AP"; };
    auto via = [&](Ref h) {
      auto it = ro.ap_owner.find(h);
      return it != ro.ap_owner.end() && it->second == owner;
    };
    if (!only_referenced_by(x, ok, why, via)) return out.add(Level::Other, "appearance object modified in place but " + why);
    out.add(Level::FormFilling, "appearance of a filled field replaced in place");
  }

  // An existing object in a whitelisted role may be rewritten only if nothing else in the signed view uses it.
  void exclusive_role(Ref x, Level level, const std::string& what, const std::function<bool(const Referrer&)>& ok,
                      Outcome& out, const std::function<bool(Ref)>& via = nullptr) const {
    std::string why;
    if (only_referenced_by(x, ok, why, via)) out.add(level, what + " changed");
    else out.add(Level::Other, what + " changed but " + why);
  }

  // A reference written at AcroForm /DR in the signed view (the AcroForm direct in the catalog or indirect).
  bool is_dr_path(const Referrer& r) const {
    auto under = [&](const std::string& prefix) { return r.path == prefix || r.path.rfind(prefix + "/", 0) == 0; };
    if (ro.acroform) return r.holder == *ro.acroform && under("DR");
    return ro.catalog && r.holder == *ro.catalog && under("AcroForm/DR");
  }

  bool in_dss(Ref x) const {
    return rn.dss_objects.count(x) || ro.dss_objects.count(x) || (rn.dss && *rn.dss == x) || (ro.dss && *ro.dss == x);
  }

  Outcome classify_modified(Ref x, const ObjPtr& a, const ObjPtr& b) const {
    Outcome out;
    if (rn.catalog && *rn.catalog == x) {
      catalog_rules(a, b, out);
    } else if (rn.acroform && *rn.acroform == x) {
      acroform_rules(a, b, out);
    } else if (rn.fields_array && *rn.fields_array == x) {
      fields_rules(a, b, out);
    } else if (rn.pages.count(x)) {
      for (const auto& k : diff_keys(a, b)) {
        if (k == "Annots") annots_rules(a->get("Annots"), b->get("Annots"), out);
        else out.add(Level::Other, "page key /" + k + " changed");
      }
    } else if (rn.annots_arrays.count(x)) {
      annots_rules(a, b, out);
    } else if (rn.field_of.count(x)) {
      field_rules(x, a, b, out);
    } else if (ro.ap_owner.count(x)) {
      in_place_appearance_rules(x, ro.ap_owner.at(x), out);
    } else if (in_dss(x)) {
      exclusive_role(
          x, Level::LtvUpdates, "DSS object",
          [&](const Referrer& r) { return ro.catalog && r.holder == *ro.catalog && r.key == "DSS"; }, out,
          [&](Ref h) { return in_dss(h); });
    } else if (ro.dr_objects.count(x) || rn.dr_objects.count(x)) {
      // Default resources (fonts for building field appearances). Shared with page or appearance resources: Other.
      exclusive_role(x, Level::FormFilling, "/AcroForm /DR resource", [&](const Referrer& r) { return is_dr_path(r); }, out,
                     [&](Ref h) { return ro.dr_objects.count(h) > 0; });
    } else if (rn.info && *rn.info == x) {
      exclusive_role(x, Level::FormFilling, "document /Info", [](const Referrer& r) {
        return r.holder == kTrailerHolder && r.key == "Info";
      }, out);
    } else if (rn.extensions && *rn.extensions == x) {
      exclusive_role(x, Level::FormFilling, "catalog /Extensions", [&](const Referrer& r) {
        return ro.catalog && r.holder == *ro.catalog && r.key == "Extensions";
      }, out);
    } else if (rn.metadata && *rn.metadata == x) {
      exclusive_role(x, Level::FormFilling, "catalog /Metadata", [&](const Referrer& r) {
        return ro.catalog && r.holder == *ro.catalog && r.key == "Metadata";
      }, out);
    } else {
      std::string keys;
      for (const auto& k : diff_keys(a, b)) keys += (keys.empty() ? "/" : ", /") + k;
      out.add(Level::Other, "modified (" + (keys.empty() ? std::string("value") : keys) + ")");
    }
    if (out.text.empty()) out.add(Level::None, "rewritten without effective change");
    return out;
  }

  Outcome classify_new(Ref x, const ObjPtr& b) const {
    Outcome out;
    std::string why;
    if (!only_referenced_by(x, [](const Referrer&) { return false; }, why)) {
      out.add(Level::Other, "object was undefined in the previous revision but " + why);
      return out;
    }
    if (b->has_dict() && (b->key_is_name("Type", "DocTimeStamp"))) out.add(Level::LtvUpdates, "new document timestamp value");
    else if (b->is_dict() && (b->key_is_name("Type", "Sig") || (b->has("ByteRange") && b->has("Contents"))))
      out.add(Level::FormFilling, "new signature value");
    else if (in_dss(x)) out.add(Level::LtvUpdates, "new DSS object");
    else if (rn.field_of.count(x) && rn.fields[rn.field_of.at(x)].type == "Sig")
      out.add(is_doc_timestamp_value(rn.fields[rn.field_of.at(x)].value) ? Level::LtvUpdates : Level::FormFilling,
              "new signature field or widget");
    else if (rn.annots_only_sig_widgets.count(x))
      out.add(is_doc_timestamp_value(rn.annots_only_sig_widgets.at(x)) ? Level::LtvUpdates : Level::FormFilling,
              "new signature widget (listed in page /Annots only)");
    else if (b->is_dict() && b->key_is_name("Type", "Annot") && !b->key_is_name("Subtype", "Widget"))
      out.add(Level::Annotations, "new annotation");
    else
      out.add(Level::None, "new object (only effective through the changes listed with it)");
    return out;
  }

  void trailer_rules(std::vector<ChangedObject>& objects) const {
    static const std::set<std::string> ignored = {"Size", "Prev", "ID", "XRefStm", "Type", "W", "Index",
                                                  "Filter", "DecodeParms", "Length", "(stream data)"};
    Outcome out;
    for (const auto& k : diff_keys(doc.trailer(o), doc.trailer(n))) {
      if (ignored.count(k)) continue;
      if (k == "Info") out.add(Level::FormFilling, "trailer /Info replaced");
      else if (k == "Root") out.add(Level::Other, "trailer /Root changed to a different object");
      else out.add(Level::Other, "trailer key /" + k + " changed");
    }
    if (!out.text.empty()) objects.push_back(ChangedObject{kTrailerHolder, "trailer: " + out.text, out.level});
  }

  RevisionChanges run() {
    RevisionChanges rc{n, Level::None, {}};
    const auto& entries = doc.revisions()[n].entries;
    for (const auto& kv : entries)
      if (kv.first != 0) changed_nums.insert(kv.first);
    find_value_changes();
    trailer_rules(rc.objects);
    for (uint32_t num : changed_nums) {
      auto eo = doc.entry(num, o);
      auto en = doc.entry(num, n);
      bool old_used = eo && eo->type != XrefEntry::Type::Free;
      bool new_used = en && en->type != XrefEntry::Type::Free;
      Ref old_ref{num, old_used && eo->type == XrefEntry::Type::InFile ? eo->gen : uint16_t{0}};
      Ref new_ref{num, new_used && en->type == XrefEntry::Type::InFile ? en->gen : uint16_t{0}};
      ObjPtr a = old_used ? doc.object(old_ref, o) : nullptr;
      ObjPtr b = new_used ? doc.object(new_ref, n) : nullptr;
      if (is_container(b) && (!a || is_container(a))) continue;
      if (is_container(a) && !b) continue;
      Outcome out;
      Ref ref = new_used ? new_ref : old_ref;
      if (a && !b) {
        out.add(Level::Other, "object freed");
      } else if (!a && b) {
        out = classify_new(new_ref, b);
      } else if (!a && !b) {
        continue;
      } else if (old_ref != new_ref) {
        out.add(Level::Other, "object number reused with another generation");
      } else if (is_container(a) != is_container(b)) {
        out.add(Level::Other, "object replaced by an xref or object stream");
      } else if (same_object(a, b)) {
        continue;  // rewritten identically
      } else {
        out = classify_modified(new_ref, a, b);
      }
      rc.objects.push_back(ChangedObject{ref, to_string(ref) + ": " + out.text, out.level});
    }
    for (const auto& c : rc.objects) rc.level = std::max(rc.level, c.level);
    locate_changes(doc, o, n, ro, rn, rc.objects);
    return rc;
  }
};

}  // namespace

std::vector<RevisionChanges> analyse_changes(const Document& doc, size_t signed_revision) {
  if (signed_revision > doc.last_revision())
    throw Error(ErrorCategory::usage, "BAD_REVISION", "signed revision index out of range");
  std::vector<RevisionChanges> out;
  for (size_t r = signed_revision + 1; r <= doc.last_revision(); ++r) out.push_back(Analyzer(doc, r - 1, r).run());
  return out;
}

}  // namespace libsign::pdf
