#include "verifiers.hpp"

namespace libsign::serve {

std::string Verifiers::key_of(const VerifyOptions& o) {
  return o.trust_profile + "|" + (o.at ? format_time(*o.at) : "now") + "|" + (o.revocation.online ? "online" : "offline") +
         "|" + (o.revocation.require ? "required" : "optional") + "|" + (o.verify_inner ? "inner" : "outer");
}

std::shared_ptr<const Verifier> Verifiers::get(const VerifyOptions& options) {
  const std::string key = key_of(options);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first != key) continue;
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().second;
  }
  // Built under the lock: rare (a new configuration), and two threads never build the same one.
  auto verifier = std::make_shared<const Verifier>(options);
  entries_.emplace_front(key, verifier);
  if (entries_.size() > capacity_) {
    dropped_.push_back(std::move(entries_.back().second));
    entries_.pop_back();
    retire_unused();  // here too, or dropped verifiers would pile up between two /metrics reads
  }
  return verifier;
}

void Verifiers::retire_unused() const {
  // A dropped verifier whose last user has finished is folded into retired_ and released.
  for (auto it = dropped_.begin(); it != dropped_.end();) {
    if (it->use_count() == 1) {
      retired_ += (*it)->stats();
      it = dropped_.erase(it);
    } else {
      ++it;
    }
  }
}

VerifierStats Verifiers::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  retire_unused();
  VerifierStats total = retired_;
  for (const auto& verifier : dropped_) total += verifier->stats();
  for (const auto& entry : entries_) total += entry.second->stats();
  return total;
}

size_t Verifiers::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace libsign::serve
