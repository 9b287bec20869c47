#include "pdf/signatures.hpp"

#include <map>

#include "pdf/fields.hpp"
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

// Fills everything but the revision bookkeeping. Returns false when /V is not a dictionary.
bool read_value(const Document& doc, const FormField& field, size_t r, SignatureField& sig) {
  ObjPtr value = doc.resolve(field.value, r);
  if (!value || !value->is_dict()) return false;
  sig = SignatureField{};
  sig.field_name = field.name;
  sig.field_ref = field.ref;
  if (field.value->is_ref()) sig.value_ref = field.value->as_ref();
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
  if (sig.value_ref) holder = doc.entry(sig.value_ref->num, r);
  else if (field.ref) holder = doc.entry(field.ref->num, r);
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
  return true;
}

}  // namespace

std::vector<SignatureField> find_signatures(const Document& doc) {
  // Key: the value's reference, or the field's for a direct /V; ordered by first appearance.
  std::map<std::pair<Ref, bool>, size_t> index;
  std::vector<SignatureField> out;
  const size_t last = doc.last_revision();
  for (size_t r = 0; r <= last; ++r) {
    for (const auto& field : form_fields(doc, r)) {
      if (field.type != "Sig" || !field.value || field.value->is_null()) continue;
      std::pair<Ref, bool> key;
      if (field.value->is_ref()) key = {field.value->as_ref(), true};
      else if (field.ref) key = {*field.ref, false};
      else continue;  // a direct field with a direct value has no stable identity across revisions
      SignatureField sig;
      if (!read_value(doc, field, r, sig)) continue;
      auto it = index.find(key);
      if (it == index.end()) {
        sig.revision_introduced = r;
        index.emplace(key, out.size());
        out.push_back(std::move(sig));
        it = index.find(key);
      } else {
        size_t introduced = out[it->second].revision_introduced;
        sig.revision_introduced = introduced;
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

std::vector<std::string> find_empty_signature_fields(const Document& doc) {
  std::vector<std::string> out;
  const size_t last = doc.last_revision();
  for (const auto& field : form_fields(doc, last)) {
    if (field.type != "Sig") continue;
    ObjPtr v = doc.resolve(field.value, last);
    if (!v || v->is_null()) out.push_back(field.name);
  }
  return out;
}

}  // namespace libsign::pdf
