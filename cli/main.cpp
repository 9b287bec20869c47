// libsign — sign and verify dossiers against the Vietnamese CA chains.
#include <iostream>

#include "commands.hpp"
#include "libsign/error.hpp"
#include "libsign/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"libsign: verify signed PDF dossiers against the Vietnamese CA chains and explain failures"};
  app.set_version_flag("--version", libsign::version);
  app.require_subcommand(1);
  const std::vector<std::pair<std::string, std::function<int()>>> commands = {
      {"verify", libsign::cli::add_verify(app)},
      {"inspect", libsign::cli::add_inspect(app)},
      {"explain", libsign::cli::add_explain(app)},
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
    return libsign::cli::kInputError;
  } catch (const std::exception& e) {
    std::cerr << "libsign: unexpected error: " << e.what() << "\n";
    return libsign::cli::kInputError;
  }
  return libsign::cli::kInputError;
}
