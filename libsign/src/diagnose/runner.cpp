// Verifying items on a pool of threads: each worker folds its results into its own Aggregate (merged
// at the end), results go to the caller and the state file one at a time.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "diagnose/state_file.hpp"
#include "libsign/diagnose.hpp"

namespace libsign::diagnose {

RunResult run(const std::vector<Item>& items, const Options& options,
              const std::function<void(const FileResult&)>& on_file,
              const std::function<void(const Progress&)>& on_progress) {
  Verifier verifier(options.verify);  // built once: the trust store is shared by every thread
  StateFile state(options.state_path, options_fingerprint(options.verify));
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(jobs, items.size())));

  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0}, resumed{0};
  std::mutex sink;  // on_file and the state file
  std::mutex wake_mutex;
  std::condition_variable wake;
  unsigned finished = 0;
  auto cancelled = [&] { return options.cancel && options.cancel->load(); };

  std::vector<Aggregate> partial(jobs, Aggregate(options.examples_per_code));
  auto worker = [&](unsigned w) {
    for (size_t i; !cancelled() && (i = next++) < items.size();) {
      const Item& item = items[i];
      uint64_t size;
      int64_t mtime;
      item_identity(item, size, mtime);
      std::optional<FileResult> result = state.find(item.path, size, mtime);
      bool fresh = !result;
      if (fresh) result = diagnose_item(verifier, item, options.zip);
      else ++resumed;
      partial[w].add(*result);
      {
        std::lock_guard<std::mutex> lock(sink);
        if (fresh) state.append(*result);
        if (on_file) on_file(*result);
      }
      ++done;
    }
    std::lock_guard<std::mutex> lock(wake_mutex);
    ++finished;
    wake.notify_all();
  };

  std::vector<std::thread> threads;
  for (unsigned w = 0; w < jobs; ++w) threads.emplace_back(worker, w);
  {
    std::unique_lock<std::mutex> lock(wake_mutex);
    while (!wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished == jobs; })) {
      if (on_progress) {
        lock.unlock();
        on_progress(Progress{done.load(), items.size(), resumed.load()});
        lock.lock();
      }
    }
  }
  for (auto& t : threads) t.join();
  if (on_progress) on_progress(Progress{done.load(), items.size(), resumed.load()});

  RunResult out{Aggregate(options.examples_per_code), resumed.load(), cancelled(), verifier.stats()};
  out.aggregate.set_settings(Settings::of(options.verify));
  for (const auto& p : partial) out.aggregate.merge(p);
  if (done.load() < items.size()) out.aggregate.mark_incomplete();
  return out;
}

}  // namespace libsign::diagnose
