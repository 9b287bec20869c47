#include "sign/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/mapped_file.hpp"
#include "libsign/error.hpp"
#include "libsign/sign.hpp"  // write_file_atomically is public API (LIBSIGN_API)

namespace libsign::sign {

AtomicOutput::AtomicOutput(const std::string& destination) : destination_(destination) {
  temporary_ = destination + ".XXXXXX";
  std::vector<char> name(temporary_.begin(), temporary_.end());
  name.push_back('\0');
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) fail("cannot create a file next to");
  temporary_ = name.data();
  ::fchmod(fd_, 0644);
}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temporary_.empty() && temporary_.find("XXXXXX") == std::string::npos) ::unlink(temporary_.c_str());
}

void AtomicOutput::fail(const std::string& what) const {
  int err = errno;
  throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", what + " '" + destination_ + "': " + std::strerror(err), err);
}

void AtomicOutput::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicOutput::write_at(size_t offset, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write");
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<size_t>(n);
  }
}

void AtomicOutput::copy_from(int source_fd, size_t length) {
  loff_t in = 0;
  while (length > 0) {
    ssize_t n = ::copy_file_range(source_fd, &in, fd_, nullptr, length, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Not supported between these file systems: copy through a buffer instead.
      std::vector<char> buffer(1 << 20);
      while (length > 0) {
        ssize_t got = ::pread(source_fd, buffer.data(), std::min(length, buffer.size()), in);
        if (got <= 0) fail("cannot read the input while writing");
        write(std::string_view(buffer.data(), static_cast<size_t>(got)));
        in += got;
        length -= static_cast<size_t>(got);
      }
      return;
    }
    length -= static_cast<size_t>(n);
  }
}

void AtomicOutput::commit() {
  if (::fsync(fd_) != 0) fail("cannot flush");
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail("cannot close");
  }
  fd_ = -1;
  if (::rename(temporary_.c_str(), destination_.c_str()) != 0) fail("cannot move the signed file into place at");
  committed_ = true;
}

void write_derived_file(const std::string& input, const std::string& output, bool allow_overwrite,
                        const std::function<std::string(std::string_view input_bytes)>& derive) {
  std::error_code ec;
  if (!allow_overwrite && (input == output || std::filesystem::equivalent(input, output, ec)))
    throw Error(ErrorCategory::usage, "OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
  std::string derived;
  {
    core::MappedFile file(input);
    derived = derive(file.bytes());
  }
  AtomicOutput out(output);
  out.write(derived);
  out.commit();
}

}  // namespace libsign::sign

namespace libsign {
void write_file_atomically(const std::string& path, std::string_view bytes) {
  sign::AtomicOutput out(path);
  out.write(bytes);
  out.commit();
}
}  // namespace libsign
