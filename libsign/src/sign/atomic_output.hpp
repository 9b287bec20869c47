// An output file that appears only when complete: written to a temporary file in the same folder,
// flushed, then renamed over the destination. Destroyed without commit(), it removes the temporary.
#pragma once
#include <functional>
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

// For the *_file functions that derive a new file from a signed one (extend): refuses an `output`
// that is `input` (same path or same file, Error(usage, OUTPUT_IS_INPUT)) unless `allow_overwrite`,
// maps `input`, makes the new bytes with `derive` and writes them to `output` atomically.
void write_derived_file(const std::string& input, const std::string& output, bool allow_overwrite,
                        const std::function<std::string(std::string_view input_bytes)>& derive);

}  // namespace libsign::sign
