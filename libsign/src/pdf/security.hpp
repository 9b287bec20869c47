// libsign pdf — the Standard security handler (ISO 32000-2 §7.6.4): RC4 40–128 and AES-128/256, revisions
// R2–R6 (R5 being Adobe's deprecated extension level 3), opened with a password tried as the user password,
// then as the owner password (as qpdf and poppler do).
// What must stay undecrypted (signature /Contents, xref streams, the /Encrypt dictionary, cleartext
// /Metadata) is the caller's business; this class only turns bytes of one object into plaintext.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "pdf/object.hpp"

namespace libsign::pdf {

class SecurityHandler {
 public:
  // How a crypt filter turns ciphertext into plaintext.
  enum class Method { none, rc4, aes128, aes256 };

  // `encrypt`: the /Encrypt dictionary with every value already direct (the caller resolves references,
  // including inside /CF). `id0`: the first string of the trailer /ID (may be empty).
  // Throws libsign::Error(format):
  //   PDF_ENCRYPTED               the password (empty by default) does not open the document;
  //   PDF_UNSUPPORTED_ENCRYPTION  not /Standard (e.g. /Adobe.PubSec), unknown /V, /R, /CFM or key length;
  //   PDF_MALFORMED               /O /U /UE /OE /P missing or of the wrong kind or length.
  // Messages never hold the password or a key.
  static std::shared_ptr<const SecurityHandler> open(const Object& encrypt, std::string_view id0,
                                                      std::string_view password = {});

  // Decrypts a string of indirect object `owner` (strings inside object streams are decrypted as part of
  // their stream; the caller does not call this for them). Uses /StrF.
  std::string decrypt_string(Ref owner, std::string_view bytes) const;
  // Decrypts the raw data of stream object `owner`, before its filters apply. `crypt_filter`: the /Name of a
  // /Crypt filter in the stream's /Filter, or empty for /StmF. /Identity means no decryption.
  // An unknown name is PDF_MALFORMED; a /CF entry with an unsupported /CFM is PDF_UNSUPPORTED_ENCRYPTION.
  std::string decrypt_stream(Ref owner, std::string_view bytes, std::string_view crypt_filter = {}) const;

  bool encrypts_metadata() const { return encrypt_metadata_; }  // /EncryptMetadata (default true)
  std::string describe() const;  // e.g. "RC4 40-bit (R2)", "AES-128 (R4)", "AES-256 (R6)"; no secrets
  int version() const { return v_; }   // /V
  int revision() const { return r_; }  // /R
  Method string_method() const { return str_.method; }
  Method stream_method() const { return stm_.method; }
  // R5/R6: whether /Perms decrypts to the same /P and /EncryptMetadata (a writer that changed /P without
  // re-encrypting /Perms). Always true for R2–R4, which have no /Perms. Decryption does not depend on it.
  bool permissions_match() const { return perms_match_; }
  // The password opened the document as its owner password (the user password is something else).
  bool opened_as_owner() const { return opened_as_owner_; }

  // One crypt filter: its method and, for unsupported /CFM values, the name to report when it is used.
  struct Filter {
    Method method = Method::none;
    std::string unsupported;  // non-empty: the /CFM we cannot decrypt
  };

 private:
  SecurityHandler() = default;
  std::string decrypt(const Filter& filter, Ref owner, std::string_view bytes) const;
  std::string object_key(Ref owner, bool aes) const;

  int v_ = 0;
  int r_ = 0;
  std::string key_;  // the file encryption key
  bool encrypt_metadata_ = true;
  bool perms_match_ = true;
  bool opened_as_owner_ = false;
  Filter stm_, str_;
  std::map<std::string, Filter, std::less<>> filters_;  // /CF entries, plus /Identity
};

namespace crypto_detail {
// Exposed for the unit tests (known-answer vectors).
std::string rc4(std::string_view key, std::string_view data);
// AES-CBC decryption with the IV as the first 16 bytes; lenient about a short last block and bad padding.
std::string aes_cbc_decrypt(std::string_view key, std::string_view iv_and_data);
// ISO 32000-2 algorithm 2.B (R6 hash); `udata` is the 48-byte /U for owner passwords, empty otherwise.
std::string hash_2b(std::string_view password, std::string_view salt, std::string_view udata);
}  // namespace crypto_detail

}  // namespace libsign::pdf
