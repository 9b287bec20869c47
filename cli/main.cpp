// libsign — sign and verify dossiers against the Vietnamese CA chains.
#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <iostream>

#include <openssl/crypto.h>

#include "commands.hpp"
#include "error_output.hpp"
#include "libsign/error.hpp"
#include "libsign/version.hpp"
#include "one_value_options.hpp"
#include "usage_checks.hpp"

namespace {

// Leaves without running static destructors and OpenSSL's at-exit cleanup: a one-shot command
// has nothing to release that the kernel does not, and the cleanup costs a noticeable part of a run.
[[noreturn]] void finish(int status) {
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(status);
}

int run(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) {
  // Verification needs no settings from openssl.cnf; not reading it saves start-up time and keeps
  // results independent of the machine's OpenSSL configuration.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
  finish(run(argc, argv));
}

namespace {

int run(int argc, char** argv) {
  CLI::App app{"libsign: sign and verify PDF dossiers against the Vietnamese CA chains, and explain failures"};
  app.set_version_flag("--version", libsign::version);
  app.require_subcommand(1);
  // Building every subcommand's options costs about half a millisecond; a one-shot run needs only
  // the one it names. The others are still listed (with their descriptions) by `libsign --help`.
  using Adder = std::function<int()> (*)(CLI::App&);
  const std::vector<std::tuple<std::string, Adder, const char*>> table = {
      {"verify", libsign::cli::add_verify, "Verify every signature of PDF dossiers"},
      {"inspect", libsign::cli::add_inspect, "Show the signature structure of a PDF (no verdict)"},
      {"explain", libsign::cli::add_explain, "Explain a finding or error code (English and Vietnamese)"},
      {"sign", libsign::cli::add_sign, "Sign a PDF dossier (PAdES B-B, B-T, B-LT, B-LTA)"},
      {"extend", libsign::cli::add_extend, "Upgrade a signed dossier to B-LT or B-LTA"},
      {"recover", libsign::cli::add_recover, "Rebuild the signed original of a file damaged in transit"},
      {"tokens", libsign::cli::add_tokens, "List the tokens a PKCS#11 module sees"},
      {"diagnose", libsign::cli::add_diagnose, "Diagnose a whole archive: which signature errors recur, where, what to do"},
      {"serve", libsign::cli::add_serve, "Run the HTTP API for portals (verify, sign, diagnose)"},
  };
  const std::string lang = libsign::cli::requested_lang(argc, argv);
  const std::string named = argc > 1 ? argv[1] : "";
  if (named == "serve") return libsign::cli::exec_serve(argc, argv);  // its options are libsign-serve's
  const bool known = std::any_of(table.begin(), table.end(), [&](const auto& t) { return std::get<0>(t) == named; });
  if (!known && !named.empty() && named[0] != '-') {  // "libsign verfy": say so, and suggest
    std::vector<std::string> names;
    for (const auto& t : table) names.push_back(std::get<0>(t));
    const auto problem = libsign::cli::unknown_command(named, names);
    libsign::cli::print_error(std::cerr, "", problem.code, problem.detail, lang);
    return libsign::cli::kInputError;
  }
  std::vector<std::pair<std::string, std::function<int()>>> commands;
  for (const auto& [name, add, description] : table) {
    if (!known || name == named) commands.emplace_back(name, add(app));
    else app.add_subcommand(name, description);
  }
  libsign::cli::one_value_per_occurrence(app);
  if (known) {  // typing mistakes in options, and values that are really the next option or an input file
    const std::vector<std::string> rest(argv + 2, argv + argc);
    if (auto problem = libsign::cli::check_arguments(app, *app.get_subcommand(named), rest)) {
      libsign::cli::print_error(std::cerr, named, problem->code, problem->detail, lang);
      return libsign::cli::kInputError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    libsign::cli::print_error(std::cerr, named, "USAGE_INVALID", e.what(), lang);
    return libsign::cli::kInputError;
  }
  try {
    for (const auto& [name, run] : commands)
      if (app.got_subcommand(name)) return run();
  } catch (const libsign::Error& e) {
    libsign::cli::print_error(std::cerr, "", e.code(), e.what(), lang);
    return e.category() == libsign::ErrorCategory::network ? libsign::cli::kNetworkError : libsign::cli::kInputError;
  } catch (const std::exception& e) {
    std::cerr << "libsign: unexpected error: " << e.what() << "\n";
    return libsign::cli::kInputError;
  }
  return libsign::cli::kInputError;
}

}  // namespace
