// In-process verification throughput: verify the same files N times with one Verifier.
// Usage: bench_verify [--json] [--threads T] [--warm-passes W] [--allow-host HOST]...
//                     [--revocation required|optional] [--revocation-cache DIR] [--no-cross-check]
//                     ITERATIONS PROFILES_DIR PROFILE AT FILE...
//   Each of the T threads (default 1) runs ITERATIONS passes over all FILES with the one shared
//   Verifier (verify calls are const and thread-safe), so the total is T * ITERATIONS * #FILES.
//   Files are read from disk on every call (verify_pdf_file), as a batch job would.
//   Revocation: by default as the library's defaults (no network, a missing status only a
//   warning). --allow-host turns online checking (OCSP, then CRL) on, fetches allowed to HOST only
//   (repeatable); --revocation required makes a missing status INDETERMINATE; --revocation-cache
//   adds the on-disk cache. --warm-passes W runs W untimed passes over all FILES first (with
//   online checking: the cold pass that fills the Verifier's revocation cache).
// Prints one line, or with --json one JSON object, for bench/run.sh:
//   setup_seconds (Verifier construction: trust store), first_seconds (first verify, cold),
//   warm_seconds (the W untimed passes), seconds (the timed loop, after the first call and the
//   warm passes), cpu_seconds (process CPU time, all threads, in that loop: cpu_seconds / seconds =
//   cores actually used), files_per_second, passed/total, and revocation_good: how many reports of
//   the timed loop have every signature's revocation status "good" with the revocation check passed.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "libsign/libsign.hpp"

namespace {
using bench::Clock;
using bench::since;
using bench::cpu_seconds;
// Every signature's revocation status is "good" and its revocation check passed.
bool revocation_good(const libsign::DocumentReport& report) {
  if (report.signatures.empty()) return false;
  for (const auto& sig : report.signatures) {
    if (sig.revocation.status != "good") return false;
    bool passed = false;
    for (const auto& check : sig.checks) passed |= check.step == "revocation" && check.status == libsign::CheckStatus::passed;
    if (!passed) return false;
  }
  return true;
}
}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  int threads = 1, warm_passes = 0;
  libsign::RevocationOptions revocation;  // the library's defaults: offline, a missing status only a warning
  std::string usage_error;
  bool cross_check = true;
  int a = 1;
  for (; a < argc; ++a) {
    std::string arg = argv[a];
    bool has_value = a + 1 < argc;
    if (arg == "--json") {
      json = true;
    } else if (arg == "--threads" && has_value) {
      threads = std::stoi(argv[++a]);
    } else if (arg == "--warm-passes" && has_value) {
      warm_passes = std::stoi(argv[++a]);
    } else if (arg == "--allow-host" && has_value) {
      revocation.online = true;
      revocation.allowed_hosts.emplace_back(argv[++a]);
    } else if (arg == "--revocation" && has_value) {
      std::string v = argv[++a];
      if (v != "required" && v != "optional") usage_error = "--revocation required|optional";
      revocation.require = v == "required";
    } else if (arg == "--revocation-cache" && has_value) {
      revocation.cache_dir = argv[++a];
    } else if (arg == "--no-cross-check") {
      cross_check = false;
    } else {
      break;
    }
  }
  if (argc - a < 5 || threads < 1 || warm_passes < 0 || !usage_error.empty()) {
    std::cerr << "usage: bench_verify [--json] [--threads T] [--warm-passes W] [--allow-host HOST]... "
                 "[--revocation required|optional] [--revocation-cache DIR] [--no-cross-check] ITERATIONS PROFILES_DIR PROFILE AT FILE...\n";
    return 3;
  }
  int iterations = std::stoi(argv[a]);
  libsign::VerifyOptions options;
  options.profile_dirs = {argv[a + 1]};
  options.trust_profile = argv[a + 2];
  options.at = libsign::parse_time(argv[a + 3]);
  options.revocation = revocation;
  options.cross_check = cross_check;
  std::vector<std::string> files(argv + a + 4, argv + argc);

  auto t0 = Clock::now();
  libsign::Verifier verifier(options);
  double setup = since(t0);
  t0 = Clock::now();
  bool first_ok = verifier.verify_pdf_file(files[0]).indication == libsign::Indication::total_passed;
  double first = since(t0);

  // Untimed passes (for online checking: the cold pass, which fills the revocation cache).
  size_t warm_passed = 0, warm_total = 0;
  t0 = Clock::now();
  for (int i = 0; i < warm_passes; ++i) {
    for (const auto& f : files) {
      warm_passed += verifier.verify_pdf_file(f).indication == libsign::Indication::total_passed;
      ++warm_total;
    }
  }
  double warm = since(t0);

  std::atomic<size_t> passed{0}, total{0}, good{0};
  auto work = [&] {
    size_t p = 0, n = 0, g = 0;
    for (int i = 0; i < iterations; ++i) {
      for (const auto& f : files) {
        auto report = verifier.verify_pdf_file(f);
        p += report.indication == libsign::Indication::total_passed;
        g += revocation_good(report);
        ++n;
      }
    }
    passed += p;
    total += n;
    good += g;
  };
  double cpu0 = cpu_seconds();
  auto start = Clock::now();
  if (threads == 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  double seconds = since(start);
  double cpu = cpu_seconds() - cpu0;
  double fps = total / seconds;
  if (json) {
    std::printf(
        "{\"threads\": %d, \"verified\": %zu, \"passed\": %zu, \"seconds\": %.6f, \"files_per_second\": %.1f, "
        "\"cpu_seconds\": %.6f, \"setup_seconds\": %.6f, \"first_seconds\": %.6f, \"first_passed\": %s, "
        "\"online\": %s, \"revocation_required\": %s, \"revocation_good\": %zu, "
        "\"warm_passes\": %d, \"warm_seconds\": %.6f, \"warm_verified\": %zu, \"warm_passed\": %zu}\n",
        threads, total.load(), passed.load(), seconds, fps, cpu, setup, first, first_ok ? "true" : "false",
        revocation.online ? "true" : "false", revocation.require ? "true" : "false", good.load(), warm_passes, warm,
        warm_total, warm_passed);
  } else {
    std::cout << "verified " << total << " passed " << passed << " revocation_good " << good << " seconds " << seconds
              << " files_per_second " << fps << " cpu_seconds " << cpu << " setup_seconds " << setup
              << " first_seconds " << first << " warm_seconds " << warm << "\n";
  }
  return 0;  // bench/run.sh compares passed with verified itself
}
