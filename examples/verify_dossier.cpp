// A portal backend's first use of libsign: verify a dossier, print the verdict and the findings.
// Build: link against libsign (target libsign::libsign).
// Run: verify_dossier FILE.pdf [PROFILES_DIR PROFILE] [AT] [required|optional]
#include <iostream>
#include <string>

#include "libsign/libsign.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: verify_dossier FILE.pdf [PROFILES_DIR PROFILE] [AT] [required|optional]\n";
    return 3;
  }
  libsign::VerifyOptions options;  // default: both Vietnamese PKIs (vn-all), validation time now
  if (argc >= 4) {
    options.profile_dirs = {argv[2]};
    options.trust_profile = argv[3];
  }
  if (argc >= 5) options.at = libsign::parse_time(argv[4]);
  // Revocation: a status is required by default (no TOTAL_PASSED without one, as the command); the
  // library makes no network access unless asked, so look it up online here as the command does.
  options.revocation.online = true;
  if (argc >= 6 && std::string(argv[5]) == "optional") {
    options.revocation.online = false;
    options.revocation.require = false;  // a missing status is only a warning
  }
  try {
    libsign::Verifier verifier(options);  // build once, reuse for every dossier
    libsign::DocumentReport report = verifier.verify_pdf_file(argv[1]);
    std::cout << report.path << ": " << libsign::to_string(report.indication) << "\n";
    for (const auto& sig : report.signatures) {
      std::cout << "  " << sig.id << " " << (sig.signer ? sig.signer->common_name : "?") << ": "
                << libsign::to_string(sig.indication) << " " << libsign::to_string(sig.sub_indication) << "\n";
      for (const auto& f : sig.findings) std::cout << "    " << f.code << " — " << f.message_vi << "\n";
    }
    return report.indication == libsign::Indication::total_passed ? 0 : report.indication == libsign::Indication::total_failed ? 1 : 2;
  } catch (const libsign::Error& e) {
    std::cerr << "error [" << e.code() << "]: " << e.what() << "\n";
    return 3;
  }
}
