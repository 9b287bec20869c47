#include "pki/trust_store.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "pki/builtin_trust.hpp"
#include "pki/certificate.hpp"

namespace libsign::pki {
namespace {

constexpr const char* kUserProfile = "user";

std::vector<std::string> subfolders(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot open profiles folder '" + dir + "'", errno);
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    struct stat st {};
    if (n[0] != '.' && ::stat((dir + "/" + n).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TrustStore::TrustStore(const VerifyOptions& options)
    : selected_(options.trust_profile.empty() ? "vn-all" : options.trust_profile),
      trusted_(X509_STORE_new()),
      all_known_(X509_STORE_new()),
      intermediates_(sk_X509_new_null()) {
  // Collect every known profile's certificates first, then decide which anchors are trusted.
  std::vector<std::pair<Cert, std::string>> known;
  for (const auto& b : builtin_trust_certs()) {
    for (auto& c : parse_certificates(b.pem)) known.emplace_back(c, b.profile);
  }
  for (const auto& dir : options.profile_dirs) {
    for (const auto& name : subfolders(dir)) {
      for (auto& c : load_certificates(dir + "/" + name)) known.emplace_back(c, name);
    }
  }
  for (const auto& k : known) {
    if (std::find(profiles_.begin(), profiles_.end(), k.second) == profiles_.end()) profiles_.push_back(k.second);
  }

  if (selected_ == "vn-all") {
    selected_members_ = {"vn-gov", "vn-public"};
  } else if (selected_ == "none") {
    selected_members_ = {};
  } else if (std::find(profiles_.begin(), profiles_.end(), selected_) != profiles_.end()) {
    selected_members_ = {selected_};
  } else {
    throw Error(ErrorCategory::usage, "TRUST_PROFILE_UNKNOWN",
                "unknown trust profile '" + selected_ + "' (built-in: vn-gov, vn-public, vn-all, none)");
  }

  for (const auto& k : known) add(k.first, k.second);
  for (const auto& path : options.trust_paths) {
    for (auto& c : load_certificates(path)) add(c, kUserProfile);
  }
  ERR_clear_error();
}

void TrustStore::add(const Cert& cert, const std::string& profile) {
  profile_by_fingerprint_.emplace(sha256_fingerprint(cert.get()), profile);
  if (!is_self_signed(cert.get())) {
    X509_up_ref(cert.get());
    sk_X509_push(intermediates_.get(), cert.get());
    return;
  }
  X509_STORE_add_cert(all_known_.get(), cert.get());
  bool trusted = profile == kUserProfile ||
                 std::find(selected_members_.begin(), selected_members_.end(), profile) != selected_members_.end();
  if (trusted) X509_STORE_add_cert(trusted_.get(), cert.get());
}

std::string TrustStore::profile_of(X509* cert) const {
  auto it = profile_by_fingerprint_.find(sha256_fingerprint(cert));
  return it == profile_by_fingerprint_.end() ? std::string() : it->second;
}

std::vector<std::string> TrustStore::profile_names() const { return profiles_; }

}  // namespace libsign::pki
