// The trust store a Verifier holds: anchors of the selected profile, every known profile (to explain
// "signed under the other PKI"), and a pool of intermediates. Built once, read concurrently.
// Profiles that are not selected are parsed only when a failure needs explaining: parsing a
// certificate costs ~0.1 ms with OpenSSL 3.0, which matters for a one-shot CLI run.
#pragma once
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "libsign/verify.hpp"
#include "pki/openssl_ptr.hpp"

namespace libsign::pki {

class TrustStore {
 public:
  // Throws Error(usage, TRUST_PROFILE_UNKNOWN), Error(io/format) for unreadable trust paths.
  explicit TrustStore(const VerifyOptions& options);

  X509_STORE* trusted() const { return trusted_.get(); }  // anchors of the selected profile + user anchors
  X509_STORE* all_known() const;                          // anchors of every known profile + user anchors
  // The selected profile's and the user's intermediates; with `every_profile`, all known ones.
  STACK_OF(X509)* intermediates(bool every_profile = false) const;
  // The profile a known CA certificate belongs to ("" when unknown, "user" for --trust). Profiles
  // not loaded yet are not consulted.
  std::string profile_of(X509* cert) const;
  const std::string& selected_profile() const { return selected_; }
  std::vector<std::string> profile_names() const;

 private:
  // A profile's certificates as read from disk or the built-in data, parsed on demand.
  struct ProfileSource {
    std::string name;
    std::vector<std::string> blobs;  // PEM or DER, one file each
  };
  void add(const Cert& cert, const std::string& profile, bool trusted);
  void load_other_profiles() const;

  std::string selected_;
  StorePtr trusted_;
  X509StackPtr intermediates_;
  std::unordered_map<std::string, std::string> profile_by_fingerprint_;
  std::vector<ProfileSource> other_profiles_;  // not selected: parsed by load_other_profiles()
  std::vector<Cert> loaded_;                    // everything parsed so far (for all_known)
  std::vector<std::string> profiles_;

  mutable std::once_flag others_loaded_;
  mutable StorePtr all_known_;
  mutable X509StackPtr all_intermediates_;
  mutable std::mutex fingerprint_mutex_;  // profile_by_fingerprint_ grows once, when others load
};

}  // namespace libsign::pki
