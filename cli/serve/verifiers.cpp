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
  if (entries_.size() > capacity_) entries_.pop_back();
  return verifier;
}

size_t Verifiers::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace libsign::serve
