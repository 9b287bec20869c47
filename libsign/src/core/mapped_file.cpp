#include "core/mapped_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libsign/error.hpp"

namespace libsign::core {

namespace {
[[noreturn]] void fail(const std::string& path, const char* what) {
  int err = errno;
  throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot " + std::string(what) + " '" + path + "': " + std::strerror(err), err);
}
}  // namespace

MappedFile::MappedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "open");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    fail(path, "stat");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "'" + path + "' is not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0 && size_ < kMapFrom) {
    read_.resize(size_);
    size_t done = 0;
    while (done < size_) {
      ssize_t n = ::pread(fd, read_.data() + done, size_ - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n == 0) errno = EIO;  // the file shrank while being read
        ::close(fd);
        fail(path, "read");
      }
      done += static_cast<size_t>(n);
    }
  } else if (size_ > 0) {
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data_ == MAP_FAILED) {
      data_ = nullptr;
      ::close(fd);
      fail(path, "map");
    }
  }
  fd_ = fd;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace libsign::core
