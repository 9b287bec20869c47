// libsign pdf — who references whom in one revision view (used to tell whether an object is shared).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "pdf/document.hpp"

namespace libsign::pdf {

// Holder {0,0} stands for the trailer (object 0 is always free).
constexpr Ref kTrailerHolder{0, 0};

struct Referrer {
  Ref holder;
  std::string key;   // top-level key in the holder's dictionary; empty when the holder is an array
  std::string path;  // every dictionary key from the holder down to the reference, "/"-joined
                     // ("AcroForm/DR/Font/F1"); arrays add nothing. Equals `key` at the top level.
};

class RefGraph {
 public:
  // Parses every in-use object of the view (excluding xref and object stream containers' own keys).
  RefGraph(const Document& doc, size_t revision);
  const std::vector<Referrer>& referrers(Ref target) const;
  // All object numbers that are in use in the view.
  const std::vector<Ref>& objects() const { return objects_; }

 private:
  // `keys`: the dictionary keys from the holder down to `obj` (joined into Referrer::path only at a reference).
  void collect(Ref holder, std::vector<const std::string*>& keys, const Object& obj, int depth);
  std::map<Ref, std::vector<Referrer>> by_target_;
  std::vector<Ref> objects_;
  bool holder_is_array_ = false;  // while collecting: the current holder is an array (Referrer::key stays empty)
};

// Every in-use object number of the view with the generation its xref entry gives.
std::vector<Ref> in_use_objects(const Document& doc, size_t revision);

}  // namespace libsign::pdf
