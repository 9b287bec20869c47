// In-process verification throughput: verify the same files N times with one Verifier.
// Usage: bench_verify [--json] [--threads T] ITERATIONS PROFILES_DIR PROFILE AT FILE...
//   Each of the T threads (default 1) runs ITERATIONS passes over all FILES with the one shared
//   Verifier (verify calls are const and thread-safe), so the total is T * ITERATIONS * #FILES.
//   Files are read from disk on every call (verify_pdf_file), as a batch job would.
// Prints one line, or with --json one JSON object, for bench/run.sh:
//   setup_seconds (Verifier construction: trust store), first_seconds (first verify, cold),
//   seconds (the timed loop, after the first call), cpu_seconds (process CPU time, all threads, in
//   that loop: cpu_seconds / seconds = cores actually used), files_per_second, passed/total.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "libsign/libsign.hpp"

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
// CPU time (user + system) of the whole process, all threads.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  int threads = 1;
  int a = 1;
  for (; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--threads" && a + 1 < argc) {
      threads = std::stoi(argv[++a]);
    } else {
      break;
    }
  }
  if (argc - a < 5 || threads < 1) {
    std::cerr << "usage: bench_verify [--json] [--threads T] ITERATIONS PROFILES_DIR PROFILE AT FILE...\n";
    return 3;
  }
  int iterations = std::stoi(argv[a]);
  libsign::VerifyOptions options;
  options.profile_dirs = {argv[a + 1]};
  options.trust_profile = argv[a + 2];
  options.at = libsign::parse_time(argv[a + 3]);
  std::vector<std::string> files(argv + a + 4, argv + argc);

  auto t0 = Clock::now();
  libsign::Verifier verifier(options);
  double setup = since(t0);
  t0 = Clock::now();
  bool first_ok = verifier.verify_pdf_file(files[0]).indication == libsign::Indication::total_passed;
  double first = since(t0);

  std::atomic<size_t> passed{0}, total{0};
  auto work = [&] {
    size_t p = 0, n = 0;
    for (int i = 0; i < iterations; ++i) {
      for (const auto& f : files) {
        auto report = verifier.verify_pdf_file(f);
        p += report.indication == libsign::Indication::total_passed;
        ++n;
      }
    }
    passed += p;
    total += n;
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
        "\"cpu_seconds\": %.6f, \"setup_seconds\": %.6f, \"first_seconds\": %.6f, \"first_passed\": %s}\n",
        threads, total.load(), passed.load(), seconds, fps, cpu, setup, first, first_ok ? "true" : "false");
  } else {
    std::cout << "verified " << total << " passed " << passed << " seconds " << seconds << " files_per_second "
              << fps << " cpu_seconds " << cpu << " setup_seconds " << setup << " first_seconds " << first << "\n";
  }
  return 0;  // bench/run.sh compares passed with verified itself
}
