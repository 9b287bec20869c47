#include "diagnose/state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include <nlohmann/json.hpp>

#include "diagnose/zip_reader.hpp"

namespace libsign::diagnose {

using nlohmann::json;

namespace {
constexpr const char* kStateSchema = "libsign-diagnose-state/1";

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write the state file", errno);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// A new state (first run, or other options): the header goes to a temporary file renamed over the
// old state, so a kill leaves either the old state or the new one.
void start_afresh(const std::string& path, const std::string& fingerprint) {
  std::string temporary = path + ".XXXXXX";
  int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write next to the state file '" + path + "'", errno);
  try {
    write_all(fd, json{{"schema", kStateSchema}, {"options", fingerprint}}.dump() + "\n");
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  ::fchmod(fd, 0644);
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temporary.c_str());
    throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot replace the state file '" + path + "'", err);
  }
}

bool ends_with_newline(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in || in.tellg() <= 0) return true;
  in.seekg(-1, std::ios::end);
  return in.get() == '\n';
}
}  // namespace

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
      // value() would throw on a key of another type: compare only strings.
      auto text = [&](const char* key) { return header.contains(key) && header[key].is_string() ? header[key].get<std::string>() : ""; };
      same_options = !header.is_discarded() && header.is_object() && text("schema") == kStateSchema && text("options") == fingerprint;
    }
    // A line cut short by a crash is skipped: that file is verified again.
    while (same_options && std::getline(in, line)) {
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("path") || !j["path"].is_string()) continue;
      previous_[j["path"].get<std::string>()] = line;
    }
  }
  if (!same_options) start_afresh(path, fingerprint);
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write the state file '" + path + "'", errno);
  // A file cut mid-line by something other than libsign (a full disk, a copy): close that line, or
  // the next result would be glued to it and lost too.
  if (!ends_with_newline(path)) write_all(fd_, "\n");
}

StateFile::~StateFile() {
  if (fd_ >= 0) ::close(fd_);
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
  if (fd_ < 0) return;
  // One write(2) per line, in append mode: a run killed at any point leaves whole lines only, so a
  // resumed run never loses or mangles a result that was recorded.
  write_all(fd_, result.to_json() + "\n");
}

}  // namespace libsign::diagnose
