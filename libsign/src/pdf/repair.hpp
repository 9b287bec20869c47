// libsign pdf — what the reader had to repair to read a file. Every tolerance that goes beyond the
// syntax of ISO 32000 is recorded here, so that the report can say so: a repair is never silent.
#pragma once
#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace libsign::pdf {

struct Repair {
  std::string kind;    // stable: startxref, xref-offset, xref-table, xref-entry, xref-stream, prev-chain,
                       // reconstructed, object-offset, xref-mismatch, object-syntax, object-stream,
                       // object-stream-unreadable, stream-length, endobj, header-offset, eof-marker
  size_t offset = 0;   // where in the file
  std::string detail;  // one line, English, names what was repaired
  std::optional<size_t> revision;  // index of the revision whose bytes hold `offset` (filled by Document)
};

// A thread-safe, de-duplicated list (objects are loaded lazily, possibly from several threads).
class RepairLog {
 public:
  // `revision`: the revision the repair is about when it is not simply the one whose bytes hold `offset`
  // (e.g. an xref entry of a later revision that points into older bytes).
  void add(std::string kind, size_t offset, std::string detail, std::optional<size_t> revision = std::nullopt) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.size() >= kMaxItems) return;
    if (!seen_.insert({kind, offset}).second) return;
    items_.push_back(Repair{std::move(kind), offset, std::move(detail), revision});
  }
  std::vector<Repair> items() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_;
  }
  bool empty() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.empty();
  }

 private:
  static constexpr size_t kMaxItems = 10000;  // a hostile file cannot grow the log without bound
  mutable std::mutex mu_;
  std::set<std::pair<std::string, size_t>> seen_;
  std::vector<Repair> items_;
};

}  // namespace libsign::pdf
