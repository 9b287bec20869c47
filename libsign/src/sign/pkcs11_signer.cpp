// Signing with a key on a PKCS#11 token. The module is dlopen()ed (nothing links against a vendor
// library); one Module object per module file and process does C_Initialize / C_Finalize, so several
// signers (and list_tokens) can share it. A signer keeps one session, logged in once, until destroyed.
// The PIN is handed to C_Login and nothing else: never stored (except for keys that want it at every
// signature, CKA_ALWAYS_AUTHENTICATE), never put into a message, never tried twice.
#include "sign/pkcs11_signer.hpp"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

// p11-kit installs its header under /usr/include/p11-kit-1 (pkg-config p11-kit-1 adds that folder).
#if __has_include(<p11-kit/pkcs11.h>)
#include <p11-kit/pkcs11.h>
#else
#include <p11-kit-1/p11-kit/pkcs11.h>
#endif

#include "cms/digests.hpp"
#include "core/der_writer.hpp"
#include "libsign/pkcs11.hpp"
#include "pki/certificate.hpp"
#include "sign/pkcs11_uri.hpp"

namespace libsign {
namespace sign {

std::string ck_rv_name(unsigned long rv) {
  static const std::map<unsigned long, const char*> names = {
      {CKR_OK, "CKR_OK"},
      {CKR_CANCEL, "CKR_CANCEL"},
      {CKR_HOST_MEMORY, "CKR_HOST_MEMORY"},
      {CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"},
      {CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
      {CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
      {CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
      {CKR_CANT_LOCK, "CKR_CANT_LOCK"},
      {CKR_ATTRIBUTE_SENSITIVE, "CKR_ATTRIBUTE_SENSITIVE"},
      {CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
      {CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"},
      {CKR_ACTION_PROHIBITED, "CKR_ACTION_PROHIBITED"},
      {CKR_DATA_INVALID, "CKR_DATA_INVALID"},
      {CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE"},
      {CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"},
      {CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"},
      {CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED"},
      {CKR_FUNCTION_CANCELED, "CKR_FUNCTION_CANCELED"},
      {CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"},
      {CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID"},
      {CKR_KEY_SIZE_RANGE, "CKR_KEY_SIZE_RANGE"},
      {CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"},
      {CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"},
      {CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"},
      {CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID"},
      {CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID"},
      {CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"},
      {CKR_OPERATION_NOT_INITIALIZED, "CKR_OPERATION_NOT_INITIALIZED"},
      {CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"},
      {CKR_PIN_INVALID, "CKR_PIN_INVALID"},
      {CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"},
      {CKR_PIN_EXPIRED, "CKR_PIN_EXPIRED"},
      {CKR_PIN_LOCKED, "CKR_PIN_LOCKED"},
      {CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED"},
      {CKR_SESSION_COUNT, "CKR_SESSION_COUNT"},
      {CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID"},
      {CKR_SESSION_PARALLEL_NOT_SUPPORTED, "CKR_SESSION_PARALLEL_NOT_SUPPORTED"},
      {CKR_SESSION_READ_ONLY, "CKR_SESSION_READ_ONLY"},
      {CKR_SIGNATURE_INVALID, "CKR_SIGNATURE_INVALID"},
      {CKR_SIGNATURE_LEN_RANGE, "CKR_SIGNATURE_LEN_RANGE"},
      {CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
      {CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"},
      {CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"},
      {CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED"},
      {CKR_TOKEN_WRITE_PROTECTED, "CKR_TOKEN_WRITE_PROTECTED"},
      {CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"},
      {CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
      {CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"},
      {CKR_USER_TYPE_INVALID, "CKR_USER_TYPE_INVALID"},
      {CKR_USER_ANOTHER_ALREADY_LOGGED_IN, "CKR_USER_ANOTHER_ALREADY_LOGGED_IN"},
      {CKR_USER_TOO_MANY_TYPES, "CKR_USER_TOO_MANY_TYPES"},
      {CKR_RANDOM_NO_RNG, "CKR_RANDOM_NO_RNG"},
      {CKR_DOMAIN_PARAMS_INVALID, "CKR_DOMAIN_PARAMS_INVALID"},
      {CKR_CURVE_NOT_SUPPORTED, "CKR_CURVE_NOT_SUPPORTED"},
      {CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"},
      {CKR_INFORMATION_SENSITIVE, "CKR_INFORMATION_SENSITIVE"},
      {CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"},
      {CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"},
      {CKR_MUTEX_BAD, "CKR_MUTEX_BAD"},
      {CKR_MUTEX_NOT_LOCKED, "CKR_MUTEX_NOT_LOCKED"},
      {CKR_FUNCTION_REJECTED, "CKR_FUNCTION_REJECTED"},
  };
  auto it = names.find(rv);
  if (it != names.end()) return it->second;
  char buf[40];
  std::snprintf(buf, sizeof buf, "CKR_0x%lx", rv);
  return buf;
}

std::string ecdsa_raw_to_der(std::string_view raw) {
  if (raw.empty() || raw.size() % 2)
    throw Error(ErrorCategory::token, "TOKEN_ERROR", "the token returned a malformed ECDSA signature");
  size_t half = raw.size() / 2;
  return core::der::sequence({core::der::integer_bytes(raw.substr(0, half)), core::der::integer_bytes(raw.substr(half))});
}

std::string rsa_digest_info(const std::string& digest_name, std::string_view hash) {
  const EVP_MD* md = cms::digest_by_name(digest_name);
  if (!md) throw Error(ErrorCategory::usage, "DIGEST_ALGORITHM_UNSUPPORTED", "unsupported digest " + digest_name);
  char dotted[80];
  if (OBJ_obj2txt(dotted, sizeof dotted, OBJ_nid2obj(EVP_MD_get_type(md)), 1) <= 0)
    throw Error(ErrorCategory::usage, "DIGEST_ALGORITHM_UNSUPPORTED", "no OID for the digest " + digest_name);
  return core::der::sequence({core::der::algorithm(dotted, true), core::der::octet_string(hash)});
}

namespace {

// ---- errors ---------------------------------------------------------------------------------------

[[noreturn]] void fail(const char* code, const std::string& message, CK_RV rv = CKR_OK) {
  throw Error(ErrorCategory::token, code, message, static_cast<long>(rv));
}

// Anything not handled where it happens: the common cases get their own code, the rest TOKEN_ERROR.
[[noreturn]] void fail_rv(CK_RV rv, const std::string& what) {
  std::string name = ck_rv_name(rv);
  switch (rv) {
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_DEVICE_REMOVED:
    case CKR_TOKEN_NOT_RECOGNIZED:
      fail("TOKEN_ABSENT", what + ": the token was removed or is not recognised (" + name + ")", rv);
    case CKR_PIN_LOCKED:
      fail("TOKEN_PIN_LOCKED", "the token's PIN is locked; ask the CA or the token administrator to unlock it", rv);
    case CKR_MECHANISM_INVALID:
      fail("TOKEN_MECHANISM_UNSUPPORTED", what + ": the token does not offer this mechanism (" + name + ")", rv);
    default:
      fail("TOKEN_ERROR", what + " failed: " + name, rv);
  }
}

void check(CK_RV rv, const std::string& what) {
  if (rv != CKR_OK) fail_rv(rv, what);
}

std::string trimmed(const unsigned char* text, size_t size) {
  std::string out(reinterpret_cast<const char*>(text), size);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\0')) out.pop_back();
  return out;
}

// ---- the module -----------------------------------------------------------------------------------

class Module {
 public:
  // One per module file and process (a second C_Initialize would fail, a C_Finalize would pull the
  // module from under the other users).
  static std::shared_ptr<Module> open(const std::string& path) {
    if (path.empty()) fail("TOKEN_MODULE_INVALID", "no PKCS#11 module given");
    char resolved[PATH_MAX];
    std::string key = ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
    std::lock_guard<std::mutex> lock(registry_mutex());
    auto& registry = modules();
    if (auto existing = registry[key].lock()) return existing;
    std::shared_ptr<Module> module(new Module(path), [](Module* m) {
      std::lock_guard<std::mutex> lock(registry_mutex());  // no open() of the same file meanwhile
      delete m;
    });
    registry[key] = module;
    return module;
  }

  CK_FUNCTION_LIST* f() const { return functions_; }

  // The login state belongs to the token, shared by every session of the process: counted, so one
  // signer's C_Logout does not log out another's. A login found in place (made by the host program)
  // is left to it.
  void login(CK_SLOT_ID slot, CK_SESSION_HANDLE session, const Secret* pin, bool* logged_in_by_us) {
    std::lock_guard<std::mutex> lock(login_mutex_);
    auto& state = logins_[slot];
    if (state.count > 0) {
      ++state.count;
      *logged_in_by_us = true;
      return;
    }
    CK_RV rv = functions_->C_Login(session, CKU_USER,
                                   pin ? reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin->reveal().data())) : nullptr,
                                   pin ? static_cast<CK_ULONG>(pin->reveal().size()) : 0);
    if (rv == CKR_USER_ALREADY_LOGGED_IN) {
      *logged_in_by_us = false;
      return;
    }
    if (rv != CKR_OK) throw_login_error(rv, slot);
    state.count = 1;
    *logged_in_by_us = true;
  }

  // Joins a login this process made earlier on the token (another signer): no PIN needed.
  bool join_login(CK_SLOT_ID slot) {
    std::lock_guard<std::mutex> lock(login_mutex_);
    auto& state = logins_[slot];
    if (state.count == 0) return false;
    ++state.count;
    return true;
  }

  void logout(CK_SLOT_ID slot, CK_SESSION_HANDLE session) {
    std::lock_guard<std::mutex> lock(login_mutex_);
    auto& state = logins_[slot];
    if (state.count > 0 && --state.count == 0) functions_->C_Logout(session);
  }

  [[noreturn]] void throw_login_error(CK_RV rv, CK_SLOT_ID slot) {
    CK_TOKEN_INFO info{};
    bool have_info = functions_->C_GetTokenInfo(slot, &info) == CKR_OK;
    switch (rv) {
      case CKR_PIN_INCORRECT: {
        if (have_info && (info.flags & CKF_USER_PIN_LOCKED))
          fail("TOKEN_PIN_LOCKED", "wrong PIN; the token's PIN is now locked — ask the CA or the token administrator to unlock it", rv);
        std::string message = "wrong PIN for the token";
        if (have_info && (info.flags & CKF_USER_PIN_FINAL_TRY))
          message += "; the next wrong PIN locks the token";
        else if (have_info && (info.flags & CKF_USER_PIN_COUNT_LOW))
          message += "; few attempts are left before the token locks";
        fail("TOKEN_PIN_INCORRECT", message, rv);
      }
      case CKR_PIN_INVALID:
      case CKR_PIN_LEN_RANGE:
        fail("TOKEN_PIN_INCORRECT", "the PIN does not have the length or characters this token expects", rv);
      case CKR_PIN_LOCKED:
        fail("TOKEN_PIN_LOCKED", "the token's PIN is locked; ask the CA or the token administrator to unlock it", rv);
      case CKR_PIN_EXPIRED:
        fail("TOKEN_ERROR", "the token's PIN has expired; change it with the issuer's token tool (CKR_PIN_EXPIRED)", rv);
      case CKR_USER_PIN_NOT_INITIALIZED:
        fail("TOKEN_ERROR", "the token has no user PIN yet (CKR_USER_PIN_NOT_INITIALIZED)", rv);
      case CKR_FUNCTION_CANCELED:
        fail("TOKEN_ERROR", "the PIN entry was cancelled on the reader (CKR_FUNCTION_CANCELED)", rv);
      default:
        fail_rv(rv, "logging in to the token");
    }
  }

  ~Module() {
    if (functions_ && finalize_) functions_->C_Finalize(nullptr);
    if (handle_) ::dlclose(handle_);
  }

  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

 private:
  explicit Module(const std::string& path) {
    ::dlerror();
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      const char* why = ::dlerror();
      fail("TOKEN_MODULE_INVALID", "cannot load the PKCS#11 module " + path + ": " + (why ? why : "unknown error"));
    }
    auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle_, "C_GetFunctionList"));
    CK_FUNCTION_LIST* list = nullptr;
    CK_RV rv = get_list ? get_list(&list) : CKR_FUNCTION_FAILED;
    if (!get_list || rv != CKR_OK || !list || (list->version.major != 2 && list->version.major != 3)) {
      ::dlclose(handle_);
      fail("TOKEN_MODULE_INVALID", path + " is not a PKCS#11 module (no usable C_GetFunctionList)", rv);
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    rv = list->C_Initialize(&args);
    if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      finalize_ = false;  // the host program (or another library in it) owns the module's lifetime
    } else if (rv != CKR_OK) {
      ::dlclose(handle_);
      fail("TOKEN_ERROR", "the PKCS#11 module " + path + " failed to start: " + ck_rv_name(rv), rv);
    }
    functions_ = list;
  }

  static std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
  }
  static std::map<std::string, std::weak_ptr<Module>>& modules() {
    static std::map<std::string, std::weak_ptr<Module>> m;
    return m;
  }

  struct LoginState {
    int count = 0;
  };
  void* handle_ = nullptr;
  CK_FUNCTION_LIST* functions_ = nullptr;
  bool finalize_ = true;
  std::mutex login_mutex_;
  std::map<CK_SLOT_ID, LoginState> logins_;
};

// ---- sessions and objects -------------------------------------------------------------------------

class Session {
 public:
  Session(std::shared_ptr<Module> module, CK_SLOT_ID slot) : module_(std::move(module)), slot_(slot) {
    check(f()->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &handle_), "opening a session");
  }
  ~Session() {
    if (logged_in_) module_->logout(slot_, handle_);
    f()->C_CloseSession(handle_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  CK_FUNCTION_LIST* f() const { return module_->f(); }
  CK_SESSION_HANDLE handle() const { return handle_; }
  CK_SLOT_ID slot() const { return slot_; }

  bool user_logged_in() const {
    CK_SESSION_INFO info{};
    if (f()->C_GetSessionInfo(handle_, &info) != CKR_OK) return false;
    return info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS;
  }
  void login(const Secret* pin) { module_->login(slot_, handle_, pin, &logged_in_); }
  bool join_login() { return logged_in_ = module_->join_login(slot_); }

  std::vector<CK_OBJECT_HANDLE> find(std::vector<CK_ATTRIBUTE> templ) const {
    check(f()->C_FindObjectsInit(handle_, templ.data(), static_cast<CK_ULONG>(templ.size())), "searching the token");
    std::vector<CK_OBJECT_HANDLE> found;
    CK_RV rv = CKR_OK;
    for (;;) {
      CK_OBJECT_HANDLE batch[64];
      CK_ULONG n = 0;
      rv = f()->C_FindObjects(handle_, batch, 64, &n);
      if (rv != CKR_OK || n == 0) break;
      found.insert(found.end(), batch, batch + n);
    }
    f()->C_FindObjectsFinal(handle_);
    check(rv, "searching the token");
    return found;
  }

  // nullopt when the object has no such attribute or keeps it secret.
  std::optional<std::string> attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const {
    CK_ATTRIBUTE a{type, nullptr, 0};
    CK_RV rv = f()->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID || a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
      return std::nullopt;
    check(rv, "reading an object of the token");
    std::string value(a.ulValueLen, '\0');
    a.pValue = value.data();
    rv = f()->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID || a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
      return std::nullopt;
    check(rv, "reading an object of the token");
    value.resize(a.ulValueLen);
    return value;
  }
  std::optional<CK_ULONG> ulong_attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const {
    auto v = attribute(object, type);
    if (!v || v->size() != sizeof(CK_ULONG)) return std::nullopt;
    CK_ULONG out;
    std::memcpy(&out, v->data(), sizeof out);
    return out;
  }
  bool bool_attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const {
    auto v = attribute(object, type);
    return v && v->size() == 1 && (*v)[0] != 0;
  }

 private:
  std::shared_ptr<Module> module_;
  CK_SLOT_ID slot_;
  CK_SESSION_HANDLE handle_ = 0;
  bool logged_in_ = false;
};

// Template entries point into these holders, which must outlive the search.
struct Template {
  CK_OBJECT_CLASS object_class;
  CK_CERTIFICATE_TYPE cert_type = CKC_X_509;
  std::string id, label;
  std::vector<CK_ATTRIBUTE> attributes;
  Template(CK_OBJECT_CLASS cls) : object_class(cls) {}
  Template& with_id(const std::string& value) {
    id = value;
    return *this;
  }
  Template& with_label(const std::string& value) {
    label = value;
    return *this;
  }
  std::vector<CK_ATTRIBUTE>& build(bool has_id, bool has_label) {
    attributes = {{CKA_CLASS, &object_class, sizeof object_class}};
    if (object_class == CKO_CERTIFICATE) attributes.push_back({CKA_CERTIFICATE_TYPE, &cert_type, sizeof cert_type});
    if (has_id) attributes.push_back({CKA_ID, id.data(), static_cast<CK_ULONG>(id.size())});
    if (has_label) attributes.push_back({CKA_LABEL, label.data(), static_cast<CK_ULONG>(label.size())});
    return attributes;
  }
};

std::vector<CK_OBJECT_HANDLE> find_objects(const Session& s, CK_OBJECT_CLASS cls, const std::string* id,
                                           const std::string* label) {
  Template t(cls);
  if (id) t.with_id(*id);
  if (label) t.with_label(*label);
  return s.find(t.build(id != nullptr, label != nullptr));
}

pki::Cert parse_der_cert(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (!x) {
    ERR_clear_error();
    return nullptr;
  }
  return pki::share(x);
}

struct TokenCert {
  std::string label, id;
  pki::Cert cert;
};

std::vector<TokenCert> token_certificates(const Session& s) {
  std::vector<TokenCert> out;
  for (CK_OBJECT_HANDLE h : find_objects(s, CKO_CERTIFICATE, nullptr, nullptr)) {
    auto value = s.attribute(h, CKA_VALUE);
    if (!value) continue;
    pki::Cert cert = parse_der_cert(*value);
    if (!cert) continue;  // not every certificate object is one OpenSSL reads: skip it
    out.push_back({s.attribute(h, CKA_LABEL).value_or(""), s.attribute(h, CKA_ID).value_or(""), cert});
  }
  return out;
}

// ---- slots and tokens -----------------------------------------------------------------------------

std::vector<CK_SLOT_ID> slots_with_token(CK_FUNCTION_LIST* f) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    CK_ULONG n = 0;
    check(f->C_GetSlotList(CK_TRUE, nullptr, &n), "listing the slots");
    std::vector<CK_SLOT_ID> slots(n);
    CK_RV rv = f->C_GetSlotList(CK_TRUE, slots.data(), &n);
    if (rv == CKR_BUFFER_TOO_SMALL) continue;  // a token was plugged in meanwhile
    check(rv, "listing the slots");
    slots.resize(n);
    return slots;
  }
  fail("TOKEN_ERROR", "the list of slots keeps changing");
}

std::string describe_token(const CK_TOKEN_INFO& info) {
  return "'" + trimmed(info.label, sizeof info.label) + "' (serial " + trimmed(info.serialNumber, sizeof info.serialNumber) + ")";
}

struct Selection {
  std::string token_label, token_serial, manufacturer, model;
  std::optional<CK_SLOT_ID> slot_id;
  std::string key_label, key_id;
  bool has_key_label = false, has_key_id = false;
};

void merge(std::string& field, const std::string& from_uri, const char* name) {
  if (from_uri.empty()) return;
  if (!field.empty() && field != from_uri)
    throw Error(ErrorCategory::usage, "TOKEN_URI_INVALID", std::string("the URI's ") + name + " contradicts the option given separately");
  field = from_uri;
}

CK_SLOT_ID choose_token(CK_FUNCTION_LIST* f, const Selection& sel, CK_TOKEN_INFO* chosen) {
  std::vector<CK_SLOT_ID> slots = slots_with_token(f);
  std::vector<std::pair<CK_SLOT_ID, CK_TOKEN_INFO>> matches;
  std::vector<std::string> seen;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    CK_RV rv = f->C_GetTokenInfo(slot, &info);
    if (rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_TOKEN_NOT_RECOGNIZED || rv == CKR_DEVICE_REMOVED) continue;
    check(rv, "reading the token information");
    if (!(info.flags & CKF_TOKEN_INITIALIZED)) continue;
    seen.push_back(describe_token(info));
    if (sel.slot_id && *sel.slot_id != slot) continue;
    if (!sel.token_label.empty() && trimmed(info.label, sizeof info.label) != sel.token_label) continue;
    if (!sel.token_serial.empty() && trimmed(info.serialNumber, sizeof info.serialNumber) != sel.token_serial) continue;
    if (!sel.manufacturer.empty() && trimmed(info.manufacturerID, sizeof info.manufacturerID) != sel.manufacturer) continue;
    if (!sel.model.empty() && trimmed(info.model, sizeof info.model) != sel.model) continue;
    matches.emplace_back(slot, info);
  }
  std::string present = seen.empty() ? std::string("no token is present") : "tokens present: ";
  for (size_t i = 0; i < seen.size(); ++i) present += (i ? ", " : "") + seen[i];
  if (matches.empty()) {
    bool asked = !sel.token_label.empty() || !sel.token_serial.empty() || !sel.manufacturer.empty() ||
                 !sel.model.empty() || sel.slot_id;
    fail("TOKEN_ABSENT", asked ? "no token matches the label/serial asked for (" + present + ")"
                               : "no token found: plug in the token (or check its driver); " + present,
         CKR_TOKEN_NOT_PRESENT);
  }
  if (matches.size() > 1)
    fail("TOKEN_AMBIGUOUS", "several tokens match; choose one by label or serial (" + present + ")");
  *chosen = matches[0].second;
  return matches[0].first;
}

// ---- the key --------------------------------------------------------------------------------------

// What the token tells about the key's public half (for the pairing check with a certificate).
struct PublicParts {
  std::string modulus, exponent;  // RSA, big-endian
  std::string ec_point;           // EC, the encoded point (without the DER OCTET STRING around it)
};

std::string strip_zeros(const std::string& big) {
  size_t i = 0;
  while (i + 1 < big.size() && big[i] == '\0') ++i;
  return big.substr(i);
}

// CKA_EC_POINT is a DER OCTET STRING holding the point; a few tokens return the bare point.
std::string unwrap_ec_point(const std::string& value) {
  if (value.size() >= 2 && static_cast<unsigned char>(value[0]) == 0x04) {
    size_t len = static_cast<unsigned char>(value[1]), header = 2;
    if (len & 0x80) {
      size_t n = len & 0x7f;
      if (n == 0 || n > 2 || value.size() < 2 + n) return value;
      len = 0;
      for (size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<unsigned char>(value[2 + i]);
      header = 2 + n;
    }
    if (header + len == value.size()) return value.substr(header);
  }
  return value;
}

enum class Pairing { matches, differs, unknown };

Pairing compare_public(const PublicParts& parts, const std::string& key_type, X509* cert) {
  EVP_PKEY* pub = X509_get0_pubkey(cert);
  if (!pub) return Pairing::differs;
  int base = EVP_PKEY_get_base_id(pub);
  if (key_type == "rsa") {
    if (base != EVP_PKEY_RSA) return Pairing::differs;
    if (parts.modulus.empty()) return Pairing::unknown;
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    bool ok = EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_N, &n) == 1 && EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_E, &e) == 1;
    std::string cert_n, cert_e;
    if (ok) {
      cert_n.resize(BN_num_bytes(n));
      BN_bn2bin(n, reinterpret_cast<unsigned char*>(cert_n.data()));
      cert_e.resize(BN_num_bytes(e));
      BN_bn2bin(e, reinterpret_cast<unsigned char*>(cert_e.data()));
    }
    BN_free(n);
    BN_free(e);
    ERR_clear_error();
    if (!ok) return Pairing::unknown;
    if (strip_zeros(parts.modulus) != strip_zeros(cert_n)) return Pairing::differs;
    if (!parts.exponent.empty() && strip_zeros(parts.exponent) != strip_zeros(cert_e)) return Pairing::differs;
    return Pairing::matches;
  }
  if (base != EVP_PKEY_EC) return Pairing::differs;
  if (parts.ec_point.empty()) return Pairing::unknown;
  const ASN1_BIT_STRING* bits = X509_get0_pubkey_bitstr(cert);
  if (!bits) return Pairing::unknown;
  std::string cert_point(reinterpret_cast<const char*>(bits->data), static_cast<size_t>(bits->length));
  if (cert_point == parts.ec_point) return Pairing::matches;
  // Same curve but one side compressed: cannot tell from the bytes.
  unsigned char a = parts.ec_point.empty() ? 0 : static_cast<unsigned char>(parts.ec_point[0]);
  unsigned char b = cert_point.empty() ? 0 : static_cast<unsigned char>(cert_point[0]);
  if ((a == 0x04) != (b == 0x04)) return Pairing::unknown;
  return Pairing::differs;
}

CK_MECHANISM_TYPE rsa_mechanism_for(const std::string& digest) {
  if (digest == "sha256") return CKM_SHA256_RSA_PKCS;
  if (digest == "sha384") return CKM_SHA384_RSA_PKCS;
  if (digest == "sha512") return CKM_SHA512_RSA_PKCS;
  if (digest == "sha224") return CKM_SHA224_RSA_PKCS;
  if (digest == "sha1") return CKM_SHA1_RSA_PKCS;
  return CKM_RSA_PKCS;  // none combined: hash here
}

std::string describe_key(const std::string& label, const std::string& id) {
  std::string out;
  if (!label.empty()) out += "label '" + label + "'";
  if (!id.empty()) out += std::string(out.empty() ? "" : ", ") + "id " + hex_encode(id);
  return out.empty() ? "(no label, no id)" : out;
}

class Pkcs11Signer final : public Signer {
 public:
  Pkcs11Signer(std::shared_ptr<Module> module, CK_SLOT_ID slot) : session_(std::move(module), slot) {}

  Session& session() { return session_; }

  void set_key(CK_OBJECT_HANDLE key, std::string type, bool always_authenticate, const Secret* pin, bool pin_pad) {
    key_ = key;
    key_type_ = std::move(type);
    always_authenticate_ = always_authenticate;
    if (always_authenticate && pin) context_pin_ = Secret::from_string(pin->reveal());
    context_pin_pad_ = pin_pad;
    if (always_authenticate && !pin_pad && context_pin_.empty())  // an empty PIN would cost an attempt
      throw Error(ErrorCategory::usage, "PASSWORD_SOURCE_MISSING", "the key wants the PIN at every signature and none was given");
    load_mechanisms();
    if (key_type_ == "ec" && !offers(CKM_ECDSA))
      fail("TOKEN_MECHANISM_UNSUPPORTED", "the token cannot make ECDSA signatures (no CKM_ECDSA)");
    if (key_type_ == "rsa" && !offers(CKM_RSA_PKCS) && !offers(CKM_SHA256_RSA_PKCS))
      fail("TOKEN_MECHANISM_UNSUPPORTED", "the token cannot make RSA PKCS#1 v1.5 signatures");
  }
  void set_certificates(std::vector<std::string> certificates, size_t max_size) {
    certificates_ = std::move(certificates);
    max_signature_size_ = max_size;
  }
  bool always_authenticate() const { return always_authenticate_; }

  const std::vector<std::string>& certificates() const override { return certificates_; }
  std::string key_type() const override { return key_type_; }
  size_t max_signature_size() const override { return max_signature_size_; }

  std::string sign(std::string_view data, const std::string& digest) const override {
    const EVP_MD* md = cms::digest_by_name(digest);
    if (!md) throw Error(ErrorCategory::usage, "DIGEST_ALGORITHM_UNSUPPORTED", "unsupported digest " + digest);
    std::lock_guard<std::mutex> lock(mutex_);
    if (key_type_ == "ec") {
      std::string hash = cms::digest_bytes(data, md);
      return ecdsa_raw_to_der(run(CKM_ECDSA, hash));
    }
    CK_MECHANISM_TYPE combined = rsa_mechanism_for(digest);
    if (combined != CKM_RSA_PKCS && offers(combined)) {
      try {
        return run(combined, data);
      } catch (const Error& e) {
        if (e.native_code() != static_cast<long>(CKR_MECHANISM_INVALID)) throw;
        // listed but refused (seen on some drivers): hash here instead
      }
    }
    if (!offers(CKM_RSA_PKCS))
      fail("TOKEN_MECHANISM_UNSUPPORTED", "the token cannot sign with " + digest + " and RSA PKCS#1 v1.5", CKR_MECHANISM_INVALID);
    return run(CKM_RSA_PKCS, rsa_digest_info(digest, cms::digest_bytes(data, md)));
  }

 private:
  void load_mechanisms() {
    CK_FUNCTION_LIST* f = session_.f();
    CK_ULONG n = 0;
    if (f->C_GetMechanismList(session_.slot(), nullptr, &n) != CKR_OK) return;  // unknown: try and see
    std::vector<CK_MECHANISM_TYPE> list(n);
    if (f->C_GetMechanismList(session_.slot(), list.data(), &n) != CKR_OK) return;
    list.resize(n);
    mechanisms_ = std::set<CK_MECHANISM_TYPE>(list.begin(), list.end());
  }
  bool offers(CK_MECHANISM_TYPE m) const { return !mechanisms_ || mechanisms_->count(m); }

  // One C_SignInit + C_Sign with the session lock held.
  std::string run(CK_MECHANISM_TYPE type, std::string_view input) const {
    CK_FUNCTION_LIST* f = session_.f();
    CK_SESSION_HANDLE h = session_.handle();
    CK_MECHANISM mechanism{type, nullptr, 0};
    check(f->C_SignInit(h, &mechanism, key_), "starting a signature");
    if (always_authenticate_) {
      // The key wants the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE).
      const Secret* pin = context_pin_pad_ ? nullptr : &context_pin_;
      CK_RV rv = f->C_Login(h, CKU_CONTEXT_SPECIFIC,
                            pin ? reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin->reveal().data())) : nullptr,
                            pin ? static_cast<CK_ULONG>(pin->reveal().size()) : 0);
      if (rv != CKR_OK) {
        f->C_SignInit(h, nullptr, key_);  // PKCS#11 3.0: cancels the operation (2.x modules ignore it)
        if (rv == CKR_PIN_INCORRECT)
          fail("TOKEN_PIN_INCORRECT", "the token refused the PIN for this signature", rv);
        fail_rv(rv, "authenticating for the signature");
      }
    }
    std::string out(std::max<size_t>(max_signature_size_, 512), '\0');
    CK_ULONG len = static_cast<CK_ULONG>(out.size());
    CK_RV rv = f->C_Sign(h, reinterpret_cast<CK_BYTE_PTR>(const_cast<char*>(input.data())), static_cast<CK_ULONG>(input.size()),
                         reinterpret_cast<CK_BYTE_PTR>(out.data()), &len);
    if (rv == CKR_BUFFER_TOO_SMALL) {  // the operation stays active: ask again with the size given
      out.assign(len, '\0');
      rv = f->C_Sign(h, reinterpret_cast<CK_BYTE_PTR>(const_cast<char*>(input.data())), static_cast<CK_ULONG>(input.size()),
                     reinterpret_cast<CK_BYTE_PTR>(out.data()), &len);
    }
    check(rv, "signing on the token");
    out.resize(len);
    return out;
  }

  Session session_;
  CK_OBJECT_HANDLE key_ = 0;
  std::string key_type_;
  bool always_authenticate_ = false, context_pin_pad_ = false;
  Secret context_pin_;
  std::optional<std::set<CK_MECHANISM_TYPE>> mechanisms_;
  std::vector<std::string> certificates_;
  size_t max_signature_size_ = 0;
  mutable std::mutex mutex_;
};

// Proof that the token key and a certificate belong together when the token does not show the public
// key: one signature over random bytes, checked with the certificate.
bool proves_pairing(const Pkcs11Signer& signer, X509* cert) {
  unsigned char challenge[32];
  if (RAND_bytes(challenge, sizeof challenge) != 1) return false;
  std::string data(reinterpret_cast<char*>(challenge), sizeof challenge);
  return pki::verifies_with(cert, data, signer.sign(data, "sha256"), EVP_sha256());
}

bool is_ca(X509* cert) { return X509_check_ca(cert) != 0; }

}  // namespace
}  // namespace sign

std::unique_ptr<Signer> load_pkcs11_signer(const Pkcs11Options& options, const Secret& pin) {
  using namespace sign;
  Selection sel;
  sel.token_label = options.token_label;
  sel.token_serial = options.token_serial;
  sel.key_label = options.key_label;
  sel.has_key_label = !options.key_label.empty();
  if (!options.key_id_hex.empty()) {
    sel.key_id = hex_decode(options.key_id_hex);
    sel.has_key_id = true;
  }
  std::string module_path = options.module_path;
  std::string pin_source;
  if (!options.uri.empty()) {
    Pkcs11Uri uri = parse_pkcs11_uri(options.uri);
    merge(sel.token_label, uri.token, "token");
    merge(sel.token_serial, uri.serial, "serial");
    sel.manufacturer = uri.manufacturer;
    sel.model = uri.model;
    if (uri.slot_id) sel.slot_id = static_cast<CK_SLOT_ID>(*uri.slot_id);
    merge(sel.key_label, uri.object, "object");
    sel.has_key_label = !sel.key_label.empty();
    if (uri.has_id) {
      if (sel.has_key_id && sel.key_id != uri.id)
        throw Error(ErrorCategory::usage, "TOKEN_URI_INVALID", "the URI's id contradicts the key id given separately");
      sel.key_id = uri.id;
      sel.has_key_id = true;
    }
    merge(module_path, uri.module_path, "module-path");
    pin_source = uri.pin_source;
  }
  Secret pin_from_file;
  const Secret* the_pin = &pin;
  if (pin.empty() && !pin_source.empty()) {
    pin_from_file = Secret::from_file(pin_source);
    the_pin = &pin_from_file;
  }

  std::shared_ptr<Module> module = Module::open(module_path);
  CK_TOKEN_INFO token{};
  CK_SLOT_ID slot = choose_token(module->f(), sel, &token);
  auto signer = std::make_unique<Pkcs11Signer>(module, slot);
  Session& s = signer->session();

  // Log in. An empty PIN is never sent: on a real token it would use up one of the attempts.
  const bool pin_pad = options.protected_authentication_path;
  if (token.flags & CKF_USER_PIN_LOCKED)
    fail("TOKEN_PIN_LOCKED", "the token's PIN is locked; ask the CA or the token administrator to unlock it", CKR_PIN_LOCKED);
  if (!s.join_login() && !s.user_logged_in()) {
    if (pin_pad) {
      s.login(nullptr);
    } else if (!the_pin->empty()) {
      s.login(the_pin);
    } else if (token.flags & CKF_LOGIN_REQUIRED) {
      throw Error(ErrorCategory::usage, "PASSWORD_SOURCE_MISSING",
                  std::string("the token ") + describe_token(token) + " needs a PIN and none was given" +
                      ((token.flags & CKF_PROTECTED_AUTHENTICATION_PATH) ? " (it has a PIN pad: use the PIN-pad option)" : ""));
    }
  }

  // The private key.
  std::vector<CK_OBJECT_HANDLE> keys =
      find_objects(s, CKO_PRIVATE_KEY, sel.has_key_id ? &sel.key_id : nullptr, sel.has_key_label ? &sel.key_label : nullptr);
  std::vector<TokenCert> token_certs = token_certificates(s);
  if (keys.empty() && sel.has_key_label && !sel.has_key_id) {
    // Key and certificate labels differ on many tokens: the label may name the certificate.
    for (const auto& c : token_certs)
      if (c.label == sel.key_label && !c.id.empty()) {
        auto by_id = find_objects(s, CKO_PRIVATE_KEY, &c.id, nullptr);
        keys.insert(keys.end(), by_id.begin(), by_id.end());
      }
  }
  std::string wanted = describe_key(sel.key_label, sel.key_id);
  if (keys.empty())
    fail("TOKEN_KEY_NOT_FOUND", (sel.has_key_id || sel.has_key_label) ? "no private key with " + wanted + " on the token " + describe_token(token)
                                                                      : "the token " + describe_token(token) + " holds no private key");
  auto has_cert = [&](CK_OBJECT_HANDLE k) {
    std::string id = s.attribute(k, CKA_ID).value_or("");
    return !id.empty() && std::any_of(token_certs.begin(), token_certs.end(), [&](const TokenCert& c) { return c.id == id; });
  };
  if (keys.size() > 1) {
    std::vector<CK_OBJECT_HANDLE> with_cert;
    for (auto k : keys)
      if (has_cert(k)) with_cert.push_back(k);
    if (with_cert.size() == 1) {
      keys = with_cert;
    } else {
      std::string list;
      for (auto k : keys)
        list += (list.empty() ? "" : "; ") + describe_key(s.attribute(k, CKA_LABEL).value_or(""), s.attribute(k, CKA_ID).value_or(""));
      fail("TOKEN_AMBIGUOUS", "several private keys match; choose one by label or id: " + list);
    }
  }
  CK_OBJECT_HANDLE key = keys[0];
  std::string key_id = s.attribute(key, CKA_ID).value_or("");
  std::string key_label = s.attribute(key, CKA_LABEL).value_or("");
  auto key_kind = s.ulong_attribute(key, CKA_KEY_TYPE);
  std::string type = !key_kind ? "" : *key_kind == CKK_RSA ? "rsa" : *key_kind == CKK_EC ? "ec" : "";
  if (type.empty())
    fail("KEY_TYPE_UNSUPPORTED", "the key " + describe_key(key_label, key_id) + " is neither RSA nor EC: only those can sign");
  bool always_auth = s.bool_attribute(key, CKA_ALWAYS_AUTHENTICATE);
  signer->set_key(key, type, always_auth, the_pin->empty() ? nullptr : the_pin, pin_pad);

  // Its public half as the token shows it (private key object, else the public key object).
  PublicParts parts;
  std::vector<CK_OBJECT_HANDLE> holders{key};
  if (!key_id.empty()) {
    auto pubs = find_objects(s, CKO_PUBLIC_KEY, &key_id, nullptr);
    holders.insert(holders.end(), pubs.begin(), pubs.end());
  }
  for (auto h : holders) {
    if (type == "rsa" && parts.modulus.empty()) {
      parts.modulus = s.attribute(h, CKA_MODULUS).value_or("");
      parts.exponent = s.attribute(h, CKA_PUBLIC_EXPONENT).value_or("");
    }
    if (type == "ec" && parts.ec_point.empty()) parts.ec_point = unwrap_ec_point(s.attribute(h, CKA_EC_POINT).value_or(""));
  }
  auto pairs_with = [&](X509* cert) -> Pairing {
    Pairing p = compare_public(parts, type, cert);
    if (p != Pairing::unknown) return p;
    if (signer->always_authenticate()) return Pairing::unknown;  // would ask for the PIN again: trust the id
    return proves_pairing(*signer, cert) ? Pairing::matches : Pairing::differs;
  };

  // The certificate: on the token with the key's id (or label when the key has no id), else in the files.
  std::vector<pki::Cert> file_certs;
  for (const auto& path : options.chain_paths) {
    auto certs = pki::load_certificates(path);
    file_certs.insert(file_certs.end(), certs.begin(), certs.end());
  }
  pki::Cert leaf;
  bool mismatch_seen = false;
  auto consider = [&](const pki::Cert& c) {
    Pairing p = pairs_with(c.get());
    if (p == Pairing::differs) {
      mismatch_seen = true;
      return;
    }
    // Several (a renewed certificate for the same key): the one valid longest.
    if (!leaf || ASN1_TIME_compare(X509_get0_notAfter(c.get()), X509_get0_notAfter(leaf.get())) > 0) leaf = c;
  };
  for (const auto& c : token_certs)
    if (key_id.empty() ? (!key_label.empty() && c.label == key_label) : c.id == key_id) consider(c.cert);
  if (!leaf)
    for (const auto& c : file_certs)
      if (!is_ca(c.get())) consider(c);
  if (!leaf) {
    if (mismatch_seen)
      fail("KEY_CERT_MISMATCH", "the certificate found for the key " + describe_key(key_label, key_id) +
                                    " does not belong to it (a renewed certificate comes with a new key)");
    fail("KEY_WITHOUT_CERTIFICATE", "the key " + describe_key(key_label, key_id) +
                                        " has no certificate on the token; give the signer's certificate in a chain file");
  }

  // The chain: the files as given, plus the token's CA certificates on the issuer path of the leaf.
  std::vector<std::string> certificates{pki::der_of(leaf.get())};
  std::vector<pki::Cert> chain;
  auto add = [&](const pki::Cert& c) {
    if (X509_cmp(c.get(), leaf.get()) == 0) return;
    for (const auto& have : chain)
      if (X509_cmp(have.get(), c.get()) == 0) return;
    chain.push_back(c);
  };
  for (const auto& c : file_certs) add(c);
  X509* last = leaf.get();
  for (int depth = 0; depth < 8 && !pki::is_self_signed(last); ++depth) {
    pki::Cert issuer;
    for (const auto& c : chain)
      if (X509_check_issued(c.get(), last) == X509_V_OK) issuer = c;
    for (const auto& t : token_certs)
      if (!issuer && X509_check_issued(t.cert.get(), last) == X509_V_OK) issuer = t.cert;
    if (!issuer) break;
    add(issuer);
    last = issuer.get();
  }
  for (const auto& c : chain) certificates.push_back(pki::der_of(c.get()));
  EVP_PKEY* leaf_key = X509_get0_pubkey(leaf.get());  // null when the certificate's key cannot be decoded
  signer->set_certificates(std::move(certificates), leaf_key ? static_cast<size_t>(EVP_PKEY_get_size(leaf_key)) : 0);
  return signer;
}

std::vector<TokenInfo> list_tokens(const std::string& module_path) {
  using namespace sign;
  std::shared_ptr<Module> module = Module::open(module_path);
  CK_FUNCTION_LIST* f = module->f();
  std::vector<TokenInfo> out;
  for (CK_SLOT_ID slot : slots_with_token(f)) {
    CK_TOKEN_INFO info{};
    CK_RV rv = f->C_GetTokenInfo(slot, &info);
    if (rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_REMOVED) continue;
    TokenInfo t;
    t.slot_id = slot;
    CK_SLOT_INFO slot_info{};
    if (f->C_GetSlotInfo(slot, &slot_info) == CKR_OK)
      t.slot_description = trimmed(slot_info.slotDescription, sizeof slot_info.slotDescription);
    if (rv != CKR_OK) {  // e.g. an unrecognised card: listed with what is known
      out.push_back(t);
      continue;
    }
    t.label = trimmed(info.label, sizeof info.label);
    t.serial = trimmed(info.serialNumber, sizeof info.serialNumber);
    t.manufacturer = trimmed(info.manufacturerID, sizeof info.manufacturerID);
    t.model = trimmed(info.model, sizeof info.model);
    t.initialized = info.flags & CKF_TOKEN_INITIALIZED;
    t.login_required = info.flags & CKF_LOGIN_REQUIRED;
    t.protected_authentication_path = info.flags & CKF_PROTECTED_AUTHENTICATION_PATH;
    t.pin_count_low = info.flags & CKF_USER_PIN_COUNT_LOW;
    t.pin_final_try = info.flags & CKF_USER_PIN_FINAL_TRY;
    t.pin_locked = info.flags & CKF_USER_PIN_LOCKED;
    t.pin_to_be_changed = info.flags & CKF_USER_PIN_TO_BE_CHANGED;
    if (!t.initialized) {
      out.push_back(t);
      continue;
    }
    std::unique_ptr<Session> session;
    try {
      session = std::make_unique<Session>(module, slot);
    } catch (const Error&) {  // a token that opens no session (busy, unsupported): listed without objects
      out.push_back(t);
      continue;
    }
    const Session& s = *session;
    for (const auto& c : token_certificates(s)) {
      TokenCertificateInfo ci;
      ci.label = c.label;
      ci.id_hex = hex_encode(c.id);
      CertificateInfo d = pki::describe(c.cert.get());
      ci.subject_cn = d.common_name;
      ci.not_before = d.not_before;
      ci.not_after = d.not_after;
      X509_NAME* issuer = X509_get_issuer_name(c.cert.get());
      int at = X509_NAME_get_index_by_NID(issuer, NID_commonName, -1);
      if (at >= 0) {
        unsigned char* utf8 = nullptr;
        int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(issuer, at)));
        if (len >= 0) ci.issuer_cn.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
        OPENSSL_free(utf8);
      }
      ci.der = pki::der_of(c.cert.get());
      t.certificates.push_back(std::move(ci));
    }
    std::map<std::string, size_t> by_id;  // CKA_ID -> index in t.keys (private and public object once)
    for (CK_OBJECT_CLASS cls : {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY}) {
      for (CK_OBJECT_HANDLE h : find_objects(s, cls, nullptr, nullptr)) {
        TokenKeyInfo k;
        std::string id = s.attribute(h, CKA_ID).value_or("");
        k.label = s.attribute(h, CKA_LABEL).value_or("");
        k.id_hex = hex_encode(id);
        auto kind = s.ulong_attribute(h, CKA_KEY_TYPE);
        k.type = !kind ? "other" : *kind == CKK_RSA ? "rsa" : *kind == CKK_EC ? "ec" : "other";
        if (k.type == "rsa") {
          if (auto bits = s.ulong_attribute(h, CKA_MODULUS_BITS)) k.bits = static_cast<int>(*bits);
          if (!k.bits)
            if (auto m = s.attribute(h, CKA_MODULUS)) k.bits = static_cast<int>(strip_zeros(*m).size() * 8);
        } else if (k.type == "ec") {
          if (auto params = s.attribute(h, CKA_EC_PARAMS)) {
            const unsigned char* p = reinterpret_cast<const unsigned char*>(params->data());
            ASN1_OBJECT* oid = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(params->size()));
            if (oid) {
              EC_GROUP* group = EC_GROUP_new_by_curve_name(OBJ_obj2nid(oid));
              if (group) k.bits = EC_GROUP_get_degree(group);
              EC_GROUP_free(group);
              ASN1_OBJECT_free(oid);
            }
            ERR_clear_error();
          }
        }
        for (const auto& c : t.certificates)
          if (!id.empty() && c.id_hex == k.id_hex) k.has_certificate = true;
        auto it = id.empty() ? by_id.end() : by_id.find(id);
        if (it != by_id.end()) {
          TokenKeyInfo& known = t.keys[it->second];
          if (known.label.empty()) known.label = k.label;
          if (!known.bits) known.bits = k.bits;
          continue;
        }
        if (!id.empty()) by_id[id] = t.keys.size();
        t.keys.push_back(std::move(k));
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace libsign
