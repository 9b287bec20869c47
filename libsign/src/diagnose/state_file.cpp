#include "diagnose/state_file.hpp"

#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>

#include "diagnose/zip_reader.hpp"

namespace libsign::diagnose {

using nlohmann::json;

namespace {
constexpr const char* kStateSchema = "libsign-diagnose-state/1";
}

std::string options_fingerprint(const VerifyOptions& o) {
  json j = {{"trust_profile", o.trust_profile}, {"profile_dirs", o.profile_dirs}, {"trust", o.trust_paths},
            {"at", o.at ? format_time(*o.at) : std::string("now")},
            {"online", o.revocation.online}, {"require", o.revocation.require}};
  return j.dump();
}

void item_identity(const Item& item, uint64_t& size, int64_t& mtime) {
  size = 0;
  mtime = 0;
  struct stat st{};
  const auto* zip = item.member >= 0 ? static_cast<const ZipArchive*>(item.archive.get()) : nullptr;
  const std::string& file = zip ? zip->path() : item.path;
  if (::stat(file.c_str(), &st) == 0) {
    size = static_cast<uint64_t>(st.st_size);
    mtime = static_cast<int64_t>(st.st_mtime);
  }
  if (zip) size = zip->entries().at(static_cast<size_t>(item.member)).size;
}

StateFile::StateFile(const std::string& path, const std::string& fingerprint) {
  if (path.empty()) return;
  bool same_options = false;
  {
    std::ifstream in(path);
    std::string line;
    if (in && std::getline(in, line)) {
      json header = json::parse(line, nullptr, false);
      same_options = !header.is_discarded() && header.is_object() && header.value("schema", "") == kStateSchema &&
                     header.value("options", "") == fingerprint;
    }
    // A line cut short by a crash is skipped: that file is verified again.
    while (same_options && std::getline(in, line)) {
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("path") || !j["path"].is_string()) continue;
      previous_[j["path"].get<std::string>()] = line;
    }
  }
  out_ = std::fopen(path.c_str(), same_options ? "a" : "w");
  if (!out_) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write the state file '" + path + "'", errno);
  if (!same_options) {
    std::string header = json{{"schema", kStateSchema}, {"options", fingerprint}}.dump() + "\n";
    std::fputs(header.c_str(), out_);
    std::fflush(out_);
  }
}

StateFile::~StateFile() {
  if (out_) std::fclose(out_);
}

std::optional<FileResult> StateFile::find(const std::string& path, uint64_t size, int64_t mtime) const {
  auto it = previous_.find(path);
  if (it == previous_.end()) return std::nullopt;
  try {
    FileResult r = FileResult::from_json(it->second);
    if (r.size == size && r.mtime == mtime) return r;
  } catch (const Error&) {
  }
  return std::nullopt;
}

void StateFile::append(const FileResult& result) {
  if (!out_) return;
  std::string line = result.to_json() + "\n";
  std::fputs(line.c_str(), out_);
  // A crash loses at most a second of work.
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (now != last_flush_) {
    std::fflush(out_);
    last_flush_ = now;
  }
}

void StateFile::flush() {
  if (out_) std::fflush(out_);
}

}  // namespace libsign::diagnose
