// In-process signing throughput: sign the same PDFs N times, memory to memory, with one Signer
// (the PKCS#12 key loaded once), and the raw RSA/ECDSA signing rate of the same key for comparison.
// Usage: bench_sign [--json] [--threads T] [--write FILE] [--verify PROFILES_DIR PROFILE AT]
//                   ITERATIONS P12 PASSWORD_FILE KEY_PEM FILE...
//   Every FILE (unsigned PDFs) is read into memory once. Each of the T threads (default 1) then
//   runs ITERATIONS passes of libsign::sign_pdf(bytes, signer, B-B) over all of them, sharing the
//   one Signer; total = T * ITERATIONS * #FILES signatures. The signing time is fixed
//   (2026-06-15T09:00:00Z) so that outputs verify at a fixed --at.
//   KEY_PEM (the same key as in P12, PEM) is used for the baseline: a loop of EVP_DigestSign
//   (SHA-256 + the private-key operation) over 32 bytes, the floor a signer cannot go below.
//   --write FILE   write the first file's signed output there (the harness runs `libsign verify`)
//   --verify ...   after timing, verify every output of the last pass in-process (untimed)
// Prints one line, or with --json one JSON object, for bench/compare.py.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "libsign/libsign.hpp"

namespace {
using bench::Clock;
using bench::since;
using bench::cpu_seconds;
using bench::read_file;

// Raw signatures per second of the key in `pem_path`: EVP_DigestSign(SHA-256) over 32 bytes, for
// about `seconds` seconds. One thread.
double evp_signs_per_second(const std::string& pem_path, double seconds, size_t* signature_size) {
  FILE* f = std::fopen(pem_path.c_str(), "r");
  if (!f) throw std::runtime_error("cannot read " + pem_path);
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!key) throw std::runtime_error("cannot parse " + pem_path);
  unsigned char data[32] = {1, 2, 3};
  std::vector<unsigned char> sig(EVP_PKEY_get_size(key));
  size_t n = 0;
  auto start = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 50; ++i) {
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      size_t len = sig.size();
      if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
          EVP_DigestSign(ctx, sig.data(), &len, data, sizeof data) != 1)
        throw std::runtime_error("EVP_DigestSign failed");
      EVP_MD_CTX_free(ctx);
      *signature_size = len;
      data[0] = static_cast<unsigned char>(++n);
    }
    elapsed = since(start);
  } while (elapsed < seconds);
  EVP_PKEY_free(key);
  return n / elapsed;
}
}  // namespace

int main(int argc, char** argv) try {
  bool json = false;
  int threads = 1;
  std::string write_path;
  std::vector<std::string> verify_args;
  int a = 1;
  for (; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--threads" && a + 1 < argc) {
      threads = std::stoi(argv[++a]);
    } else if (arg == "--write" && a + 1 < argc) {
      write_path = argv[++a];
    } else if (arg == "--verify" && a + 3 < argc) {
      verify_args = {argv[a + 1], argv[a + 2], argv[a + 3]};
      a += 3;
    } else {
      break;
    }
  }
  if (argc - a < 5 || threads < 1) {
    std::cerr << "usage: bench_sign [--json] [--threads T] [--write FILE] [--verify PROFILES_DIR PROFILE AT] "
                 "ITERATIONS P12 PASSWORD_FILE KEY_PEM FILE...\n";
    return 3;
  }
  int iterations = std::stoi(argv[a]);
  std::string p12 = argv[a + 1], password_file = argv[a + 2], key_pem = argv[a + 3];
  std::vector<std::string> inputs;
  size_t input_bytes = 0;
  for (int i = a + 4; i < argc; ++i) {
    inputs.push_back(read_file(argv[i]));
    input_bytes += inputs.back().size();
  }

  auto t0 = Clock::now();
  auto signer = libsign::load_pkcs12_signer(p12, libsign::Secret::from_file(password_file));
  double load = since(t0);

  libsign::SignOptions options;
  options.level = libsign::PadesLevel::b_b;
  options.signing_time = libsign::parse_time("2026-06-15T09:00:00Z");

  // The key operation alone, through libsign's Signer (what sign_pdf asks of it), 0.5 s.
  std::string probe(4000, 'x');
  size_t signer_ops = 0;
  t0 = Clock::now();
  double signer_elapsed = 0;
  do {
    for (int i = 0; i < 50; ++i, ++signer_ops) {
      probe[0] = static_cast<char>(signer_ops);
      if (signer->sign(probe, "sha256").empty()) throw std::runtime_error("empty signature");
    }
    signer_elapsed = since(t0);
  } while (signer_elapsed < 0.5);
  double signer_per_second = signer_ops / signer_elapsed;

  // The same key through plain OpenSSL EVP, 1 s.
  size_t raw_size = 0;
  double evp_per_second = evp_signs_per_second(key_pem, 1.0, &raw_size);

  t0 = Clock::now();
  std::string first_out = libsign::sign_pdf(inputs[0], *signer, options);
  double first = since(t0);
  if (!write_path.empty()) {
    std::ofstream out(write_path, std::ios::binary);
    out << first_out;
    if (!out) throw std::runtime_error("cannot write " + write_path);
  }

  std::atomic<size_t> total{0}, output_bytes{0};
  std::vector<std::string> last(inputs.size());  // outputs of the last pass of thread 0
  auto work = [&](int id) {
    size_t n = 0, bytes = 0;
    for (int i = 0; i < iterations; ++i) {
      for (size_t k = 0; k < inputs.size(); ++k) {
        std::string out = libsign::sign_pdf(inputs[k], *signer, options);
        bytes += out.size();
        ++n;
        if (id == 0 && i == iterations - 1) last[k] = std::move(out);
      }
    }
    total += n;
    output_bytes += bytes;
  };
  double cpu0 = cpu_seconds();
  auto start = Clock::now();
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (auto& t : pool) t.join();
  }
  double seconds = since(start);
  double cpu = cpu_seconds() - cpu0;
  double sps = total / seconds;

  // Untimed: every output of the last pass must verify (a fast but broken signer must not win).
  long verified = -1, passed = -1;
  if (!verify_args.empty()) {
    libsign::VerifyOptions vo;
    vo.profile_dirs = {verify_args[0]};
    vo.trust_profile = verify_args[1];
    vo.at = libsign::parse_time(verify_args[2]);
    libsign::Verifier verifier(vo);
    verified = passed = 0;
    for (const auto& out : last) {
      ++verified;
      passed += verifier.verify_pdf(out).indication == libsign::Indication::total_passed;
    }
  }

  if (json) {
    std::printf(
        "{\"threads\": %d, \"signed\": %zu, \"seconds\": %.6f, \"signatures_per_second\": %.1f, "
        "\"cpu_seconds\": %.6f, \"load_seconds\": %.6f, \"first_seconds\": %.6f, "
        "\"signer_sign_per_second\": %.1f, \"evp_sign_per_second\": %.1f, \"signature_bytes\": %zu, "
        "\"input_bytes_mean\": %.1f, \"output_bytes_mean\": %.1f, \"verified\": %ld, \"passed\": %ld}\n",
        threads, total.load(), seconds, sps, cpu, load, first, signer_per_second, evp_per_second, raw_size,
        double(input_bytes) / inputs.size(), double(output_bytes) / total, verified, passed);
  } else {
    std::cout << "signed " << total << " seconds " << seconds << " signatures_per_second " << sps << " cpu_seconds "
              << cpu << " load_seconds " << load << " first_seconds " << first << " signer_sign_per_second "
              << signer_per_second << " evp_sign_per_second " << evp_per_second << " verified " << verified
              << " passed " << passed << "\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_sign: " << e.what() << "\n";
  return 2;
}
