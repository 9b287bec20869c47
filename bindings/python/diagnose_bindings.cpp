// pybind11 bindings of libsign::diagnose: a run that yields per-file results to Python while C++
// threads verify (the GIL is released while waiting), per-chunk runs for Dask, and the mergeable
// Aggregate (picklable through its JSON).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "libsign/diagnose.hpp"
#include "options.hpp"
#include "report_docs.hpp"

namespace py = pybind11;
using libsign::diagnose::Aggregate;

namespace {

// Keys as in libsign.make_verifier: trust_profile, profile_dirs, trust, at, revocation (dict of
// online, required, allow_hosts, allow_private, timeout, deadline, cache_dir).
libsign::VerifyOptions verify_options(const py::dict& o) {
  libsign::VerifyOptions v;
  if (o.contains("trust_profile")) v.trust_profile = o["trust_profile"].cast<std::string>();
  if (o.contains("profile_dirs")) v.profile_dirs = o["profile_dirs"].cast<std::vector<std::string>>();
  if (o.contains("trust")) v.trust_paths = o["trust"].cast<std::vector<std::string>>();
  if (o.contains("at") && !o["at"].cast<std::string>().empty()) v.at = libsign::parse_time(o["at"].cast<std::string>());
  if (o.contains("revocation")) v.revocation = libsign::python::revocation_options(py::object(o["revocation"]));
  return v;
}

// A diagnose run on a background thread; Python pulls results one by one.
class Run {
 public:
  Run(std::vector<std::string> paths, const py::dict& options, unsigned jobs, std::string state, size_t examples)
      : result_{Aggregate(examples)} {
    libsign::diagnose::Options o;
    o.verify = verify_options(options);  // bad options raise here, before any thread starts
    o.jobs = jobs;
    o.state_path = std::move(state);
    o.examples_per_code = examples;
    o.cancel = &cancel_;
    libsign::Verifier check(o.verify);  // unknown profile or unreadable trust files: raise now
    thread_ = std::thread([this, paths = std::move(paths), o] {
      try {
        auto items = libsign::diagnose::discover(paths);
        auto r = libsign::diagnose::run(items, o, [this](const libsign::diagnose::FileResult& f) { push(f.to_json()); });
        std::lock_guard<std::mutex> lock(mutex_);
        result_ = std::move(r);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = e.what();
      }
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
      cv_.notify_all();
    });
  }

  ~Run() {
    cancel_ = true;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable()) {
      py::gil_scoped_release release;
      thread_.join();
    }
  }

  // The next result as a JSON line, or None when the run is over.
  py::object next() {
    std::string line;
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return !queue_.empty() || finished_; });
      if (queue_.empty()) {
        lock.unlock();
        if (thread_.joinable()) thread_.join();
        lock.lock();
      } else {
        line = std::move(queue_.front());
        queue_.pop_front();
        cv_.notify_all();
      }
    }
    if (!error_.empty()) throw std::runtime_error(error_);
    if (line.empty()) return py::none();
    return py::str(line);
  }

  void cancel() { cancel_ = true; }

  Aggregate aggregate() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!finished_ || thread_.joinable()) throw std::runtime_error("the diagnosis is still running: iterate it to the end first");
    return result_.aggregate;
  }
  uint64_t resumed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return result_.resumed;
  }
  py::dict verifier_stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return libsign::python::stats_dict(result_.verifier_stats);
  }

 private:
  void push(std::string line) {
    std::unique_lock<std::mutex> lock(mutex_);
    // Bounded: the verifying threads wait for a slow consumer instead of filling memory.
    cv_.wait(lock, [&] { return queue_.size() < 256 || closed_; });
    if (closed_) return;
    queue_.push_back(std::move(line));
    cv_.notify_all();
  }

  std::atomic<bool> cancel_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool finished_ = false, closed_ = false;
  std::string error_;
  libsign::diagnose::RunResult result_;
  std::thread thread_;
};

}  // namespace

void bind_diagnose(py::module_& m) {
  py::class_<Aggregate>(m, "Aggregate", "The mergeable summary of a diagnosis (libsign-diagnose/1, docs/diagnose.md); picklable.")
      .def(py::init<size_t>(), py::arg("examples_per_code") = 5)
      .def("merge", [](Aggregate& a, const Aggregate& b) { a.merge(b); return a; }, py::arg("other"),
           "Merge `other` into this aggregate (associative, commutative); returns self")
      .def("to_json", [](const Aggregate& a, int indent) { return a.to_json(indent); }, py::arg("indent") = 2)
      .def("to_html", [](const Aggregate& a, const std::string& lang) { return a.to_html(lang); }, py::arg("lang") = "vi")
      .def_static("from_json", &Aggregate::from_json, py::arg("text"))
      .def_property_readonly("complete", &Aggregate::complete)
      .def_property_readonly("files", &Aggregate::files)
      .def_property_readonly("rows", &Aggregate::rows)
      .def_property_readonly("settings", [](const Aggregate& a) {
        const auto& s = a.settings();
        py::dict d;
        d["trust_profile"] = s.trust_profile;
        d["trust_files"] = s.trust_files;
        d["revocation"] = s.revocation;
        d["revocation_policy"] = s.revocation_policy;
        d["validation_time"] = s.validation_time;
        d["libsign_version"] = s.libsign_version;
        return d;
      }, "The validation settings of the run (trust profile, online/offline, validation time, libsign version)")
      .def(py::pickle([](const Aggregate& a) { return a.to_json(-1); },
                      [](const std::string& s) { return Aggregate::from_json(s); }))
      .def("__repr__", [](const Aggregate& a) { return "<Aggregate files=" + std::to_string(a.files()) + ">"; });

  py::class_<Run>(m, "_DiagnoseRun")
      .def(py::init<std::vector<std::string>, const py::dict&, unsigned, std::string, size_t>(), py::arg("paths"),
           py::arg("options"), py::arg("jobs") = 0, py::arg("state") = "", py::arg("examples") = 5)
      .def("next", &Run::next)
      .def("cancel", &Run::cancel)
      .def("aggregate", &Run::aggregate)
      .def("resumed", &Run::resumed)
      .def("verifier_stats", &Run::verifier_stats);

  m.def("diagnose_discover", [](const std::vector<std::string>& paths) {
    std::vector<std::tuple<std::string, std::string>> out;
    for (const auto& item : libsign::diagnose::discover(paths, false)) out.emplace_back(item.path, item.root);
    return out;
  }, py::arg("paths"), "Work items (path, root) with ZIP archives left whole: what diagnose_chunk takes");

  m.def("diagnose_chunk", [](const std::vector<std::tuple<std::string, std::string>>& chunk, const py::dict& options,
                             unsigned jobs, size_t examples) {
    libsign::diagnose::Options o;
    o.verify = verify_options(options);
    o.jobs = jobs;
    o.examples_per_code = examples;
    py::gil_scoped_release release;
    std::vector<libsign::diagnose::Item> items;
    for (const auto& [path, root] : chunk) {
      libsign::diagnose::Item item;
      item.path = path;
      item.root = root;
      items.push_back(std::move(item));
    }
    items = libsign::diagnose::expand_archives(items);
    return libsign::diagnose::run(items, o).aggregate;
  }, py::arg("items"), py::arg("options"), py::arg("jobs") = 1, py::arg("examples") = 5);
}
