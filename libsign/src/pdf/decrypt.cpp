#include "pdf/decrypt.hpp"

#include <vector>

#include "pdf/limits.hpp"

namespace libsign::pdf {

namespace {

bool is_signature_dict(const Object& d) {
  return d.key_is_name("Type", "Sig") || d.key_is_name("Type", "DocTimeStamp") || (d.has("ByteRange") && d.has("Contents"));
}

// The /Name of a /Crypt filter in the stream's filter list ("Identity" when it names none), or empty.
std::string crypt_filter_name(const ObjPtr& filter, const ObjPtr& parms) {
  auto name_in = [](const ObjPtr& p) {
    auto n = p && p->has_dict() ? p->get("Name") : nullptr;
    return n && n->is_name() ? n->as_name() : std::string("Identity");
  };
  if (filter && filter->is_name("Crypt")) return name_in(parms);
  if (filter && filter->is_array())
    for (size_t i = 0; i < filter->items().size(); ++i)
      if (filter->items()[i]->is_name("Crypt"))
        return name_in(parms && parms->is_array() && i < parms->items().size() ? parms->items()[i] : nullptr);
  return {};
}

}  // namespace

ObjPtr ObjectDecryptor::object(const ObjPtr& obj, Ref owner) const {
  if (encrypt_ref_ && *encrypt_ref_ == owner) return obj;
  if (obj->is_stream() && obj->key_is_name("Type", "XRef")) return obj;
  return strings(obj, owner, 0);
}

ObjPtr ObjectDecryptor::strings(const ObjPtr& o, Ref owner, int depth) const {
  if (depth > limits::kMaxNesting) return o;
  switch (o->kind()) {
    case Kind::String:
      return Object::make_string(handler_->decrypt_string(owner, o->as_string()), o->hex_string(), o->token_begin(),
                                 o->token_end());
    case Kind::Array: {
      std::vector<ObjPtr> items;
      for (const auto& x : o->items()) items.push_back(strings(x, owner, depth + 1));
      return Object::make_array(std::move(items));
    }
    case Kind::Dict:
    case Kind::Stream: {
      bool signature = is_signature_dict(*o);
      std::vector<DictEntry> entries;
      for (const auto& e : o->entries())
        entries.push_back(DictEntry{e.key, signature && e.key == "Contents" ? e.value : strings(e.value, owner, depth + 1)});
      if (o->is_dict()) return Object::make_dict(std::move(entries));
      return Object::make_stream(std::move(entries), o->data_offset(), o->data_length(), o->owner());
    }
    default:
      return o;
  }
}

std::string ObjectDecryptor::stream(const Object& s, std::string_view raw, const ObjPtr& filter, const ObjPtr& parms) const {
  if (s.key_is_name("Type", "XRef") || (encrypt_ref_ && s.owner() == *encrypt_ref_) ||
      (s.key_is_name("Type", "Metadata") && !handler_->encrypts_metadata()))
    return std::string(raw);
  return handler_->decrypt_stream(s.owner(), raw, crypt_filter_name(filter, parms));
}

}  // namespace libsign::pdf
