// Signing through a PKCS#11 token (SoftHSM2 in the benchmark) against the same key from a PKCS#12 file,
// in one process: the signature rate of sign_pdf and of Signer::sign alone for each signer.
// Usage: bench_token [--json] [--reverse] [--passes P] [--signer-seconds S] [--chain FILE] [--write FILE]
//                    [--verify PROFILES_DIR PROFILE AT]
//                    MODULE TOKEN_LABEL KEY_LABEL PIN_FILE P12 PASSWORD_FILE FILE...
//   Both signers are loaded once; --chain (repeatable) gives the token signer the CA certificates that
//   the .p12 carries, and both must then embed the same certificates (the same output size). Then four blocks run once each, in this order (reversed with --reverse; the harness
//   alternates it between rounds):
//     token_signer  Signer::sign(4,000 bytes, "sha256") on the token signer for S seconds (default 0.5)
//     p12_signer    the same with the .p12 signer
//     raw_token     the module called directly, in this process, without libsign: its own session on
//                   the same token (logged in already: PKCS#11 login state is per application), the
//                   same key, C_SignInit + C_Sign(CKM_SHA256_RSA_PKCS) over the same 4,000 bytes, S s
//     token_pdf     P passes (default 50) of sign_pdf(bytes, token signer, B-B) over every FILE
//     p12_pdf       the same with the .p12 signer
//   The signing time is fixed (2026-06-15T09:00:00Z) so that outputs verify at a fixed --at.
//   --write FILE   write the token signer's output for the first file there (the harness checks it with
//                  `libsign verify` and pdfsig)
//   --verify ...   after timing, verify every output of the last pass of token_pdf and of p12_pdf
//                  in-process (untimed); all must be TOTAL_PASSED
// Prints one line, or with --json one JSON object, for bench/compare.py.
#include <dlfcn.h>
#include <sys/resource.h>

#if __has_include(<p11-kit/pkcs11.h>)
#include <p11-kit/pkcs11.h>
#else
#include <p11-kit-1/p11-kit/pkcs11.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "libsign/libsign.hpp"
#include "libsign/pkcs11.hpp"

namespace {
using bench::Clock;
using bench::since;
using bench::cpu_seconds;
using bench::read_file;
void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: CK_RV " + std::to_string(rv));
}
struct Block {
  size_t ops = 0;
  double seconds = 0, cpu = 0;
  double rate() const { return ops / seconds; }
};
}  // namespace

int main(int argc, char** argv) try {
  bool json = false, reverse = false;
  int passes = 50;
  double signer_seconds = 0.5;
  std::string write_path;
  std::vector<std::string> verify_args, chain;
  int a = 1;
  for (; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--reverse") {
      reverse = true;
    } else if (arg == "--passes" && a + 1 < argc) {
      passes = std::stoi(argv[++a]);
    } else if (arg == "--signer-seconds" && a + 1 < argc) {
      signer_seconds = std::stod(argv[++a]);
    } else if (arg == "--chain" && a + 1 < argc) {
      chain.push_back(argv[++a]);
    } else if (arg == "--write" && a + 1 < argc) {
      write_path = argv[++a];
    } else if (arg == "--verify" && a + 3 < argc) {
      verify_args = {argv[a + 1], argv[a + 2], argv[a + 3]};
      a += 3;
    } else {
      break;
    }
  }
  if (argc - a < 7 || passes < 1) {
    std::cerr << "usage: bench_token [--json] [--reverse] [--passes P] [--signer-seconds S] [--chain FILE] [--write FILE] "
                 "[--verify PROFILES_DIR PROFILE AT] MODULE TOKEN_LABEL KEY_LABEL PIN_FILE P12 PASSWORD_FILE FILE...\n";
    return 3;
  }
  libsign::Pkcs11Options p11;
  p11.module_path = argv[a];
  p11.token_label = argv[a + 1];
  p11.key_label = argv[a + 2];
  p11.chain_paths = chain;
  std::string pin_file = argv[a + 3], p12 = argv[a + 4], password_file = argv[a + 5];
  std::vector<std::string> inputs;
  for (int i = a + 6; i < argc; ++i) inputs.push_back(read_file(argv[i]));

  auto t0 = Clock::now();
  auto token = libsign::load_pkcs11_signer(p11, libsign::Secret::from_file(pin_file));
  double token_load = since(t0);
  t0 = Clock::now();
  auto key_file = libsign::load_pkcs12_signer(p12, libsign::Secret::from_file(password_file));
  double p12_load = since(t0);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (token->certificates().empty() || token->certificates()[0] != key_file->certificates()[0] ||
      sorted(token->certificates()) != sorted(key_file->certificates()))
    throw std::runtime_error("the token signer and the .p12 signer do not carry the same certificates");

  libsign::SignOptions options;
  options.level = libsign::PadesLevel::b_b;
  options.signing_time = libsign::parse_time("2026-06-15T09:00:00Z");

  // First signature of each signer, untimed in the blocks (reported).
  t0 = Clock::now();
  std::string first_out = libsign::sign_pdf(inputs[0], *token, options);
  double token_first = since(t0);
  t0 = Clock::now();
  std::string p12_first_out = libsign::sign_pdf(inputs[0], *key_file, options);
  double p12_first = since(t0);
  if (!write_path.empty()) {
    std::ofstream out(write_path, std::ios::binary);
    out << first_out;
    if (!out) throw std::runtime_error("cannot write " + write_path);
  }

  std::map<std::string, Block> blocks;
  std::map<std::string, std::vector<std::string>> last;  // outputs of the last pass, per signer
  size_t output_bytes_token = 0, output_bytes_p12 = 0;
  auto signer_loop = [&](const libsign::Signer& signer) {
    std::string probe(4000, 'x');
    Block b;
    double cpu0 = cpu_seconds();
    auto start = Clock::now();
    do {
      for (int i = 0; i < 50; ++i, ++b.ops) {
        probe[0] = static_cast<char>(b.ops);
        if (signer.sign(probe, "sha256").empty()) throw std::runtime_error("empty signature");
      }
      b.seconds = since(start);
    } while (b.seconds < signer_seconds);
    b.cpu = cpu_seconds() - cpu0;
    return b;
  };
  auto pdf_loop = [&](const libsign::Signer& signer, std::vector<std::string>& outs, size_t& bytes) {
    Block b;
    outs.assign(inputs.size(), {});
    double cpu0 = cpu_seconds();
    auto start = Clock::now();
    for (int i = 0; i < passes; ++i) {
      for (size_t k = 0; k < inputs.size(); ++k, ++b.ops) {
        std::string out = libsign::sign_pdf(inputs[k], signer, options);
        bytes += out.size();
        if (i == passes - 1) outs[k] = std::move(out);
      }
    }
    b.seconds = since(start);
    b.cpu = cpu_seconds() - cpu0;
    return b;
  };
  // The module as libsign loaded it (same handle, already initialised): a session of our own.
  void* lib = dlopen(p11.module_path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (!lib) throw std::runtime_error("the module is not loaded in this process");
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
  CK_FUNCTION_LIST* f = nullptr;
  check(get_list ? get_list(&f) : CKR_GENERAL_ERROR, "C_GetFunctionList");
  CK_SESSION_HANDLE h = 0;
  CK_OBJECT_HANDLE raw_key = 0;
  {
    CK_ULONG n = 0;
    check(f->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(n);
    check(f->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
    slots.resize(n);
    for (CK_SLOT_ID s : slots) {
      CK_TOKEN_INFO info{};
      if (f->C_GetTokenInfo(s, &info) != CKR_OK) continue;
      std::string label(reinterpret_cast<char*>(info.label), sizeof info.label);
      label.erase(label.find_last_not_of(' ') + 1);
      if (label != p11.token_label) continue;
      check(f->C_OpenSession(s, CKF_SERIAL_SESSION, nullptr, nullptr, &h), "C_OpenSession");
      break;
    }
    if (!h) throw std::runtime_error("no token labelled " + p11.token_label);
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                           {CKA_LABEL, p11.key_label.data(), static_cast<CK_ULONG>(p11.key_label.size())}};
    CK_ULONG count = 0;
    check(f->C_FindObjectsInit(h, tmpl, 2), "C_FindObjectsInit");  // fails if the login did not carry over
    check(f->C_FindObjects(h, &raw_key, 1, &count), "C_FindObjects");
    f->C_FindObjectsFinal(h);
    if (count != 1) throw std::runtime_error("the private key is not visible to a second session");
  }
  std::string raw_signature;
  auto raw_loop = [&] {
    std::string probe(4000, 'x');
    std::vector<unsigned char> sig(1024);
    CK_MECHANISM mechanism{CKM_SHA256_RSA_PKCS, nullptr, 0};
    Block b;
    double cpu0 = cpu_seconds();
    auto start = Clock::now();
    CK_ULONG len = 0;
    do {
      for (int i = 0; i < 50; ++i, ++b.ops) {
        probe[0] = static_cast<char>(b.ops);
        check(f->C_SignInit(h, &mechanism, raw_key), "C_SignInit");
        len = sig.size();
        check(f->C_Sign(h, reinterpret_cast<CK_BYTE_PTR>(probe.data()), probe.size(), sig.data(), &len), "C_Sign");
      }
      b.seconds = since(start);
    } while (b.seconds < signer_seconds);
    b.cpu = cpu_seconds() - cpu0;
    raw_signature.assign(reinterpret_cast<char*>(sig.data()), len);
    // The same bytes through libsign's signer must give the same signature (PKCS#1 v1.5 is deterministic).
    if (raw_signature != token->sign(probe, "sha256")) throw std::runtime_error("raw and libsign signatures differ");
    return b;
  };

  std::vector<std::pair<std::string, std::function<Block()>>> plan = {
      {"raw_token", raw_loop},
      {"token_signer", [&] { return signer_loop(*token); }},
      {"p12_signer", [&] { return signer_loop(*key_file); }},
      {"token_pdf", [&] { return pdf_loop(*token, last["token"], output_bytes_token); }},
      {"p12_pdf", [&] { return pdf_loop(*key_file, last["p12"], output_bytes_p12); }},
  };
  if (reverse) std::reverse(plan.begin(), plan.end());
  for (auto& [name, run] : plan) blocks[name] = run();
  f->C_CloseSession(h);  // the module stays initialised and logged in for libsign's session

  // Untimed: every output of the last pass must verify (a fast but broken signer must not win).
  long verified = -1, passed = -1;
  if (!verify_args.empty()) {
    libsign::VerifyOptions vo;
    vo.profile_dirs = {verify_args[0]};
    vo.trust_profile = verify_args[1];
    vo.at = libsign::parse_time(verify_args[2]);
    libsign::Verifier verifier(vo);
    verified = passed = 0;
    for (const auto* outs : {&last["token"], &last["p12"]})
      for (const auto& out : *outs) {
        ++verified;
        passed += verifier.verify_pdf(out).indication == libsign::Indication::total_passed;
      }
  }

  size_t pdf_ops = blocks["token_pdf"].ops;
  if (json) {
    std::printf("{\"files\": %zu, \"passes\": %d, \"certificates\": %zu, \"token_load_seconds\": %.6f, "
                "\"p12_load_seconds\": %.6f, \"token_first_seconds\": %.6f, \"p12_first_seconds\": %.6f, "
                "\"token_output_bytes_mean\": %.1f, \"p12_output_bytes_mean\": %.1f, \"verified\": %ld, \"passed\": %ld",
                inputs.size(), passes, token->certificates().size(), token_load, p12_load, token_first, p12_first,
                double(output_bytes_token) / pdf_ops, double(output_bytes_p12) / pdf_ops, verified, passed);
    for (const auto& [name, b] : blocks)
      std::printf(", \"%s\": {\"ops\": %zu, \"seconds\": %.6f, \"cpu_seconds\": %.6f, \"per_second\": %.1f}",
                  name.c_str(), b.ops, b.seconds, b.cpu, b.rate());
    std::printf("}\n");
  } else {
    for (const auto& [name, b] : blocks) std::cout << name << " " << b.rate() << "/s  ";
    std::cout << "token_load " << token_load << " s  p12_load " << p12_load << " s  verified " << verified
              << " passed " << passed << "\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_token: " << e.what() << "\n";
  return 2;
}
