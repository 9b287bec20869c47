// An output file that appears only when complete: written to a temporary file in the same folder,
// flushed, then renamed over the destination. Destroyed without commit(), it removes the temporary.
#pragma once
#include <string>
#include <string_view>

namespace libsign::sign {

class AtomicOutput {
 public:
  explicit AtomicOutput(const std::string& destination);  // Error(io, OUTPUT_UNWRITABLE)
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  int fd() const { return fd_; }
  void write(std::string_view bytes);
  void write_at(size_t offset, std::string_view bytes);
  void copy_from(int source_fd, size_t length);  // the first `length` bytes of `source_fd`, in the kernel
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::string destination_, temporary_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace libsign::sign
