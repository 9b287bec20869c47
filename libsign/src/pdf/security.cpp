#include "pdf/security.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pdf/errors.hpp"

namespace libsign::pdf {
namespace {

// The 32-byte padding of algorithm 2 step (a).
constexpr unsigned char kPadding[32] = {0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E,
                                        0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68,
                                        0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A};

[[noreturn]] void unsupported(const std::string& what) { fail("PDF_UNSUPPORTED_ENCRYPTION", what); }

[[noreturn]] void backend(const char* what) {
  // Only when OpenSSL lacks an algorithm (e.g. MD5 in a FIPS-only configuration).
  throw Error(ErrorCategory::crypto_backend, "PDF_UNSUPPORTED_ENCRYPTION", std::string("OpenSSL could not run ") + what);
}

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) backend("a digest");
  return std::string(reinterpret_cast<const char*>(out), len);
}
std::string md5(std::string_view d) { return digest(EVP_md5(), d); }
std::string sha256(std::string_view d) { return digest(EVP_sha256(), d); }

// Runs an AES mode without padding; `data` must be a whole number of blocks and `key` fit `cipher`.
std::string aes_raw(const EVP_CIPHER* cipher, bool encrypt, std::string_view key, std::string_view iv,
                    std::string_view data) {
  struct Ctx {
    EVP_CIPHER_CTX* p = EVP_CIPHER_CTX_new();
    ~Ctx() { EVP_CIPHER_CTX_free(p); }
  } ctx;
  if (ctx.p == nullptr || cipher == nullptr ||
      EVP_CipherInit_ex(ctx.p, cipher, nullptr, bytes_of(key), iv.empty() ? nullptr : bytes_of(iv), encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.p, 0) != 1)
    backend("AES");
  std::string out(data.size() + 32, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(&out[0]);
  size_t done = 0, written = 0;
  constexpr size_t kChunk = size_t{1} << 30;  // EVP takes int lengths; chunks keep the CBC chain
  while (done < data.size()) {
    size_t len = std::min(kChunk, data.size() - done);
    int n = 0;
    if (EVP_CipherUpdate(ctx.p, dst + written, &n, bytes_of(data) + done, static_cast<int>(len)) != 1) backend("AES");
    done += len;
    written += static_cast<size_t>(n);
  }
  int n = 0;
  if (EVP_CipherFinal_ex(ctx.p, dst + written, &n) != 1) backend("AES");
  out.resize(written + static_cast<size_t>(n));
  return out;
}

const std::string& string_entry(const Object& dict, const char* key) {
  ObjPtr o = dict.get(key);
  if (!o || !o->is_string()) fail("PDF_MALFORMED", std::string("the /Encrypt dictionary has no /") + key + " string");
  return o->as_string();
}

// `min` bytes at least; longer values (some writers pad) are cut to `use` bytes.
std::string_view sized(const Object& dict, const char* key, size_t min, size_t use) {
  const std::string& s = string_entry(dict, key);
  if (s.size() < min)
    fail("PDF_MALFORMED", std::string("the /Encrypt dictionary's /") + key + " is " + std::to_string(s.size()) +
                              " bytes, expected " + std::to_string(min));
  return std::string_view(s).substr(0, use);
}

int64_t int_entry(const Object& dict, const char* key, int64_t fallback) {
  ObjPtr o = dict.get(key);
  if (!o || o->is_null()) return fallback;
  if (!o->is_int()) fail("PDF_MALFORMED", std::string("the /Encrypt dictionary's /") + key + " is not an integer");
  return o->as_int();
}

std::string padded_password(std::string_view password) {
  std::string out(password.substr(0, 32));
  out.append(reinterpret_cast<const char*>(kPadding), 32 - out.size());
  return out;
}

// Algorithm 2: the file key of R2–R4 from a user password.
std::string key_r2_r4(std::string_view password, std::string_view o, uint32_t p, std::string_view id0, int r,
                      size_t n, bool encrypt_metadata) {
  std::string in = padded_password(password);
  in += o;
  for (int i = 0; i < 4; ++i) in += static_cast<char>((p >> (8 * i)) & 0xFF);
  in += id0;
  if (r >= 4 && !encrypt_metadata) in.append(4, '\xFF');
  std::string h = md5(in);
  if (r >= 3)
    for (int i = 0; i < 50; ++i) h = md5(std::string_view(h).substr(0, n));
  return h.substr(0, n);
}

// Algorithms 4 and 5: the /U value a user password gives (R2: 32 bytes; R3+: the 16 that count).
std::string user_check_r2_r4(const std::string& key, std::string_view id0, int r) {
  std::string pad(reinterpret_cast<const char*>(kPadding), 32);
  if (r == 2) return crypto_detail::rc4(key, pad);
  std::string x = crypto_detail::rc4(key, md5(pad + std::string(id0)));
  for (int i = 1; i <= 19; ++i) {
    std::string k = key;
    for (char& c : k) c = static_cast<char>(c ^ i);
    x = crypto_detail::rc4(k, x);
  }
  return x;
}

// Algorithm 7: the user password that an owner password unlocks (R2–R4): /O decrypted with a key made
// from the owner password alone.
std::string user_password_from_owner(std::string_view owner, std::string_view o, int r, size_t n) {
  std::string h = md5(padded_password(owner));
  if (r >= 3)
    for (int i = 0; i < 50; ++i) h = md5(h);
  std::string key = h.substr(0, r == 2 ? 5 : n);
  if (r == 2) return crypto_detail::rc4(key, o);
  std::string x(o);
  for (int i = 19; i >= 0; --i) {
    std::string k = key;
    for (char& c : k) c = static_cast<char>(c ^ i);
    x = crypto_detail::rc4(k, x);
  }
  return x;
}

std::string method_name(SecurityHandler::Method m, size_t key_bytes) {
  switch (m) {
    case SecurityHandler::Method::none: return "no encryption";
    case SecurityHandler::Method::rc4: return "RC4 " + std::to_string(key_bytes * 8) + "-bit";
    case SecurityHandler::Method::aes128: return "AES-128";
    case SecurityHandler::Method::aes256: return "AES-256";
  }
  return "?";
}

}  // namespace

namespace crypto_detail {

std::string rc4(std::string_view key, std::string_view data) {
  unsigned char s[256];
  for (int i = 0; i < 256; ++i) s[i] = static_cast<unsigned char>(i);
  if (key.empty()) return std::string(data);
  unsigned j = 0;
  for (unsigned i = 0; i < 256; ++i) {
    j = (j + s[i] + static_cast<unsigned char>(key[i % key.size()])) & 0xFF;
    std::swap(s[i], s[j]);
  }
  std::string out(data);
  unsigned a = 0, b = 0;
  for (char& c : out) {
    a = (a + 1) & 0xFF;
    b = (b + s[a]) & 0xFF;
    std::swap(s[a], s[b]);
    c = static_cast<char>(c ^ s[(s[a] + s[b]) & 0xFF]);
  }
  return out;
}

std::string aes_cbc_decrypt(std::string_view key, std::string_view iv_and_data) {
  if (key.size() != 16 && key.size() != 32) backend("AES with this key size");
  if (iv_and_data.size() < 16) return {};  // not even an IV: nothing to decrypt
  std::string_view body = iv_and_data.substr(16);
  size_t whole = body.size() / 16 * 16;  // a short last block is dropped
  if (whole == 0) return {};
  std::string plain = aes_raw(key.size() == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc(), false, key,
                              iv_and_data.substr(0, 16), body.substr(0, whole));
  if (whole == body.size()) {  // strip PKCS#5 padding only when it is well formed
    auto pad = static_cast<unsigned char>(plain.back());
    if (pad >= 1 && pad <= 16 &&
        std::all_of(plain.end() - pad, plain.end(), [pad](char c) { return static_cast<unsigned char>(c) == pad; }))
      plain.resize(plain.size() - pad);
  }
  return plain;
}

std::string hash_2b(std::string_view password, std::string_view salt, std::string_view udata) {
  std::string k = sha256(std::string(password) + std::string(salt) + std::string(udata));
  std::string e;
  for (int round = 0; round < 64 || static_cast<int>(static_cast<unsigned char>(e.back())) > round - 32; ++round) {
    std::string unit = std::string(password) + k + std::string(udata);
    std::string k1;
    k1.reserve(unit.size() * 64);
    for (int i = 0; i < 64; ++i) k1 += unit;
    std::string_view kv(k);
    e = aes_raw(EVP_aes_128_cbc(), true, kv.substr(0, 16), kv.substr(16, 16), k1);
    unsigned sum = 0;  // the first 16 bytes as a big-endian number mod 3 (256 ≡ 1 mod 3)
    for (int i = 0; i < 16; ++i) sum += static_cast<unsigned char>(e[i]);
    switch (sum % 3) {
      case 0: k = sha256(e); break;
      case 1: k = digest(EVP_sha384(), e); break;
      default: k = digest(EVP_sha512(), e); break;
    }
  }
  return k.substr(0, 32);
}

}  // namespace crypto_detail

std::shared_ptr<const SecurityHandler> SecurityHandler::open(const Object& encrypt, std::string_view id0,
                                                              std::string_view password) {
  if (!encrypt.is_dict()) fail("PDF_MALFORMED", "the trailer /Encrypt is not a dictionary");
  ObjPtr filter = encrypt.get("Filter");
  if (!filter || !filter->is_name()) unsupported("the /Encrypt dictionary names no security handler");
  if (filter->as_name() != "Standard")
    unsupported("the security handler /" + filter->as_name() + " is not supported (only /Standard)");

  std::shared_ptr<SecurityHandler> h(new SecurityHandler());
  int64_t v = int_entry(encrypt, "V", 0);
  int64_t r = int_entry(encrypt, "R", -1);
  bool v_ok = v == 1 || v == 2 || v == 4 || v == 5;
  bool r_ok = (v == 1 || v == 2) ? (r >= 2 && r <= 4) : v == 4 ? r == 4 : (r == 5 || r == 6);
  if (!v_ok || !r_ok)
    unsupported("Standard security handler /V " + std::to_string(v) + " /R " + std::to_string(r) + " is not supported");
  h->v_ = static_cast<int>(v);
  h->r_ = static_cast<int>(r);
  if (ObjPtr em = encrypt.get("EncryptMetadata"); em && v >= 4) h->encrypt_metadata_ = em->as_bool();

  // Key length in bytes. R2 always uses 5 bytes; /Length counts bits. Some writers leave /Length out of a
  // 128-bit /V 2 dictionary: then 40 bits (the default) and 128 are both tried; the /U check tells.
  size_t n = 32;
  std::vector<size_t> lengths;
  if (v < 5) {
    int64_t bits = v == 1 ? 40 : int_entry(encrypt, "Length", v == 4 ? 128 : 40);
    if (bits < 40 || bits > 128 || bits % 8 != 0)
      unsupported("an encryption key length of " + std::to_string(bits) + " bits is not supported");
    n = r == 2 ? 5 : static_cast<size_t>(bits / 8);
    lengths.push_back(n);
    if (v == 2 && r >= 3 && !encrypt.has("Length")) lengths.push_back(16);
  }

  // Crypt filters: /V 1 and 2 encrypt everything with RC4; /V 4 and 5 name a filter for strings and streams.
  h->filters_["Identity"] = Filter{};
  if (v < 4) {
    h->stm_ = h->str_ = Filter{Method::rc4, {}};
  } else {
    ObjPtr cf = encrypt.get("CF");
    if (cf && !cf->is_null() && !cf->is_dict()) fail("PDF_MALFORMED", "the /Encrypt dictionary's /CF is not a dictionary");
    if (cf && cf->is_dict())
      for (const DictEntry& e : cf->entries()) {
        if (e.key == "Identity") continue;  // reserved: always no encryption
        if (!e.value->is_dict()) fail("PDF_MALFORMED", "crypt filter /" + e.key + " is not a dictionary");
        ObjPtr cfm = e.value->get("CFM");
        std::string m = cfm && cfm->is_name() ? cfm->as_name() : "None";
        Filter f;
        if (m == "None") f.method = Method::none;
        else if (m == "V2" && v == 4) f.method = Method::rc4;
        else if (m == "AESV2" && v == 4 && n >= 11) f.method = Method::aes128;  // per-object key must be 16 bytes
        else if (m == "AESV3" && v == 5) f.method = Method::aes256;
        else f.unsupported = m;
        h->filters_[e.key] = f;
      }
    auto pick = [&](const char* key) {
      ObjPtr name = encrypt.get(key);
      std::string which = name && name->is_name() ? name->as_name() : "Identity";
      auto it = h->filters_.find(which);
      if (it == h->filters_.end()) fail("PDF_MALFORMED", std::string("/") + key + " names crypt filter /" + which + " that /CF does not define");
      if (!it->second.unsupported.empty())
        unsupported("crypt filter method /" + it->second.unsupported + " (" + key + ") is not supported with /V " + std::to_string(v));
      return it->second;
    };
    h->stm_ = pick("StmF");
    h->str_ = pick("StrF");
  }

  bool opened = false;
  if (r <= 4) {
    std::string_view o = sized(encrypt, "O", 32, 32);
    std::string_view u = sized(encrypt, "U", 32, 32);
    ObjPtr p = encrypt.get("P");
    if (!p || !p->is_int()) fail("PDF_MALFORMED", "the /Encrypt dictionary has no integer /P");
    auto p32 = static_cast<uint32_t>(static_cast<uint64_t>(p->as_int()));  // written signed or unsigned
    // The password as the user password, then as the owner password (qpdf and poppler do both; a document
    // whose owner password is empty protects nothing from a verifier).
    for (bool as_owner : {false, true}) {
      for (size_t len : lengths) {
        std::string user = as_owner ? user_password_from_owner(password, o, static_cast<int>(r), len) : std::string(password);
        h->key_ = key_r2_r4(user, o, p32, id0, static_cast<int>(r), len, h->encrypt_metadata_);
        std::string check = user_check_r2_r4(h->key_, id0, static_cast<int>(r));
        size_t compare = r == 2 ? 32 : 16;
        opened = std::string_view(check).substr(0, compare) == u.substr(0, compare);
        if (opened) break;
      }
      if (opened) {
        h->opened_as_owner_ = as_owner;
        break;
      }
    }
  } else {
    std::string_view o = sized(encrypt, "O", 48, 48);
    std::string_view u = sized(encrypt, "U", 48, 48);
    std::string_view ue = sized(encrypt, "UE", 32, 32);
    std::string_view oe = encrypt.has("OE") ? sized(encrypt, "OE", 32, 32) : std::string_view();
    std::string pw(password.substr(0, 127));
    // Algorithms 2.A/11/12: the user password against /U; then, as qpdf and poppler do, the same password as
    // the owner password against /O (its hashes also cover the 48 bytes of /U), the key then wrapped in /OE.
    auto hash = [&](std::string_view salt, std::string_view udata) {
      return r == 5 ? sha256(pw + std::string(salt) + std::string(udata)) : crypto_detail::hash_2b(pw, salt, udata);
    };
    std::string ikey;
    if (std::string_view(hash(u.substr(32, 8), {})) == u.substr(0, 32)) {
      opened = true;
      ikey = hash(u.substr(40, 8), {});
      h->key_ = aes_raw(EVP_aes_256_cbc(), false, ikey, std::string(16, '\0'), ue);
    } else if (!oe.empty() && std::string_view(hash(o.substr(32, 8), u)) == o.substr(0, 32)) {
      opened = true;
      h->opened_as_owner_ = true;
      ikey = hash(o.substr(40, 8), u);
      h->key_ = aes_raw(EVP_aes_256_cbc(), false, ikey, std::string(16, '\0'), oe);
    }
    if (opened) {
      // /Perms: AES-256-ECB of P (4 bytes LE), 0xFFFFFFFF, 'T' or 'F', "adb", 4 random bytes.
      ObjPtr perms = encrypt.get("Perms");
      ObjPtr p = encrypt.get("P");
      h->perms_match_ = false;
      if (perms && perms->is_string() && perms->as_string().size() >= 16 && p && p->is_int()) {
        std::string d = aes_raw(EVP_aes_256_ecb(), false, h->key_, {}, std::string_view(perms->as_string()).substr(0, 16));
        auto p32 = static_cast<uint32_t>(static_cast<uint64_t>(p->as_int()));
        uint32_t stored = 0;
        for (int i = 0; i < 4; ++i) stored |= static_cast<uint32_t>(static_cast<unsigned char>(d[i])) << (8 * i);
        h->perms_match_ = d.compare(9, 3, "adb") == 0 && stored == p32 && d[8] == (h->encrypt_metadata_ ? 'T' : 'F');
      }
    }
  }
  if (!opened) {
    if (!password.empty()) fail("PDF_ENCRYPTED", "the given password does not open the document");
    fail("PDF_ENCRYPTED", id0.empty() && r <= 4 ? "the document needs a password to open (or lacks its trailer /ID)"
                                                : "the document needs a password to open");
  }
  return h;
}

std::string SecurityHandler::object_key(Ref owner, bool aes) const {
  std::string in = key_;
  for (int i = 0; i < 3; ++i) in += static_cast<char>((owner.num >> (8 * i)) & 0xFF);
  for (int i = 0; i < 2; ++i) in += static_cast<char>((owner.gen >> (8 * i)) & 0xFF);
  if (aes) in += "sAlT";
  return md5(in).substr(0, std::min<size_t>(key_.size() + 5, 16));
}

std::string SecurityHandler::decrypt(const Filter& filter, Ref owner, std::string_view bytes) const {
  if (!filter.unsupported.empty()) unsupported("crypt filter method /" + filter.unsupported + " is not supported");
  switch (filter.method) {
    case Method::none: return std::string(bytes);
    case Method::rc4: return crypto_detail::rc4(object_key(owner, false), bytes);
    case Method::aes128: return crypto_detail::aes_cbc_decrypt(object_key(owner, true), bytes);
    case Method::aes256: return crypto_detail::aes_cbc_decrypt(key_, bytes);
  }
  return std::string(bytes);
}

std::string SecurityHandler::decrypt_string(Ref owner, std::string_view bytes) const {
  return decrypt(str_, owner, bytes);
}

std::string SecurityHandler::decrypt_stream(Ref owner, std::string_view bytes, std::string_view crypt_filter) const {
  if (crypt_filter.empty()) return decrypt(stm_, owner, bytes);
  auto it = filters_.find(crypt_filter);
  if (it == filters_.end())
    fail("PDF_MALFORMED", "a stream names crypt filter /" + std::string(crypt_filter) + " that /CF does not define");
  return decrypt(it->second, owner, bytes);
}

std::string SecurityHandler::describe() const {
  const Filter& main = stm_.method != Method::none ? stm_ : str_;
  std::string s = method_name(main.method, key_.size()) + " (R" + std::to_string(r_) + ")";
  if (stm_.method != str_.method) s += "; strings: " + method_name(str_.method, key_.size()) +
                                       ", streams: " + method_name(stm_.method, key_.size());
  if (opened_as_owner_) s += "; opened with the owner password, the open password being set";
  return s;
}

}  // namespace libsign::pdf
