// libsign pdf — what of an encrypted document is decrypted, and what is not: strings of objects read from
// the file and stream data are; xref streams, the /Encrypt dictionary, a signature dictionary's /Contents
// and, with /EncryptMetadata false, the /Metadata stream are not (ISO 32000-2 §7.6.2, §12.8.1).
// The keys and algorithms are the SecurityHandler's (security.hpp).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pdf/object.hpp"
#include "pdf/security.hpp"

namespace libsign::pdf {

class ObjectDecryptor {
 public:
  ObjectDecryptor(std::shared_ptr<const SecurityHandler> handler, std::optional<Ref> encrypt_ref)
      : handler_(std::move(handler)), encrypt_ref_(encrypt_ref) {}

  // `obj` as read from the file as object `owner`, with its strings decrypted (not for objects that come out
  // of an object stream: the stream itself was decrypted).
  ObjPtr object(const ObjPtr& obj, Ref owner) const;
  // The raw data of stream `s`, decrypted; `filter`/`parms` are its resolved /Filter and /DecodeParms
  // (a /Crypt filter names the crypt filter to use).
  std::string stream(const Object& s, std::string_view raw, const ObjPtr& filter, const ObjPtr& parms) const;
  std::string describe() const { return handler_->describe(); }

 private:
  ObjPtr strings(const ObjPtr& o, Ref owner, int depth) const;

  std::shared_ptr<const SecurityHandler> handler_;
  std::optional<Ref> encrypt_ref_;  // the /Encrypt dictionary's own object
};

}  // namespace libsign::pdf
