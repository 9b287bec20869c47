// In-process verification throughput: verify the same files N times with one Verifier.
// Usage: bench_verify ITERATIONS PROFILES_DIR PROFILE AT FILE...
// Prints: files_per_second and the total, for bench/run.sh to put beside the peer's numbers.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "libsign/libsign.hpp"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: bench_verify ITERATIONS PROFILES_DIR PROFILE AT FILE...\n";
    return 3;
  }
  int iterations = std::stoi(argv[1]);
  libsign::VerifyOptions options;
  options.profile_dirs = {argv[2]};
  options.trust_profile = argv[3];
  options.at = libsign::parse_time(argv[4]);
  std::vector<std::string> files(argv + 5, argv + argc);
  libsign::Verifier verifier(options);
  size_t passed = 0, total = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    for (const auto& f : files) {
      auto report = verifier.verify_pdf_file(f);
      passed += report.indication == libsign::Indication::total_passed;
      ++total;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "verified " << total << " passed " << passed << " seconds " << seconds << " files_per_second "
            << (total / seconds) << "\n";
  return 0;
}
