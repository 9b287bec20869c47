#include "pki/chain_cache.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace libsign::pki {

std::string ChainCache::key(X509* leaf, const std::vector<Cert>& extra, long long at_unix) {
  std::string k = std::to_string(at_unix);
  auto add = [&](X509* c) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(c, EVP_sha256(), md, &n) != 1) n = 0;
    k.push_back('/');
    k.append(reinterpret_cast<const char*>(md), n);
  };
  add(leaf);
  for (const auto& c : extra) add(c.get());
  return k;
}

ChainCache::Entry ChainCache::validate(const TrustStore& store, X509* leaf, const std::vector<Cert>& extra, long long at_unix,
                                      std::string* key_out) {
  const std::string k = key(leaf, extra, at_unix);
  if (key_out) *key_out = k;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(k);
    if (it != entries_.end()) {
      ++hits_;
      return it->second;
    }
  }
  ++misses_;
  Entry entry{validate_chain(store, leaf, extra, at_unix), {}};
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(k, entry);
  return entry;
}

void ChainCache::remember_description(const std::string& k, const std::vector<CertificateInfo>& described) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(k);
  if (it != entries_.end() && it->second.described.empty()) it->second.described = described;
}

}  // namespace libsign::pki
