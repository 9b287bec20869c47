// libsign pdf — immutable PDF object model shared between revisions (ObjPtr = shared_ptr<const Object>).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace libsign::pdf {

struct Ref {
  uint32_t num = 0;
  uint16_t gen = 0;
  friend bool operator==(Ref a, Ref b) { return a.num == b.num && a.gen == b.gen; }
  friend bool operator!=(Ref a, Ref b) { return !(a == b); }
  friend bool operator<(Ref a, Ref b) { return a.num != b.num ? a.num < b.num : a.gen < b.gen; }
};
std::string to_string(Ref ref);  // "12 0 R"

enum class Kind : uint8_t { Null, Bool, Int, Real, String, Name, Array, Dict, Ref, Stream };
const char* to_string(Kind kind);

class Object;
using ObjPtr = std::shared_ptr<const Object>;

struct DictEntry {
  std::string key;  // without the slash, #xx escapes decoded
  ObjPtr value;
};

class Object {
 public:
  static ObjPtr null();
  static ObjPtr make_bool(bool v);
  static ObjPtr make_int(int64_t v);
  static ObjPtr make_real(double v);
  static ObjPtr make_name(std::string v);
  // `begin`/`end`: file offsets of the '(' or '<' and just past the closing delimiter.
  static ObjPtr make_string(std::string bytes, bool hex, size_t begin, size_t end);
  static ObjPtr make_ref(Ref r);
  static ObjPtr make_array(std::vector<ObjPtr> items);
  static ObjPtr make_dict(std::vector<DictEntry> entries);
  // A stream: its dictionary entries plus where the raw (still encoded) data lies in the file.
  // `owner`: the indirect object it was read as (the key of its decryption).
  static ObjPtr make_stream(std::vector<DictEntry> entries, size_t data_offset, size_t data_length, Ref owner = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_number() const { return kind_ == Kind::Int || kind_ == Kind::Real; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_name() const { return kind_ == Kind::Name; }
  bool is_name(std::string_view n) const { return kind_ == Kind::Name && text_ == n; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_dict() const { return kind_ == Kind::Dict; }  // false for streams
  bool is_stream() const { return kind_ == Kind::Stream; }
  bool has_dict() const { return kind_ == Kind::Dict || kind_ == Kind::Stream; }
  bool is_ref() const { return kind_ == Kind::Ref; }

  // Typed accessors throw PDF_MALFORMED when the kind does not match.
  bool as_bool() const;
  int64_t as_int() const;
  double as_number() const;            // Int or Real
  const std::string& as_name() const;
  const std::string& as_string() const;  // decoded bytes
  Ref as_ref() const;
  const std::vector<ObjPtr>& items() const;      // Array
  const std::vector<DictEntry>& entries() const;  // Dict or Stream

  // Dict/Stream lookup; nullptr when absent or when this is not a dictionary. Never resolves references.
  ObjPtr get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
  // get(key) is the name `value` (direct only).
  bool key_is_name(std::string_view key, std::string_view value) const;

  bool hex_string() const { return hex_; }
  size_t token_begin() const { return begin_; }   // strings
  size_t token_end() const { return end_; }       // strings
  size_t data_offset() const { return begin_; }   // streams
  size_t data_length() const { return end_; }     // streams
  Ref owner() const { return ref_; }              // streams: the object they were read as

  // Structural equality: references compare by number, streams by dictionary and raw data position+bytes
  // are compared by the caller (see changes.cpp); here streams compare dictionary and data length only.
  friend bool same_value(const Object& a, const Object& b, int depth);

 private:
  explicit Object(Kind k) : kind_(k) {}
  Kind kind_;
  bool hex_ = false;
  int64_t int_ = 0;
  double real_ = 0;
  Ref ref_{};
  size_t begin_ = 0, end_ = 0;
  std::string text_;  // name or string bytes
  std::vector<ObjPtr> items_;
  std::vector<DictEntry> entries_;
};

bool same_value(const Object& a, const Object& b, int depth = 0);

}  // namespace libsign::pdf
