// Turning command-line inputs into work items: folders, globs, stdin lists, ZIP members.
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <system_error>

#include "diagnose/zip_reader.hpp"
#include "libsign/diagnose.hpp"

namespace libsign::diagnose {
namespace {

namespace fs = std::filesystem;

bool is_zip_name(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".zip";
}

bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// The extensions of detached CMS signatures whose content is the same name without them.
constexpr const char* kDetachedExtensions[] = {".p7s", ".sig", ".cms"};

// Whether `name` is the content of a detached signature present in `names` (X when X.p7s exists).
bool detached_signature_of(const std::string& name, const std::map<std::string, size_t>& names) {
  for (const char* ext : kDetachedExtensions)
    if (names.count(name + ext)) return true;
  return false;
}

// The index of the content of the detached signature `name` (X for X.p7s), when present.
std::optional<size_t> content_of(const std::string& name, const std::map<std::string, size_t>& names) {
  for (std::string ext : kDetachedExtensions) {
    if (name.size() <= ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0) continue;
    auto it = names.find(name.substr(0, name.size() - ext.size()));
    if (it != names.end()) return it->second;
  }
  return std::nullopt;
}

class Discovery {
 public:
  Discovery(bool expand, const ZipLimits& limits) : expand_(expand), limits_(limits) {}

  // `file_root`: what a plain file's folder is relative to ("" = its parent path as given).
  void input(std::string path, bool allow_glob, const std::string* file_root = nullptr) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (!ec && fs::is_directory(st)) return folder(path);
    // Only regular files: a FIFO or a device would block or never end.
    if (!ec && fs::is_regular_file(st)) return file(path, file_root ? *file_root : parent_of(path));
    if (allow_glob && has_glob_chars(path)) return pattern(path);
    missing(path);
  }

  std::vector<Item> take() { return std::move(items_); }

  void file(const std::string& path, const std::string& root) {
    if (!expand_ || !is_zip_name(path)) {
      Item item;
      item.path = path;
      item.root = root;
      items_.push_back(std::move(item));
      return;
    }
    try {
      auto zip = std::make_shared<ZipArchive>(ZipArchive::open(path, limits_));
      std::vector<size_t> order(zip->entries().size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return zip->entries()[a].name < zip->entries()[b].name; });
      std::map<std::string, size_t> by_name;
      for (size_t i : order) by_name.emplace(zip->entries()[i].name, i);
      for (size_t i : order) {
        const std::string& name = zip->entries()[i].name;
        // As in folders: X beside X.p7s is the signature's content, verified through it.
        if (detached_signature_of(name, by_name)) continue;
        Item item;
        item.path = path + "!" + name;
        item.root = root;
        item.member = static_cast<int64_t>(i);
        item.archive = zip;
        if (auto content = content_of(name, by_name)) item.content_member = static_cast<int64_t>(*content);
        items_.push_back(std::move(item));
      }
    } catch (const Error& e) {
      Item item;
      item.path = path;
      item.root = root;
      item.error = e.code();
      items_.push_back(std::move(item));
    }
  }

 private:
  void missing(const std::string& path) {
    Item item;
    item.path = path;
    item.error = "INPUT_UNREADABLE";
    items_.push_back(std::move(item));
  }

  static std::string parent_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash);
  }

  // Matches of "archive/*/*/*.pdf" are relative to "archive", as if the folder had been given.
  void pattern(const std::string& p) {
    std::string root = p.substr(0, p.find_first_of("*?[{"));
    root = parent_of(root);
    glob_t g{};
    if (::glob(p.c_str(), GLOB_NOSORT | GLOB_BRACE, nullptr, &g) == 0) {
      std::vector<std::string> matches(g.gl_pathv, g.gl_pathv + g.gl_pathc);
      std::sort(matches.begin(), matches.end());
      for (const auto& m : matches) input(m, false, &root);
    }
    globfree(&g);
  }

  void folder(const std::string& root) {
    std::vector<std::string> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::error_code e2;
      if (it->is_regular_file(e2)) files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    // FILE beside FILE.p7s (.sig, .cms) is the content of a detached signature: it is verified
    // through the signature, not as a dossier of its own.
    auto signed_beside = [&](const std::string& f) {
      for (const char* ext : kDetachedExtensions)
        if (std::binary_search(files.begin(), files.end(), f + ext)) return true;
      return false;
    };
    for (const auto& f : files)
      if (!signed_beside(f)) file(f, root);
  }

  bool expand_;
  ZipLimits limits_;
  std::vector<Item> items_;
};

}  // namespace

std::vector<Item> discover(const std::vector<std::string>& inputs, bool expand_archives, const ZipLimits& limits) {
  Discovery d(expand_archives, limits);
  for (const auto& in : inputs) {
    if (in != "-") {
      d.input(in, true);
      continue;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      static const std::string as_given;  // a listed file keeps its folders as written
      if (!line.empty()) d.input(line, false, &as_given);
    }
  }
  return d.take();
}

std::vector<Item> expand_archives(const std::vector<Item>& items, const ZipLimits& limits) {
  std::vector<Item> out;
  for (const auto& item : items) {
    if (item.member >= 0 || !item.error.empty()) {
      out.push_back(item);
      continue;
    }
    Discovery d(true, limits);
    d.file(item.path, item.root);
    for (auto& i : d.take()) out.push_back(std::move(i));
  }
  return out;
}

}  // namespace libsign::diagnose
