// A read-only memory map of a whole file: the verifier hashes straight from it, never copying.
#pragma once
#include <string>
#include <string_view>

namespace libsign::core {

class MappedFile {
 public:
  // Throws Error(io, INPUT_UNREADABLE) with errno as native code.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  int fd() const { return fd_; }  // stays open for pread() while the map lives

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  int fd_ = -1;
};

}  // namespace libsign::core
