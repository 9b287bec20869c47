// libsign — diagnosing a whole archive of dossiers: which errors recur, where, since when, what to do.
// Each file is verified once and reduced to a compact FileResult; FileResults are folded into an
// Aggregate whose memory does not grow with the number of files (counters, bounded example lists).
// Aggregates merge associatively and deterministically, so chunks verified on several threads,
// processes or Dask workers give exactly the aggregate of one run. JSON form: docs/diagnose.md.
#pragma once
#include "libsign/export.hpp"
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "libsign/verify.hpp"

namespace libsign::diagnose {

// One row: a signature, or the one row of a file without signature or that could not be read.
struct Row {
  std::string signature;       // "sig1", ...; empty for a file-level row
  std::string indication;      // TOTAL_PASSED | TOTAL_FAILED | INDETERMINATE | ERROR (unreadable file)
  std::string sub_indication;  // ETSI sub-indication, empty if none
  std::vector<std::string> codes;  // finding codes, sorted, unique (document-level ones go to the first row)
  std::string signer, organization, issuer_ca, pki;  // empty when unknown
  std::string month;           // YYYY-MM of the (proven, else claimed) signing time; empty when unknown
  // Evidence of the warning/error findings, per code (what the worst examples show).
  std::map<std::string, std::map<std::string, std::string>> evidence;
};

// A damage finding of a file: document-level, code DAMAGE_*, evidence `class` and `reversible`
// (docs/damage.md). Copied out of the report so that damage is counted whatever its severity.
struct Damage {
  std::string code;
  std::string cls;  // line_endings, base64, reencoding, trailing_bytes, ... ; "unknown" when not given
  bool reversible = false;
};

struct LIBSIGN_API FileResult {
  std::string path;    // as discovered; a ZIP member is "archive.zip!member/path.pdf"
  std::string folder;  // parent folders relative to the input it came from ("portal/commune"), "." if none
  std::string format;  // pdf | xml | cms (detected from the content); empty when unreadable
  uint64_t size = 0;
  int64_t mtime = 0;   // seconds since the epoch (of the archive for a ZIP member)
  std::string error;   // the libsign::Error code when the file could not be verified
  std::vector<Row> rows;
  std::vector<Damage> damage;  // what the transfer or the systems on the way did to the file
  std::string arrival;         // YYYY-MM a ZIP member arrived (its own date in the archive); empty otherwise

  // When the file arrived: `arrival` if set, else YYYY-MM (UTC) of the modification time; empty
  // when unknown (mtime 0).
  std::string arrival_month() const;

  std::string to_json() const;  // one compact line (the state file stores these)
  static FileResult from_json(const std::string& line);  // throws Error(format) on a bad line
};

// Counts of one value of a breakdown (one CA, one month, one folder, ...).
struct Bucket {
  uint64_t rows = 0, not_passed = 0;
  std::map<std::string, uint64_t> codes;
};

// The validation settings of a run, recorded in the report (they explain some findings:
// REVOCATION_NOT_CHECKED under offline). All strings so that merge() stays simple: an empty field
// takes the other's value, two different values become "mixed".
struct LIBSIGN_API Settings {
  std::string trust_profile;      // "vn-all", a profile of --profiles-dir, "none"
  std::string trust_files;        // file names of --trust, ", "-separated; empty when none
  std::string revocation;         // "online" | "offline"
  std::string revocation_policy;  // "required" | "optional"
  std::string validation_time;    // RFC 3339 UTC, or "now" (then run.generated_at says when)
  std::string libsign_version;

  static Settings of(const VerifyOptions& options);
  void merge(const Settings& other);
  bool operator==(const Settings& o) const;
};

// Damaged files arrived in one folder in one month (of arrival, i.e. file time).
struct DamageCell {
  uint64_t files = 0;    // every file that arrived (damaged or not): the denominator
  uint64_t damaged = 0;  // files with at least one damage finding
  std::map<std::string, uint64_t> classes;  // damaged files per class
};

struct DamageClassStats {
  uint64_t files = 0, reversible = 0;
  std::map<std::string, uint64_t> codes;  // files per DAMAGE_ code
};

struct Example {
  std::string path, signature, indication, sub_indication;
  std::map<std::string, std::string> evidence;
};

struct CodeStats {
  uint64_t rows = 0, files = 0;
  std::string first_month, last_month;  // the signing months in which it was seen (since when)
};

// Streamed, mergeable summary. merge() is associative and commutative: every ordering inside is a
// total order on the data (counts, then names), never arrival order.
class LIBSIGN_API Aggregate {
 public:
  explicit Aggregate(size_t examples_per_code = 5) : examples_per_code_(examples_per_code) {}

  void add(const FileResult& file);
  void merge(const Aggregate& other);
  void mark_incomplete() { complete_ = false; }
  void set_settings(const Settings& settings) { settings_ = settings; }
  const Settings& settings() const { return settings_; }
  bool complete() const { return complete_; }

  // The whole summary as libsign-diagnose/1 JSON. `run` (timing and such) is copied under "run";
  // everything else depends only on the files. `lang`-free: both languages are in it.
  std::string to_json(int indent = 2, const std::string& run_json = "{}") const;
  static Aggregate from_json(const std::string& json);  // reads what to_json wrote (Dask transfer)
  std::string to_html(const std::string& lang, const std::string& run_json = "{}") const;

  uint64_t files() const { return files_; }
  uint64_t rows() const { return rows_; }
  const std::map<std::string, uint64_t>& by_indication() const { return by_indication_; }
  const std::map<std::string, CodeStats>& by_code() const { return by_code_; }
  const std::map<std::string, std::map<std::string, Bucket>>& breakdowns() const { return breakdowns_; }
  const std::map<std::string, std::vector<Example>>& examples() const { return examples_; }
  // folder -> month of arrival ("" when unknown) -> counts; and per damage class.
  const std::map<std::string, std::map<std::string, DamageCell>>& arrivals() const { return arrivals_; }
  const std::map<std::string, DamageClassStats>& damage_classes() const { return damage_classes_; }
  size_t examples_per_code() const { return examples_per_code_; }

 private:
  void add_example(const std::string& code, Example example);

  size_t examples_per_code_;
  bool complete_ = true;
  uint64_t files_ = 0, rows_ = 0, signatures_ = 0, unreadable_ = 0, unsigned_ = 0;
  std::map<std::string, uint64_t> by_indication_, by_sub_indication_;
  std::map<std::string, CodeStats> by_code_;
  // "issuer_ca", "pki", "organization", "month", "portal", "folder" -> value -> bucket
  std::map<std::string, std::map<std::string, Bucket>> breakdowns_;
  std::map<std::string, std::vector<Example>> examples_;  // per code, worst first, at most examples_per_code_
  Settings settings_;
  // Damage over time: bounded by folders x months (x classes), never by files.
  std::map<std::string, std::map<std::string, DamageCell>> arrivals_;
  std::map<std::string, DamageClassStats> damage_classes_;
};

// Limits on ZIP archives (zip bombs, hostile archives).
struct ZipLimits {
  uint64_t max_member_bytes = 256ull << 20;   // one uncompressed member
  uint64_t max_total_bytes = 64ull << 30;     // all members of one archive, as declared
  uint64_t max_entries = 1'000'000;
  uint64_t max_ratio = 1000;                  // uncompressed / compressed, for members above 1 MiB
};

struct Options {
  VerifyOptions verify;
  unsigned jobs = 0;            // 0 = every core
  std::string state_path;       // resumable state (JSONL); empty = none
  size_t examples_per_code = 5;
  ZipLimits zip;
  const std::atomic<bool>* cancel = nullptr;  // set it (e.g. from a SIGINT handler) to stop early
};

// A unit of work found by discovery: a file, or a member of a ZIP archive.
struct Item {
  std::string path;  // file path, or "archive.zip!member"
  std::string root;  // the input it was found under (folder breakdowns are relative to it)
  int64_t member = -1;  // index in the archive's central directory; -1 for a plain file
  int64_t content_member = -1;  // a detached signature's content in the same archive (X for X.p7s), else -1
  std::shared_ptr<const void> archive;  // the opened archive for members (internal)
  std::string error;  // a code when discovery already knows it cannot be read (missing, bad ZIP)
};

// Expands inputs: folders (recursively, sorted), glob patterns, "-" (one path per line on stdin),
// and, when `expand_archives`, ZIP archives into their members. A ZIP that cannot be opened stays
// one item (it becomes an ARCHIVE_INVALID row). Missing inputs throw Error(io, INPUT_UNREADABLE).
LIBSIGN_API std::vector<Item> discover(const std::vector<std::string>& inputs, bool expand_archives = true,
                           const ZipLimits& limits = {});

// Opens the ZIP archives among `items` (as discover with expand_archives=true would have): a
// worker given unexpanded items (e.g. a Dask task) expands its own.
LIBSIGN_API std::vector<Item> expand_archives(const std::vector<Item>& items, const ZipLimits& limits = {});

// Verifies one item into a FileResult; never throws for a bad file (it becomes an ERROR row).
LIBSIGN_API FileResult diagnose_item(const Verifier& verifier, const Item& item, const ZipLimits& limits = {});

struct Progress {
  uint64_t done = 0, total = 0, resumed = 0;
};

struct RunResult {
  Aggregate aggregate;
  uint64_t resumed = 0;  // files taken from the state file
  bool interrupted = false;
  VerifierStats verifier_stats;  // the run's network fetches and cache use (files taken from the state file cost none)
};

// Verifies `items` on `options.jobs` threads. `on_file` (may be empty) gets each result, one call at
// a time, in completion order; `on_progress` is called at most every ~100 ms from the caller's thread.
LIBSIGN_API RunResult run(const std::vector<Item>& items, const Options& options,
              const std::function<void(const FileResult&)>& on_file = {},
              const std::function<void(const Progress&)>& on_progress = {});

// Rows as CSV (header once, then one line per row of each file). The header starts with a UTF-8
// BOM so that spreadsheets on Windows read the Vietnamese text right.
LIBSIGN_API std::string csv_header();
LIBSIGN_API std::string csv_rows(const FileResult& file);

}  // namespace libsign::diagnose
