// libsign — signing with keys on PKCS#11 tokens (USB tokens and smart cards of officials, HSMs).
//
// The token's module (the vendor's .so) is loaded at run time; nothing is linked against it. The
// private key never leaves the token: the returned Signer asks the token for every signature value
// and keeps one logged-in session open until it is destroyed (then logs out, closes the session,
// finalizes and unloads the module when no other user of it remains in the process).
#pragma once
#include "libsign/export.hpp"
#include <memory>
#include <string>
#include <vector>

#include "libsign/sign.hpp"

namespace libsign {

struct Pkcs11Options {
  std::string module_path;                 // e.g. /usr/lib/softhsm/libsofthsm2.so
  std::string token_label, token_serial;   // chooses the token (both empty: the only initialised token present)
  std::string key_label, key_id_hex;       // chooses the private key (both empty: the only key, or the only key
                                           // with a certificate)
  // Alternatively (or in addition, when not contradicting the fields above) an RFC 7512 URI, e.g.
  // "pkcs11:token=Ca%20nhan;object=gov-official;type=private?pin-source=file:/run/pin". Path attributes
  // token, serial, manufacturer, model, slot-id, object, id, type (private or cert); query attributes
  // module-path and pin-source (file: only, used when `pin` is empty). pin-value is refused: a PIN
  // inside a URI ends up in shell history, process lists and logs.
  std::string uri;
  std::vector<std::string> chain_paths;    // CA certificates (PEM/DER files) to embed; also the signer's own
                                           // certificate when the token holds only the key
  bool protected_authentication_path = false;  // PIN pad / biometric reader: log in without a PIN from us
};

// Throws libsign::Error with category token and the CK_RV as native code:
//   TOKEN_MODULE_INVALID (the module cannot be loaded or is no PKCS#11 module), TOKEN_ABSENT (no token,
//   or none matching), TOKEN_AMBIGUOUS (several tokens/keys and nothing chooses one), TOKEN_PIN_INCORRECT,
//   TOKEN_PIN_LOCKED, TOKEN_KEY_NOT_FOUND, KEY_WITHOUT_CERTIFICATE, KEY_CERT_MISMATCH,
//   TOKEN_MECHANISM_UNSUPPORTED, KEY_TYPE_UNSUPPORTED, TOKEN_ERROR (anything else; the message names the CK_RV);
// and with category usage: TOKEN_URI_INVALID (malformed URI, pin-value, a contradiction with the
//   fields), PASSWORD_SOURCE_MISSING (the token needs a PIN and none was given: an empty PIN is never
//   tried, it would cost one of the token's attempts).
// A PIN is tried exactly once; libsign never retries it on its own.
LIBSIGN_API std::unique_ptr<Signer> load_pkcs11_signer(const Pkcs11Options& options, const Secret& pin);

struct TokenKeyInfo {
  std::string label;
  std::string id_hex;     // CKA_ID, lower-case hex
  std::string type;       // "rsa", "ec" or "other"
  int bits = 0;           // 0 when unknown
  bool has_certificate = false;  // a certificate with the same CKA_ID is on the token
};

struct TokenCertificateInfo {
  std::string label;
  std::string id_hex;
  std::string subject_cn, issuer_cn;
  std::string not_before, not_after;  // ISO 8601 UTC
  std::string pki;                    // which Vietnamese PKI issued it: filled by the caller, empty here
  std::string der;                    // the certificate itself
};

struct TokenInfo {
  unsigned long slot_id = 0;
  std::string slot_description;
  std::string label, serial, manufacturer, model;  // trailing blanks removed
  bool initialized = false;             // CKF_TOKEN_INITIALIZED (SoftHSM always shows one empty slot)
  bool login_required = false;          // CKF_LOGIN_REQUIRED
  bool protected_authentication_path = false;  // PIN pad
  bool pin_count_low = false, pin_final_try = false, pin_locked = false, pin_to_be_changed = false;
  // Objects readable without logging in: certificates, public keys, and private keys the token does
  // not mark private. A key is listed once per CKA_ID (private or public object).
  std::vector<TokenKeyInfo> keys;
  std::vector<TokenCertificateInfo> certificates;
};

// Every slot with a token present, without logging in. Throws TOKEN_MODULE_INVALID / TOKEN_ERROR.
LIBSIGN_API std::vector<TokenInfo> list_tokens(const std::string& module_path);

}  // namespace libsign
