// A whole file, read-only: a large one is memory-mapped (the verifier hashes straight from the map,
// never copying it); a small one is read into memory, because mapping and unmapping a few pages costs
// more than copying them (munmap flushes the TLB: 14 % of the time of a 34-KB dossier's
// verification, docs/performance.md).
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

  std::string_view bytes() const { return data_ ? std::string_view(static_cast<const char*>(data_), size_) : read_; }
  int fd() const { return fd_; }  // stays open for pread() while the map lives

 private:
  static constexpr size_t kMapFrom = 2u << 20;  // bytes; smaller files are read
  void* data_ = nullptr;  // the map, or nullptr when the file was read into read_
  size_t size_ = 0;
  std::string read_;
  int fd_ = -1;
};

}  // namespace libsign::core
