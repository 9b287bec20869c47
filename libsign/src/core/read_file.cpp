#include "core/read_file.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

namespace libsign::core {

std::string read_file(const std::string& path, const char* what, ErrorCategory category, const char* code) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(category, code, std::string("cannot read the ") + what + " '" + path + "'", errno);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace libsign::core
