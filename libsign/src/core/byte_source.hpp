// The bytes of a document: a view for parsing and, when it is a file, the open descriptor, so that
// large signed ranges are hashed with pread() in chunks instead of through the memory map. Pages read
// through the map stay in the process's resident set; a 100 MB dossier would cost 100 MB of memory.
#pragma once
#include <string_view>

namespace libsign::core {

struct ByteSource {
  std::string_view bytes;
  int fd = -1;  // -1: memory only
};

}  // namespace libsign::core
