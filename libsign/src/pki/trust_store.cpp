#include "pki/trust_store.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "pki/builtin_trust.hpp"
#include "core/read_file.hpp"
#include "pki/certificate.hpp"

namespace libsign::pki {
namespace {

constexpr const char* kUserProfile = "user";

std::vector<std::string> list_dir(const std::string& dir, bool want_dirs) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot open folder '" + dir + "'", errno);
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    struct stat st {};
    if (n[0] == '.' || ::stat((dir + "/" + n).c_str(), &st) != 0) continue;
    if (want_dirs ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)) names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

void push_unique(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

TrustStore::TrustStore(const VerifyOptions& options)
    : selected_(options.trust_profile.empty() ? "vn-all" : options.trust_profile),
      trusted_(X509_STORE_new()),
      intermediates_(sk_X509_new_null()) {
  // Every known profile, as raw certificate files.
  std::vector<ProfileSource> sources;
  auto source_for = [&](const std::string& name) -> ProfileSource& {
    for (auto& s : sources)
      if (s.name == name) return s;
    sources.push_back({name, {}});
    return sources.back();
  };
  for (const auto& b : builtin_trust_certs()) source_for(b.profile).blobs.emplace_back(b.pem);
  for (const auto& dir : options.profile_dirs) {
    for (const auto& name : list_dir(dir, true)) {
      ProfileSource& s = source_for(name);
      for (const auto& file : list_dir(dir + "/" + name, false)) s.blobs.push_back(core::read_file(dir + "/" + name + "/" + file));
    }
  }
  for (const auto& s : sources) push_unique(profiles_, s.name);

  std::vector<std::string> members;
  if (selected_ == "vn-all") {
    members = {"vn-gov", "vn-public"};
  } else if (selected_ != "none") {
    if (std::find(profiles_.begin(), profiles_.end(), selected_) == profiles_.end())
      throw Error(ErrorCategory::usage, "TRUST_PROFILE_UNKNOWN",
                  "unknown trust profile '" + selected_ + "' (built-in: vn-gov, vn-public, vn-all, none)");
    members = {selected_};
  }
  for (auto& s : sources) {
    if (std::find(members.begin(), members.end(), s.name) == members.end()) {
      other_profiles_.push_back(std::move(s));
      continue;
    }
    for (const auto& blob : s.blobs)
      for (auto& c : parse_certificates(blob)) add(c, s.name, true);
  }
  for (const auto& path : options.trust_paths) {
    for (auto& c : load_certificates(path)) add(c, kUserProfile, true);
  }
  ERR_clear_error();
}

void TrustStore::add(const Cert& cert, const std::string& profile, bool trusted) {
  profile_by_fingerprint_.emplace(sha256_fingerprint(cert.get()), profile);
  loaded_.push_back(cert);
  if (!trusted) return;
  if (is_self_signed(cert.get())) {
    X509_STORE_add_cert(trusted_.get(), cert.get());
  } else {
    X509_up_ref(cert.get());
    sk_X509_push(intermediates_.get(), cert.get());
  }
}

void TrustStore::load_other_profiles() const {
  std::call_once(others_loaded_, [this] {
    auto* self = const_cast<TrustStore*>(this);  // the one deferred write, guarded by call_once + mutex
    std::lock_guard<std::mutex> lock(fingerprint_mutex_);
    for (const auto& s : other_profiles_)
      for (const auto& blob : s.blobs)
        for (auto& c : parse_certificates(blob)) self->add(c, s.name, false);
    all_known_.reset(X509_STORE_new());
    all_intermediates_.reset(sk_X509_new_null());
    for (const auto& c : loaded_) {
      if (is_self_signed(c.get())) {
        X509_STORE_add_cert(all_known_.get(), c.get());
      } else {
        X509_up_ref(c.get());
        sk_X509_push(all_intermediates_.get(), c.get());
      }
    }
    ERR_clear_error();
  });
}

X509_STORE* TrustStore::all_known() const {
  load_other_profiles();
  return all_known_.get();
}

STACK_OF(X509)* TrustStore::intermediates(bool every_profile) const {
  if (!every_profile) return intermediates_.get();
  load_other_profiles();
  return all_intermediates_.get();
}

std::string TrustStore::profile_of(X509* cert) const {
  std::string fingerprint = sha256_fingerprint(cert);
  std::lock_guard<std::mutex> lock(fingerprint_mutex_);
  auto it = profile_by_fingerprint_.find(fingerprint);
  return it == profile_by_fingerprint_.end() ? std::string() : it->second;
}

std::vector<std::string> TrustStore::profile_names() const { return profiles_; }

}  // namespace libsign::pki
