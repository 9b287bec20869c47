// libsign — sign and verify dossiers against the Vietnamese CA chains.
#include <cstdlib>
#include <iostream>

#include <openssl/crypto.h>

#include "commands.hpp"
#include "libsign/error.hpp"
#include "libsign/version.hpp"

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
  const std::vector<std::pair<std::string, std::function<int()>>> commands = {
      {"verify", libsign::cli::add_verify(app)},
      {"inspect", libsign::cli::add_inspect(app)},
      {"explain", libsign::cli::add_explain(app)},
      {"sign", libsign::cli::add_sign(app)},
      {"extend", libsign::cli::add_extend(app)},
      {"tokens", libsign::cli::add_tokens(app)},
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : libsign::cli::kInputError;
  }
  try {
    for (const auto& [name, run] : commands)
      if (app.got_subcommand(name)) return run();
  } catch (const libsign::Error& e) {
    std::cerr << "libsign: error [" << e.code() << "]: " << e.what() << "\n";
    return e.category() == libsign::ErrorCategory::network ? libsign::cli::kNetworkError : libsign::cli::kInputError;
  } catch (const std::exception& e) {
    std::cerr << "libsign: unexpected error: " << e.what() << "\n";
    return libsign::cli::kInputError;
  }
  return libsign::cli::kInputError;
}

}  // namespace
