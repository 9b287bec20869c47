// libsign pdf — tokenizer and object parser over a byte buffer (the mapped file or a decoded object stream).
// Never reads outside the buffer; nesting is capped at limits::kMaxNesting.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "pdf/object.hpp"

namespace libsign::pdf {

class Parser {
 public:
  // Resolves an indirect /Length of a stream; nullopt when it cannot.
  using LengthResolver = std::function<std::optional<int64_t>(Ref)>;
  // The offset of the first "endstream" keyword at or after a position (used when /Length is wrong).
  using EndstreamFinder = std::function<std::optional<size_t>(size_t)>;

  // `base` is added to positions in error messages (offset of `data` in the file).
  explicit Parser(std::string_view data, size_t pos = 0, size_t base = 0) : d_(data), p_(pos), base_(base) {}

  // Lenient mode (the reader of whole files uses it): a stray value where a dictionary key should be, or an
  // unknown keyword in an array, is skipped and counted instead of being an error.
  void set_lenient(bool on) { lenient_ = on; }
  int tolerated() const { return tolerated_; }

  size_t pos() const { return p_; }
  void seek(size_t pos) { p_ = pos; }
  bool at_end() const { return p_ >= d_.size(); }

  void skip_ws();            // whitespace and comments
  void skip_blanks();        // whitespace only (comments kept: %%EOF is a comment)
  // Consumes `kw` if it is next and is followed by a non-regular character or the end.
  bool try_keyword(std::string_view kw);
  void expect_keyword(std::string_view kw);
  // An unsigned decimal integer token (no sign, no dot); leaves pos unchanged if absent.
  std::optional<uint64_t> try_uint();

  // Any direct object; "n g R" becomes a reference.
  ObjPtr parse_object(int depth = 0);

  struct Indirect {
    Ref ref;
    ObjPtr object;
    bool length_repaired = false;  // /Length was missing or wrong; the data ends before the next "endstream"
    bool endobj_missing = false;   // no "endobj" after the object (tolerated, as other readers do)
  };
  // "n g obj <object> [stream...endstream] endobj" starting at pos (leading whitespace allowed).
  // Without `find_endstream` a wrong /Length is an error; with it the data is cut at the next "endstream".
  // Stream objects remember their reference (Object::owner) for decryption.
  Indirect parse_indirect(const LengthResolver& resolve_length, const EndstreamFinder& find_endstream = nullptr);

 private:
  [[noreturn]] void error(const char* what) const;
  ObjPtr parse_number();
  ObjPtr parse_name();
  ObjPtr parse_literal_string();
  ObjPtr parse_hex_string();
  ObjPtr parse_array(int depth);
  ObjPtr parse_dict_body(int depth);  // after "<<"
  std::string read_name_token();
  void skip_stray_token(int depth);
  bool at_unknown_keyword() const;

  std::string_view d_;
  size_t p_;
  size_t base_;
  bool lenient_ = false;
  int tolerated_ = 0;
};

}  // namespace libsign::pdf
