// The PKCS#11 module's own signing rate, without libsign: dlopen the module, log in, find the private
// key by label, then C_SignInit + C_Sign(CKM_SHA256_RSA_PKCS) in a tight loop. The floor that
// libsign's PKCS#11 signer (bench_token) cannot go below; bench/compare.py runs both, interleaved.
// Links OpenSSL only (to check the signatures), not libsign.
// Usage: bench_p11_raw [--json] [--seconds S] [--data-bytes N] MODULE TOKEN_LABEL KEY_LABEL PIN_FILE CERT_PEM
//   Signs N bytes (default 4000, as bench_token's Signer::sign loop; a byte changes every signature)
//   for about S seconds (default 1). C_SignInit and C_Sign are timed separately too. The signature of
//   the last call and one of every 100 are checked against CERT_PEM (untimed; all must verify).
// Prints one line, or with --json one JSON object, for bench/compare.py.
#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#if __has_include(<p11-kit/pkcs11.h>)
#include <p11-kit/pkcs11.h>
#else
#include <p11-kit-1/p11-kit/pkcs11.h>
#endif

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.hpp"

namespace {
using bench::Clock;
using bench::since;

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " failed: CK_RV 0x%lx", static_cast<unsigned long>(rv));
    throw std::runtime_error(std::string(what) + buf);
  }
}

std::string trim(const unsigned char* p, size_t n) {
  std::string s(reinterpret_cast<const char*>(p), n);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

bool verifies(EVP_PKEY* key, const std::string& data, const unsigned char* sig, size_t len) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, sig, len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}
}  // namespace

int main(int argc, char** argv) try {
  bool json = false;
  double seconds = 1.0;
  size_t data_bytes = 4000;
  int a = 1;
  for (; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--seconds" && a + 1 < argc) {
      seconds = std::stod(argv[++a]);
    } else if (arg == "--data-bytes" && a + 1 < argc) {
      data_bytes = std::stoul(argv[++a]);
    } else {
      break;
    }
  }
  if (argc - a != 5) {
    std::cerr << "usage: bench_p11_raw [--json] [--seconds S] [--data-bytes N] MODULE TOKEN_LABEL KEY_LABEL PIN_FILE CERT_PEM\n";
    return 3;
  }
  std::string module = argv[a], token_label = argv[a + 1], key_label = argv[a + 2];
  std::string pin;
  {
    std::ifstream in(argv[a + 3]);
    if (!in || !std::getline(in, pin)) throw std::runtime_error("cannot read the PIN file");
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
  }
  EVP_PKEY* public_key = nullptr;
  {
    FILE* f = std::fopen(argv[a + 4], "r");
    if (!f) throw std::runtime_error("cannot read the certificate");
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!cert) throw std::runtime_error("cannot parse the certificate");
    public_key = X509_get_pubkey(cert);
    X509_free(cert);
  }

  auto t0 = Clock::now();
  void* lib = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) throw std::runtime_error(std::string("dlopen: ") + dlerror());
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
  if (!get_list) throw std::runtime_error("no C_GetFunctionList in the module");
  CK_FUNCTION_LIST* f = nullptr;
  check(get_list(&f), "C_GetFunctionList");
  CK_C_INITIALIZE_ARGS init{};
  init.flags = CKF_OS_LOCKING_OK;
  check(f->C_Initialize(&init), "C_Initialize");

  CK_ULONG n = 0;
  check(f->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(n);
  check(f->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
  slots.resize(n);
  CK_SLOT_ID slot = 0;
  bool found = false;
  for (CK_SLOT_ID s : slots) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(s, &info) == CKR_OK && trim(info.label, sizeof info.label) == token_label) {
      slot = s;
      found = true;
      break;
    }
  }
  if (!found) throw std::runtime_error("no token labelled " + token_label);
  CK_SESSION_HANDLE h = 0;
  check(f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &h), "C_OpenSession");
  check(f->C_Login(h, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(pin.data()), pin.size()), "C_Login");

  CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                         {CKA_LABEL, key_label.data(), static_cast<CK_ULONG>(key_label.size())}};
  check(f->C_FindObjectsInit(h, tmpl, 2), "C_FindObjectsInit");
  CK_OBJECT_HANDLE key = 0;
  CK_ULONG count = 0;
  check(f->C_FindObjects(h, &key, 1, &count), "C_FindObjects");
  f->C_FindObjectsFinal(h);
  if (count != 1) throw std::runtime_error("no private key labelled " + key_label);
  double open_seconds = since(t0);

  std::string data(data_bytes, 'x');
  std::vector<unsigned char> sig(1024);
  CK_MECHANISM mechanism{CKM_SHA256_RSA_PKCS, nullptr, 0};
  size_t ops = 0, checked = 0, good = 0, sig_len = 0;
  double init_seconds = 0, sign_seconds = 0;
  auto sign_one = [&] {
    data[0] = static_cast<char>(ops);
    auto a0 = Clock::now();
    check(f->C_SignInit(h, &mechanism, key), "C_SignInit");
    auto a1 = Clock::now();
    CK_ULONG len = sig.size();
    check(f->C_Sign(h, reinterpret_cast<CK_BYTE_PTR>(data.data()), data.size(), sig.data(), &len), "C_Sign");
    auto a2 = Clock::now();
    init_seconds += std::chrono::duration<double>(a1 - a0).count();
    sign_seconds += std::chrono::duration<double>(a2 - a1).count();
    sig_len = len;
    ++ops;
  };
  for (int i = 0; i < 20; ++i) sign_one();  // warm-up
  ops = 0;
  init_seconds = sign_seconds = 0;
  auto start = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 50; ++i) {
      sign_one();
      if (ops % 100 == 0) {  // untimed check (a fast but broken signer must not win)
        auto c0 = Clock::now();
        ++checked;
        good += verifies(public_key, data, sig.data(), sig_len);
        start += Clock::now() - c0;
      }
    }
    elapsed = since(start);
  } while (elapsed < seconds);
  ++checked;
  good += verifies(public_key, data, sig.data(), sig_len);

  f->C_Logout(h);
  f->C_CloseSession(h);
  f->C_Finalize(nullptr);
  EVP_PKEY_free(public_key);

  double rate = ops / elapsed;
  if (json) {
    std::printf(
        "{\"signed\": %zu, \"seconds\": %.6f, \"signatures_per_second\": %.1f, \"sign_init_us\": %.2f, "
        "\"sign_us\": %.2f, \"open_seconds\": %.6f, \"signature_bytes\": %zu, \"data_bytes\": %zu, "
        "\"checked\": %zu, \"verified\": %zu}\n",
        ops, elapsed, rate, init_seconds / ops * 1e6, sign_seconds / ops * 1e6, open_seconds, sig_len, data_bytes,
        checked, good);
  } else {
    std::cout << "signed " << ops << " seconds " << elapsed << " signatures_per_second " << rate << " sign_init_us "
              << init_seconds / ops * 1e6 << " sign_us " << sign_seconds / ops * 1e6 << " checked " << checked
              << " verified " << good << "\n";
  }
  return good == checked ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bench_p11_raw: " << e.what() << "\n";
  return 2;
}
