// Disk usage of a database directory: bytes of its files (all, or only the tables), and a
// thread that polls the total every few milliseconds to record the peak.
//
// Example:
//   DiskPeakPoller poller(dir, std::chrono::milliseconds(100));   // starts polling
//   RunWorkload();
//   poller.Sample();                  // one more reading now (e.g. at the end of a phase)
//   uint64_t peak = poller.peak();
//
// Files that vanish while being counted (a compaction deleting its inputs) are skipped.
// Thread-safety: DiskPeakPoller's methods may be called from any thread; `dir` must stay
// valid while the poller lives (it is copied).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

namespace lsm::bench {

// Bytes of the regular files directly in dir (0 if it does not exist).
uint64_t DirectoryBytes(const std::filesystem::path& dir);
// Bytes of the table files in dir (*.ldb and *.sst: ours, LevelDB's and RocksDB's names).
uint64_t TableBytes(const std::filesystem::path& dir);

class DiskPeakPoller {
 public:
  DiskPeakPoller(std::filesystem::path dir, std::chrono::milliseconds interval);
  ~DiskPeakPoller();  // stops the thread
  DiskPeakPoller(const DiskPeakPoller&) = delete;
  DiskPeakPoller& operator=(const DiskPeakPoller&) = delete;

  // Takes one reading now.
  void Sample();
  uint64_t peak() const { return peak_.load(); }

 private:
  void Loop();

  const std::filesystem::path dir_;
  const std::chrono::milliseconds interval_;
  std::atomic<uint64_t> peak_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace lsm::bench
