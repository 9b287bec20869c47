// The resumable state of a diagnose run: a JSONL file, one FileResult per verified file, after a
// header naming the validation options (a rerun with other options starts afresh).
#pragma once
#include <optional>
#include <string>
#include <unordered_map>

#include "libsign/diagnose.hpp"

namespace libsign::diagnose {

class StateFile {
 public:
  // Loads the results of an earlier run with the same `fingerprint`; no path = no state.
  StateFile(const std::string& path, const std::string& fingerprint);
  ~StateFile();
  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;

  // The stored result of a file that has not changed since (same path, size and mtime).
  std::optional<FileResult> find(const std::string& path, uint64_t size, int64_t mtime) const;
  void append(const FileResult& result);  // not thread-safe: the runner serialises calls
  size_t loaded() const { return previous_.size(); }

 private:
  int fd_ = -1;  // the state file, opened for appending
  std::unordered_map<std::string, std::string> previous_;  // path -> stored line
};

// What identifies a file's content for resuming: its size and modification time (for a ZIP member,
// the member's size and the archive's time).
void item_identity(const Item& item, uint64_t& size, int64_t& mtime);

// The options a stored result depends on.
std::string options_fingerprint(const VerifyOptions& options);

}  // namespace libsign::diagnose
