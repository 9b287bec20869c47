#include "pdf/changes.hpp"

#include <algorithm>
#include <functional>
#include <set>

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
    if (!same_value(*a, *b)) return false;
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
        if (!other || !same_value(*e.value, *other)) keys.push_back(e.key);
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
          else if (!a_null && !b_null && same_value(*a, *b)) changed = b->is_ref() && changed_nums.count(b->as_ref().num);
        }
      }
      if (!changed) continue;
      if (f.ref) value_changed.insert(*f.ref);
      for (Ref w : f.widgets) value_changed.insert(w);
    }
  }

  // /Fields arrays: old entries must stay; new ones must be signature fields.
  void fields_rules(const ObjPtr& old_raw, const ObjPtr& new_raw, Outcome& out) const {
    ObjPtr a = doc.resolve(old_raw, o), b = doc.resolve(new_raw, n);
    std::vector<ObjPtr> old_items = a && a->is_array() ? a->items() : std::vector<ObjPtr>{};
    if (!b || !b->is_array()) return out.add(Level::Other, "/Fields is no longer an array");
    for (const auto& x : old_items) {
      bool kept = std::any_of(b->items().begin(), b->items().end(), [&](const ObjPtr& y) { return same_value(*x, *y); });
      if (!kept) out.add(Level::Other, "a field was removed from /AcroForm /Fields");
    }
    for (const auto& y : b->items()) {
      bool old = std::any_of(old_items.begin(), old_items.end(), [&](const ObjPtr& x) { return same_value(*x, *y); });
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
      else if (k == "NeedAppearances" || k == "SigFlags" || k == "DR") out.add(Level::FormFilling, "/AcroForm /" + k + " changed");
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
      bool kept = std::any_of(b->items().begin(), b->items().end(), [&](const ObjPtr& y) { return same_value(*x, *y); });
      if (!kept) out.add(Level::Other, "an annotation was removed from page /Annots");
    }
    for (const auto& y : b->items()) {
      bool old = std::any_of(old_items.begin(), old_items.end(), [&](const ObjPtr& x) { return same_value(*x, *y); });
      if (old) continue;
      ObjPtr an = doc.resolve(y, n);
      if (!an || !an->is_dict()) {
        out.add(Level::Other, "page /Annots gained a non-dictionary");
      } else if (an->key_is_name("Subtype", "Widget")) {
        auto it = y->is_ref() ? rn.field_of.find(y->as_ref()) : rn.field_of.end();
        if (it != rn.field_of.end() && rn.fields[it->second].type == "Sig")
          out.add(is_doc_timestamp_value(rn.fields[it->second].value) ? Level::LtvUpdates : Level::FormFilling,
                  "signature widget added to page /Annots");
        else
          out.add(Level::Other, "non-signature widget added to page /Annots");
      } else {
        out.add(Level::Annotations, "annotation added to page /Annots");
      }
    }
  }

  void catalog_rules(const ObjPtr& a, const ObjPtr& b, Outcome& out) const {
    for (const auto& k : diff_keys(a, b)) {
      if (k == "DSS") out.add(Level::LtvUpdates, "catalog /DSS added or changed");
      else if (k == "AcroForm") acroform_rules(a->get("AcroForm"), b->get("AcroForm"), out);
      else if (k == "Extensions" || k == "Version" || k == "Metadata") out.add(Level::FormFilling, "catalog /" + k + " changed");
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
      } else {
        out.add(Level::Other, "field/widget key /" + k + " changed");
      }
    }
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
