// Helpers shared by the unit tests: where the sources and fixtures are.
#pragma once
#include <fstream>
#include <sstream>
#include <string>

namespace libsign::test {

inline std::string source_path(const std::string& rel) { return std::string(LIBSIGN_SOURCE_DIR) + "/" + rel; }
// A file of the test PKI (certs-test/pki).
inline std::string pki_file(const std::string& name) { return source_path("certs-test/pki/" + name); }
inline std::string fixture_path(const std::string& name) { return std::string(LIBSIGN_FIXTURES_DIR) + "/" + name; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace libsign::test
