// `libsign diagnose PATH...`: verify a whole archive and say which errors recur, where, since when,
// and what to do.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "diagnose_run.hpp"
#include "validation_options.hpp"
#include "libsign/catalog.hpp"
#include "libsign/diagnose.hpp"

namespace libsign::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C stops at once
}

struct DiagnoseArgs {
  std::vector<std::string> paths;
  ValidationArgs validation;
  unsigned jobs = 0;
  size_t examples = 5;
  std::string json_path, csv_path, html_path, state_path, lang = "vi";
  bool quiet = false;
};

// Output files appear whole or not at all: written next to the target, then renamed over it.
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path) : path_(path), tmp_(path + ".tmp." + std::to_string(::getpid())) {
    f_ = std::fopen(tmp_.c_str(), "wb");
    if (!f_) throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write '" + path + "'", errno);
  }
  ~AtomicFile() {
    if (f_) {
      std::fclose(f_);
      std::remove(tmp_.c_str());
    }
  }
  void write(const std::string& s) { std::fwrite(s.data(), 1, s.size(), f_); }
  void commit() {
    bool ok = std::fflush(f_) == 0 && !std::ferror(f_);
    ok = std::fclose(f_) == 0 && ok;
    f_ = nullptr;
    if (!ok || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      std::remove(tmp_.c_str());
      throw Error(ErrorCategory::io, "OUTPUT_UNWRITABLE", "cannot write '" + path_ + "'", errno);
    }
  }

 private:
  std::string path_, tmp_;
  std::FILE* f_ = nullptr;
};

std::string duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  std::ostringstream o;
  o << s / 60 << ":" << std::setw(2) << std::setfill('0') << s % 60;
  return o.str();
}

void print_summary(const diagnose::Aggregate& a, const std::string& json_text, const std::string& lang) {
  const bool vi = lang != "en";
  auto j = nlohmann::json::parse(json_text);
  const auto& t = j["totals"];
  std::cout << (vi ? "Đã kiểm tra " : "Checked ") << t["files"].get<uint64_t>() << (vi ? " tệp, " : " files, ")
            << t["signatures"].get<uint64_t>() << (vi ? " chữ ký" : " signatures");
  if (!a.complete()) std::cout << (vi ? " (CHƯA ĐẦY ĐỦ: bị dừng)" : " (INCOMPLETE: interrupted)");
  std::cout << "\n";
  const std::map<std::string, std::pair<const char*, const char*>> names = {
      {"TOTAL_PASSED", {"valid", "hợp lệ"}}, {"TOTAL_FAILED", {"invalid", "không hợp lệ"}},
      {"INDETERMINATE", {"indeterminate", "chưa xác định"}}, {"ERROR", {"unreadable", "không đọc được"}}};
  for (const auto& [k, v] : j["by_indication"].items()) {
    auto n = names.find(k);
    std::cout << "  " << (n == names.end() ? k : std::string(vi ? n->second.second : n->second.first) + " (" + k + ")") << ": "
              << v.get<uint64_t>() << "\n";
  }
  const auto& rec = j["recurring"];
  if (!rec.empty()) std::cout << (vi ? "Lỗi lặp lại nhiều nhất:\n" : "Most recurring errors:\n");
  for (size_t i = 0; i < rec.size() && i < 5; ++i)
    std::cout << "  " << i + 1 << ". " << rec[i][vi ? "title_vi" : "title_en"].get<std::string>() << " (" << rec[i]["code"].get<std::string>()
              << ") × " << rec[i]["rows"].get<uint64_t>() << " — " << rec[i][vi ? "hint_vi" : "hint_en"].get<std::string>() << "\n";
  const auto& damage = j["damage"];
  if (damage["damaged"].get<uint64_t>() > 0)
    std::cout << (vi ? "Tệp bị hư hỏng trên đường truyền: " : "Files damaged on the way: ") << damage["damaged"].get<uint64_t>() << "\n";
}

int run(const DiagnoseArgs& args) {
  diagnose::Options options;
  options.verify = to_verify_options(args.validation);
  options.jobs = args.jobs;
  options.state_path = args.state_path;
  options.examples_per_code = args.examples;
  options.cancel = &g_interrupted;

  const auto started = std::chrono::steady_clock::now();
  std::vector<diagnose::Item> items = diagnose::discover(args.paths);
  // The reports and the state of an earlier run may sit in the folder diagnosed: they are no dossiers.
  std::set<std::string> own;
  for (const auto* p : {&args.json_path, &args.csv_path, &args.html_path, &args.state_path})
    if (!p->empty()) own.insert(std::filesystem::weakly_canonical(*p).string());
  items.erase(std::remove_if(items.begin(), items.end(),
                             [&](const diagnose::Item& i) {
                               std::error_code ec;
                               return i.member < 0 && own.count(std::filesystem::weakly_canonical(i.path, ec).string());
                             }),
              items.end());
  // Every output is opened before the long run: an unwritable path fails now, not in an hour.
  std::unique_ptr<AtomicFile> csv, json_out, html_out;
  if (!args.csv_path.empty()) {
    csv = std::make_unique<AtomicFile>(args.csv_path);
    csv->write(diagnose::csv_header());
  }
  if (!args.json_path.empty()) json_out = std::make_unique<AtomicFile>(args.json_path);
  if (!args.html_path.empty()) html_out = std::make_unique<AtomicFile>(args.html_path);
  const bool progress = !args.quiet && ::isatty(STDERR_FILENO);
  auto on_progress = [&](const diagnose::Progress& p) {
    if (!progress) return;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    double rate = elapsed > 0 ? static_cast<double>(p.done) / elapsed : 0;
    double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
    int width = 30, filled = p.total ? static_cast<int>(width * p.done / p.total) : width;
    std::fprintf(stderr, "\r[%s%s] %llu/%llu %3d%%  %.0f files/s  ETA %s ", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<unsigned long long>(p.done),
                 static_cast<unsigned long long>(p.total), p.total ? static_cast<int>(100 * p.done / p.total) : 100, rate,
                 duration(eta).c_str());
    std::fflush(stderr);
  };
  std::signal(SIGINT, on_sigint);
  diagnose::RunResult result = diagnose::run(
      items, options, [&](const diagnose::FileResult& f) { if (csv) csv->write(diagnose::csv_rows(f)); }, on_progress);
  std::signal(SIGINT, SIG_DFL);
  if (progress) std::fputs("\n", stderr);

  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string run_text =
      diagnose_run_json({elapsed, args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency()), result.resumed,
                         options.verify.at, result.verifier_stats})
          .dump();
  const std::string json_text = result.aggregate.to_json(2, run_text);
  if (csv) csv->commit();
  if (json_out) {
    json_out->write(json_text + "\n");
    json_out->commit();
  }
  if (html_out) {
    html_out->write(result.aggregate.to_html(args.lang, run_text));
    html_out->commit();
  }
  if (!args.quiet) print_summary(result.aggregate, json_text, args.lang);
  return result.interrupted ? 130 : kAllPassed;
}

}  // namespace

std::function<int()> add_diagnose(CLI::App& app) {
  auto args = std::make_shared<DiagnoseArgs>();
  CLI::App* cmd = app.add_subcommand("diagnose", "Diagnose a whole archive: which signature errors recur, where, since when, what to do");
  cmd->footer(
      "PATH: folders (recursive), glob patterns, ZIP archives of dossiers, or - for a list of paths on stdin.\n"
      "Exit status: 0 report written (whatever the verdicts); 3 usage error; 130 interrupted (partial report, marked incomplete).");
  cmd->add_option("paths", args->paths, "Folders, files, glob patterns, ZIP archives, or - (paths on stdin)")->required();
  add_validation_options(cmd, args->validation, true);
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: every core)");
  cmd->add_option("--json", args->json_path, "Write the summary as JSON (libsign-diagnose/1, docs/diagnose.md)");
  cmd->add_option("--csv", args->csv_path, "Write one row per signature (files without signature or unreadable: one row)");
  cmd->add_option("--html", args->html_path, "Write a self-contained HTML report");
  cmd->add_option("--lang", args->lang, "Language of the HTML report and the summary: vi or en")
      ->check(CLI::IsMember({"vi", "en"}))
      ->capture_default_str();
  cmd->add_option("--state", args->state_path, "State file: a rerun skips the files already done (same path, size, mtime)");
  cmd->add_option("--examples", args->examples, "Worst examples kept per code")->capture_default_str();
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar and no summary");
  return [args] { return run(*args); };
}

}  // namespace libsign::cli
