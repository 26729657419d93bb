// ThreadStats: what one benchmark thread measured — operations completed (an atomic the
// throughput sampler reads every interval) and a latency Histogram per operation kind.
// ThroughputSampler: a thread that, every interval, sums the completed-operation counters of a
// group of ThreadStats and records the group's rate (ops/s) — db_bench's throughput over time.
//
// Example:
//   std::vector<std::unique_ptr<ThreadStats>> stats = ...;   // one per worker
//   ThroughputSampler sampler(1000, {&readers});             // 1 s intervals
//   ... workers call stats[t]->Done() and stats[t]->Record(OpKind::kRead, nanos) ...
//   sampler.Stop();  series = sampler.series(0);             // ops/s of each whole interval
//
// Thread-safety: a ThreadStats is written by its own thread only; done() may be read by any
// thread at any time (relaxed: the sampler needs no ordering); the histograms are read after the
// thread has been joined. ThroughputSampler: construct, Stop and read from one thread.
// Neither is copyable.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/lib/histogram.h"

namespace lsm::bench {

// The operation kinds db_bench times, each with its own histogram.
enum class OpKind { kRead, kUpdate, kInsert, kScan, kReadModifyWrite, kWrite, kSeek, kDelete };
inline constexpr int kOpKinds = 8;
inline constexpr std::array<std::string_view, kOpKinds> kOpKindNames = {
    "read", "update", "insert", "scan", "rmw", "write", "seek", "delete"};

class alignas(64) ThreadStats {
 public:
  ThreadStats() = default;
  ThreadStats(const ThreadStats&) = delete;
  ThreadStats& operator=(const ThreadStats&) = delete;

  // One more operation completed. Only the owning thread writes, so load + store is enough
  // (no read-modify-write instruction on the hot path).
  void Done() { done_.store(done_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
  int64_t done() const { return done_.load(std::memory_order_relaxed); }
  // Bytes of keys and values this thread put (the YCSB and *whilewriting workloads count them
  // here, for db_bench's write amplification). Read after the thread has been joined.
  void Wrote(int64_t bytes) { written_bytes_ += bytes; }
  int64_t written_bytes() const { return written_bytes_; }

  void Record(OpKind kind, uint64_t nanos) {
    auto& h = histograms_[static_cast<int>(kind)];
    if (h == nullptr) h = std::make_unique<Histogram>();
    h->Add(nanos);
  }
  // The histogram of one kind, nullptr when none was recorded.
  const Histogram* histogram(int kind) const { return histograms_[kind].get(); }

 private:
  std::atomic<int64_t> done_{0};
  int64_t written_bytes_ = 0;
  std::array<std::unique_ptr<Histogram>, kOpKinds> histograms_;
};

class ThroughputSampler {
 public:
  using Group = std::vector<std::unique_ptr<ThreadStats>>;
  // Starts sampling each group every interval_ms. The groups must outlive Stop().
  ThroughputSampler(int64_t interval_ms, std::vector<const Group*> groups)
      : interval_(interval_ms), groups_(std::move(groups)), series_(groups_.size()),
        thread_([this] { Loop(); }) {}
  ~ThroughputSampler() { Stop(); }
  ThroughputSampler(const ThroughputSampler&) = delete;
  ThroughputSampler& operator=(const ThroughputSampler&) = delete;

  // Ends sampling; the interval in progress is dropped (only whole intervals are recorded).
  void Stop() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  // Ops per second of group g in each whole interval, in order. REQUIRES: Stop() was called.
  const std::vector<double>& series(size_t g) const { return series_[g]; }

 private:
  static int64_t Sum(const Group& group) {
    int64_t n = 0;
    for (const auto& s : group) n += s->done();
    return n;
  }
  void Loop() {
    std::vector<int64_t> last(groups_.size(), 0);
    auto next = std::chrono::steady_clock::now() + interval_;
    std::unique_lock<std::mutex> l(mu_);
    while (!cv_.wait_until(l, next, [this] { return stop_; })) {
      for (size_t g = 0; g < groups_.size(); ++g) {
        const int64_t now = Sum(*groups_[g]);
        series_[g].push_back(static_cast<double>(now - last[g]) * 1000.0 /
                             static_cast<double>(interval_.count()));
        last[g] = now;
      }
      next += interval_;
    }
  }

  const std::chrono::milliseconds interval_;
  const std::vector<const Group*> groups_;
  std::vector<std::vector<double>> series_;  // written by thread_ until Stop
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace lsm::bench
