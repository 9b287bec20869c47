// The trust store a Verifier holds: anchors of the selected profile, every known profile (to explain
// "signed under the other PKI"), and a pool of intermediates. Built once, read concurrently.
#pragma once
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

  X509_STORE* trusted() const { return trusted_.get(); }      // anchors of the selected profile + user anchors
  X509_STORE* all_known() const { return all_known_.get(); }  // anchors of every known profile + user anchors
  STACK_OF(X509)* intermediates() const { return intermediates_.get(); }
  // The profile a known CA certificate belongs to ("" when unknown, "user" for --trust).
  std::string profile_of(X509* cert) const;
  const std::string& selected_profile() const { return selected_; }
  std::vector<std::string> profile_names() const;

 private:
  void add(const Cert& cert, const std::string& profile);

  std::string selected_;
  std::vector<std::string> selected_members_;  // profiles whose anchors are trusted
  StorePtr trusted_, all_known_;
  X509StackPtr intermediates_;
  std::unordered_map<std::string, std::string> profile_by_fingerprint_;
  std::vector<std::string> profiles_;
};

}  // namespace libsign::pki
