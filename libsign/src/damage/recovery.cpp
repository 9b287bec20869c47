#include "damage/recovery.hpp"

#include <chrono>
#include <set>

#include "libsign/error.hpp"
#include "libsign/verify.hpp"

namespace libsign::damage {
namespace {

using Clock = std::chrono::steady_clock;

// Lower is better: all passed, then indeterminate, then failed, then read without signatures.
int rank(const DocumentReport& r) {
  if (r.signatures.empty()) return 3;
  switch (r.worst_indication()) {
    case Indication::total_passed: return 0;
    case Indication::indeterminate: return 1;
    case Indication::total_failed: return 2;
  }
  return 3;
}

struct Outcome {
  int rank = 99;
  std::shared_ptr<const DocumentReport> report;
  std::string method, bytes;
  std::vector<Finding> nested;  // findings of the layers under this one
};

class Search {
 public:
  Search(const VerifyFn& verify, bool keep_bytes, const RecoveryLimits& limits, std::string label)
      : verify_(verify), keep_(keep_bytes), limits_(limits), label_(std::move(label)),
        deadline_(Clock::now() + std::chrono::milliseconds(static_cast<long long>(limits.max_seconds * 1000))) {}

  // The best outcome below `damages` (already found in the bytes of this layer).
  Outcome best_of(const std::vector<Damage>& damages, int depth) {
    Outcome best;
    for (const Damage& d : damages) {
      if (!d.candidate || exhausted()) continue;
      Outcome o = try_candidate(*d.candidate, d.method, depth);
      if (o.rank < best.rank) best = std::move(o);
      if (best.rank == 0) break;
    }
    return best;
  }

 private:
  bool exhausted() const { return verifications_ >= limits_.max_verifications || Clock::now() > deadline_; }

  Outcome try_candidate(const std::string& candidate, const std::string& method, int depth) {
    Outcome here;
    FailureContext next;
    next.format = detect_format(candidate);
    next.label = label_;
    std::shared_ptr<DocumentReport> report;
    ++verifications_;
    try {
      report = std::make_shared<DocumentReport>(verify_(candidate, label_));
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::format) return here;
      next.error_code = e.code();
    }
    if (report) {
      here.rank = rank(*report);
      here.report = report;
      here.method = method;
      if (keep_) here.bytes = candidate;
      if (here.rank == 0 || !integrity_failed(*report)) return here;
      next.report = report.get();
    }
    if (depth >= limits_.max_depth) return here;
    // Another layer of damage inside this one.
    std::vector<Damage> inner = find_damage(candidate, next);
    Outcome below = best_of(inner, depth + 1);
    if (below.rank >= here.rank) return here;
    below.method = method + "+" + below.method;
    std::vector<Finding> nested = damage_findings(inner);
    nested.insert(nested.end(), below.nested.begin(), below.nested.end());
    below.nested = std::move(nested);
    return below;
  }

  const VerifyFn& verify_;
  bool keep_;
  RecoveryLimits limits_;
  std::string label_;
  Clock::time_point deadline_;
  size_t verifications_ = 0;
};

void add_unique(std::vector<Finding>& to, const std::vector<Finding>& from) {
  std::set<std::string> seen;
  for (const Finding& f : to) seen.insert(f.code);
  for (const Finding& f : from)
    if (seen.insert(f.code).second) to.push_back(f);
}

}  // namespace

bool Recovery::passed() const { return recovered && rank(*recovered) == 0; }

Recovery examine(std::string_view bytes, const FailureContext& context, const VerifyFn& verify, bool keep_bytes,
                 const RecoveryLimits& limits) {
  Recovery result;
  std::vector<Damage> damages = find_damage(bytes, context);
  result.findings = damage_findings(damages);
  if (damages.empty() || bytes.size() > limits.max_size) return result;
  std::string label = (context.label.empty() ? std::string("bytes") : context.label) + "#recovered";
  Search search(verify, keep_bytes, limits, label);
  Outcome best = search.best_of(damages, 1);
  if (!best.report || best.rank > 2) return result;  // read, but nothing signed in it: no verdict to show
  add_unique(result.findings, best.nested);
  result.recovered = best.report;
  result.method = best.method;
  result.bytes = std::move(best.bytes);
  return result;
}

}  // namespace libsign::damage
