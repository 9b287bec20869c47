#include "pdf/signatures.hpp"

#include <map>
#include <set>

#include "libsign/error.hpp"
#include "pdf/fields.hpp"
#include "pdf/objects.hpp"
#include "pdf/text.hpp"

namespace libsign::pdf {

namespace {

std::string name_of(const Document& doc, const ObjPtr& dict, const char* key, size_t r) {
  auto v = doc.get(dict, key, r);
  return v && v->is_name() ? v->as_name() : std::string();
}

std::string text_of(const Document& doc, const ObjPtr& dict, const char* key, size_t r) {
  auto v = doc.get(dict, key, r);
  return v && v->is_string() ? text_to_utf8(v->as_string()) : std::string();
}

void read_docmdp(const Document& doc, const ObjPtr& value, size_t r, SignatureField& sig) {
  auto refs = doc.get(value, "Reference", r);
  if (!refs || !refs->is_array()) return;
  for (const auto& item : refs->items()) {
    auto sr = doc.resolve(item, r);
    if (!sr || !sr->is_dict()) continue;
    auto method = doc.get(sr, "TransformMethod", r);
    if (!method || !method->is_name("DocMDP")) continue;
    sig.is_certification = true;
    sig.docmdp_permissions = 2;
    auto params = doc.get(sr, "TransformParams", r);
    auto p = doc.get(params, "P", r);
    if (p && p->is_int()) sig.docmdp_permissions = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(p->as_int(), 99)));
  }
}

// Reads the value dictionary `value` into `sig` (all but the field names and the revision bookkeeping).
// `holder` is the object the dictionary lives in: the value's own object, or the field's for a direct /V.
void read_value_dict(const Document& doc, const ObjPtr& value, std::optional<Ref> value_ref, std::optional<Ref> holder_ref,
                     size_t r, SignatureField& sig) {
  sig.value_ref = value_ref;
  sig.type = name_of(doc, value, "Type", r);
  sig.filter = name_of(doc, value, "Filter", r);
  sig.subfilter = name_of(doc, value, "SubFilter", r);

  if (auto br = doc.get(value, "ByteRange", r); br && br->is_array()) {
    sig.has_byte_range = true;
    sig.byte_range_all_integers = true;
    for (const auto& x : br->items()) {
      if (x->is_int()) sig.byte_range.push_back(x->as_int());
      else sig.byte_range_all_integers = false;
    }
  }

  // Where does the value dictionary itself live? Offsets are only meaningful for objects parsed from the file.
  std::optional<XrefEntry> holder;
  if (holder_ref) holder = doc.entry(holder_ref->num, r);
  sig.value_in_object_stream = holder && holder->type == XrefEntry::Type::Compressed;
  if (auto c = value->get("Contents")) {
    ObjPtr s = doc.resolve(c, r);
    if (s && s->is_string()) {
      sig.has_contents = true;
      sig.contents = s->as_string();
      sig.contents_hex = s->hex_string();
      if (c->is_string() && holder && holder->type == XrefEntry::Type::InFile) {
        sig.contents_offsets_known = true;
        sig.contents_begin = s->token_begin();
        sig.contents_end = s->token_end();
      }
    }
  }
  auto m = doc.get(value, "M", r);
  if (m && m->is_string()) sig.signing_time = m->as_string();
  sig.name = text_of(doc, value, "Name", r);
  sig.reason = text_of(doc, value, "Reason", r);
  sig.location = text_of(doc, value, "Location", r);
  sig.contact_info = text_of(doc, value, "ContactInfo", r);
  read_docmdp(doc, value, r, sig);
}

// Fills everything but the revision bookkeeping. Returns false when /V is not a dictionary.
bool read_value(const Document& doc, const FormField& field, size_t r, SignatureField& sig) {
  ObjPtr value = doc.resolve(field.value, r);
  if (!value || !value->is_dict()) return false;
  sig = SignatureField{};
  sig.field_name = field.name;
  sig.field_names = {field.name};
  sig.field_ref = field.ref;
  std::optional<Ref> value_ref;
  if (field.value->is_ref()) value_ref = field.value->as_ref();
  read_value_dict(doc, value, value_ref, value_ref ? value_ref : field.ref, r, sig);
  return true;
}

// Before parsing an in-file object: can its bytes hold a signature dictionary at all? Its names
// (/Sig, /DocTimeStamp, /ByteRange) are spelled out unless written with #xx escapes; a '#' is looked for only
// before the first "stream" keyword, since binary stream data has many (a stream is never a signature
// dictionary). Random matches only cost a parse.
bool may_be_signature_value(std::string_view raw) {
  auto has = [&](std::string_view word, std::string_view in) { return in.find(word) != std::string_view::npos; };
  if (has("Sig", raw) || has("ByteRange", raw) || has("DocTimeStamp", raw)) return true;
  return has("#", raw.substr(0, raw.find("stream")));
}

bool looks_like_signature_value(const Object& d) {
  return d.key_is_name("Type", "Sig") || d.key_is_name("Type", "DocTimeStamp") ||
         (d.has("ByteRange") && d.has("Contents") && d.has("Filter"));
}

// The signature fields of one revision view: the /AcroForm tree first, then those only in /Annots.
struct ViewField {
  FormField field;
  bool in_acroform;
};

std::vector<ViewField> signature_fields(const Document& doc, size_t r) {
  std::vector<FormField> tree = form_fields(doc, r);
  std::vector<FormField> annots = annotation_only_fields(doc, r, tree);
  std::vector<ViewField> out;
  for (auto& f : tree)
    if (f.type == "Sig") out.push_back({std::move(f), true});
  for (auto& f : annots)
    if (f.type == "Sig") out.push_back({std::move(f), false});
  return out;
}

}  // namespace

std::vector<SignatureField> find_signatures(const Document& doc) {
  // Key: the value's reference, or the field's for a direct /V; ordered by first appearance.
  using Key = std::pair<Ref, bool>;
  std::map<Key, size_t> index;
  std::vector<SignatureField> out;
  const size_t last = doc.last_revision();
  for (size_t r = 0; r <= last; ++r) {
    // This view's reading of each value, with every field that uses it.
    std::map<Key, size_t> view_index;
    std::vector<std::pair<Key, SignatureField>> view;
    for (const auto& [field, in_acroform] : signature_fields(doc, r)) {
      if (!field.value || field.value->is_null()) continue;
      Key key;
      if (field.value->is_ref()) key = {field.value->as_ref(), true};
      else if (field.ref) key = {*field.ref, false};
      else continue;  // a direct field with a direct value has no stable identity across revisions
      auto seen = view_index.find(key);
      if (seen != view_index.end()) {
        SignatureField& sig = view[seen->second].second;
        sig.field_names.push_back(field.name);
        if (in_acroform && sig.found_via != "acroform") {
          sig.found_via = "acroform";  // the form's own field names the signature first
          sig.field_name = field.name;
          sig.field_ref = field.ref;
        }
        continue;
      }
      SignatureField sig;
      if (!read_value(doc, field, r, sig)) continue;
      sig.found_via = in_acroform ? "acroform" : "page-annots";
      view_index.emplace(key, view.size());
      view.emplace_back(key, std::move(sig));
    }
    for (auto& [key, sig] : view) {
      auto it = index.find(key);
      if (it == index.end()) {
        sig.revision_introduced = r;
        it = index.emplace(key, out.size()).first;
        out.push_back(std::move(sig));
      } else {
        sig.revision_introduced = out[it->second].revision_introduced;
        out[it->second] = std::move(sig);  // the newest view's reading
      }
      out[it->second].revision_last_seen = r;
      out[it->second].present_in_last_revision = r == last;
    }
  }
  // Catalog /Perms /DocMDP in the last revision.
  auto perms = doc.get(doc.catalog(last), "Perms", last);
  if (perms && perms->is_dict()) {
    if (auto mdp = perms->get("DocMDP"); mdp && mdp->is_ref())
      for (auto& s : out)
        if (s.value_ref && *s.value_ref == mdp->as_ref()) s.catalog_perms_docmdp = true;
  }
  return out;
}

std::vector<SignatureField> find_unreferenced_signature_values(const Document& doc,
                                                               const std::vector<SignatureField>& found) {
  const size_t last = doc.last_revision();
  std::set<Ref> claimed;
  for (const auto& s : found)
    if (s.value_ref) claimed.insert(*s.value_ref);
  // /Perms /DocMDP names a field's value; /UR and /UR3 name usage-rights signatures, which have no field.
  if (ObjPtr perms = doc.get(doc.catalog(last), "Perms", last); perms && perms->is_dict())
    for (const auto& e : perms->entries())
      if (e.value && e.value->is_ref()) claimed.insert(e.value->as_ref());

  std::vector<SignatureField> out;
  const RawSpans spans(doc);
  for (Ref ref : object_refs(doc, last)) {
    if (claimed.count(ref)) continue;
    std::optional<XrefEntry> e = doc.entry(ref.num, last);
    if (e && e->type == XrefEntry::Type::InFile && !may_be_signature_value(spans.from(static_cast<size_t>(e->offset))))
      continue;
    ObjPtr obj;
    try {
      obj = doc.object(ref, last);
    } catch (const Error&) {
      continue;  // a damaged object that nothing references cannot be a signature anyone relies on
    }
    if (!obj || !obj->is_dict() || !looks_like_signature_value(*obj)) continue;
    SignatureField sig;
    sig.found_via = "unreferenced";
    try {
      read_value_dict(doc, obj, ref, ref, last, sig);
    } catch (const Error&) {
      continue;
    }
    sig.revision_introduced = revision_defining(doc, ref.num, last).value_or(last);
    sig.revision_last_seen = last;
    sig.present_in_last_revision = true;
    out.push_back(std::move(sig));
  }
  return out;
}

std::vector<std::string> find_empty_signature_fields(const Document& doc) {
  std::vector<std::string> out;
  const size_t last = doc.last_revision();
  for (const auto& [field, in_acroform] : signature_fields(doc, last)) {
    ObjPtr v = doc.resolve(field.value, last);
    if (!v || v->is_null()) out.push_back(field.name);
  }
  return out;
}

}  // namespace libsign::pdf
