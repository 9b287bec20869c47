// `libsign serve ...`: runs libsign-serve, the HTTP API, found beside this program (or at
// $LIBSIGN_SERVE). The service is its own program because Debian's cpp-httplib exists only as a
// shared library and this command is linked static-pie (cli/serve/README.md).
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <iostream>
#include <vector>

#include "commands.hpp"
#include "error_output.hpp"

namespace libsign::cli {

std::string serve_program() {
  if (const char* env = std::getenv("LIBSIGN_SERVE"); env && *env) return env;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "libsign-serve";
  std::string path(self, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/') + 1) + "libsign-serve";
}

int exec_serve(int argc, char** argv) {
  const std::string program = serve_program();
  std::vector<char*> args;
  args.push_back(const_cast<char*>(program.c_str()));
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(program.c_str(), args.data());
  print_error(std::cerr, "serve", "SERVICE_PROGRAM_MISSING", "cannot run " + program + ": " + std::strerror(errno), requested_lang(argc, argv));
  return kInputError;
}

std::function<int()> add_serve(CLI::App& app) {
  app.add_subcommand("serve", "Run the HTTP API for portals (verify, sign, diagnose; docs/service.md)");
  return [] { return kInputError; };  // main() runs exec_serve before parsing: the options are libsign-serve's
}

}  // namespace libsign::cli
