#include "pdf/object.hpp"

#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {

std::string to_string(Ref ref) { return std::to_string(ref.num) + " " + std::to_string(ref.gen) + " R"; }

const char* to_string(Kind kind) {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Int: return "integer";
    case Kind::Real: return "real";
    case Kind::String: return "string";
    case Kind::Name: return "name";
    case Kind::Array: return "array";
    case Kind::Dict: return "dictionary";
    case Kind::Ref: return "reference";
    case Kind::Stream: return "stream";
  }
  return "?";
}

namespace {
[[noreturn]] void wrong_kind(Kind want, Kind got) {
  fail("PDF_MALFORMED", std::string("expected ") + to_string(want) + ", found " + to_string(got));
}
}  // namespace

ObjPtr Object::null() {
  static const ObjPtr instance(new Object(Kind::Null));
  return instance;
}
ObjPtr Object::make_bool(bool v) {
  auto o = new Object(Kind::Bool);
  o->int_ = v ? 1 : 0;
  return ObjPtr(o);
}
ObjPtr Object::make_int(int64_t v) {
  auto o = new Object(Kind::Int);
  o->int_ = v;
  return ObjPtr(o);
}
ObjPtr Object::make_real(double v) {
  auto o = new Object(Kind::Real);
  o->real_ = v;
  return ObjPtr(o);
}
ObjPtr Object::make_name(std::string v) {
  auto o = new Object(Kind::Name);
  o->text_ = std::move(v);
  return ObjPtr(o);
}
ObjPtr Object::make_string(std::string bytes, bool hex, size_t begin, size_t end) {
  auto o = new Object(Kind::String);
  o->text_ = std::move(bytes);
  o->hex_ = hex;
  o->begin_ = begin;
  o->end_ = end;
  return ObjPtr(o);
}
ObjPtr Object::make_ref(Ref r) {
  auto o = new Object(Kind::Ref);
  o->ref_ = r;
  return ObjPtr(o);
}
ObjPtr Object::make_array(std::vector<ObjPtr> items) {
  auto o = new Object(Kind::Array);
  o->items_ = std::move(items);
  return ObjPtr(o);
}
ObjPtr Object::make_dict(std::vector<DictEntry> entries) {
  auto o = new Object(Kind::Dict);
  o->entries_ = std::move(entries);
  return ObjPtr(o);
}
ObjPtr Object::make_stream(std::vector<DictEntry> entries, size_t data_offset, size_t data_length, Ref owner) {
  auto o = new Object(Kind::Stream);
  o->ref_ = owner;
  o->entries_ = std::move(entries);
  o->begin_ = data_offset;
  o->end_ = data_length;
  return ObjPtr(o);
}

bool Object::as_bool() const {
  if (kind_ != Kind::Bool) wrong_kind(Kind::Bool, kind_);
  return int_ != 0;
}
int64_t Object::as_int() const {
  if (kind_ != Kind::Int) wrong_kind(Kind::Int, kind_);
  return int_;
}
double Object::as_number() const {
  if (kind_ == Kind::Int) return static_cast<double>(int_);
  if (kind_ != Kind::Real) wrong_kind(Kind::Real, kind_);
  return real_;
}
const std::string& Object::as_name() const {
  if (kind_ != Kind::Name) wrong_kind(Kind::Name, kind_);
  return text_;
}
const std::string& Object::as_string() const {
  if (kind_ != Kind::String) wrong_kind(Kind::String, kind_);
  return text_;
}
Ref Object::as_ref() const {
  if (kind_ != Kind::Ref) wrong_kind(Kind::Ref, kind_);
  return ref_;
}
const std::vector<ObjPtr>& Object::items() const {
  if (kind_ != Kind::Array) wrong_kind(Kind::Array, kind_);
  return items_;
}
const std::vector<DictEntry>& Object::entries() const {
  if (kind_ != Kind::Dict && kind_ != Kind::Stream) wrong_kind(Kind::Dict, kind_);
  return entries_;
}

ObjPtr Object::get(std::string_view key) const {
  // Last occurrence wins for duplicate keys (the parser keeps only one, this is belt and braces).
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
    if (it->key == key) return it->value;
  return nullptr;
}

bool Object::key_is_name(std::string_view key, std::string_view value) const {
  auto v = get(key);
  return v && v->is_name(value);
}

bool same_value(const Object& a, const Object& b, int depth) {
  if (depth > limits::kMaxNesting) return false;
  if (a.kind_ != b.kind_) {
    if (a.is_number() && b.is_number()) return a.as_number() == b.as_number();
    return false;
  }
  switch (a.kind_) {
    case Kind::Null: return true;
    case Kind::Bool:
    case Kind::Int: return a.int_ == b.int_;
    case Kind::Real: return a.real_ == b.real_;
    case Kind::String:
    case Kind::Name: return a.text_ == b.text_;
    case Kind::Ref: return a.ref_ == b.ref_;
    case Kind::Array:
      if (a.items_.size() != b.items_.size()) return false;
      for (size_t i = 0; i < a.items_.size(); ++i)
        if (!same_value(*a.items_[i], *b.items_[i], depth + 1)) return false;
      return true;
    case Kind::Stream:
      if (a.end_ != b.end_) return false;
      [[fallthrough]];
    case Kind::Dict: {
      if (a.entries_.size() != b.entries_.size()) return false;
      for (const auto& e : a.entries_) {
        auto other = b.get(e.key);
        if (!other || !same_value(*e.value, *other, depth + 1)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace libsign::pdf
