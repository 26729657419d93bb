#include "bench/compaction_lab/disk_usage.h"

#include <system_error>

namespace lsm::bench {
namespace {

template <typename Keep>
uint64_t SumFiles(const std::filesystem::path& dir, Keep keep) {
  std::error_code ec;
  uint64_t total = 0;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!keep(it->path())) continue;
    std::error_code size_ec;
    const uint64_t size = std::filesystem::file_size(it->path(), size_ec);
    if (!size_ec) total += size;  // gone since the listing: skip it
  }
  return total;
}

}  // namespace

uint64_t DirectoryBytes(const std::filesystem::path& dir) {
  return SumFiles(dir, [](const std::filesystem::path&) { return true; });
}

uint64_t TableBytes(const std::filesystem::path& dir) {
  return SumFiles(dir, [](const std::filesystem::path& p) {
    return p.extension() == ".ldb" || p.extension() == ".sst";
  });
}

DiskPeakPoller::DiskPeakPoller(std::filesystem::path dir, std::chrono::milliseconds interval)
    : dir_(std::move(dir)), interval_(interval), thread_([this] { Loop(); }) {}

DiskPeakPoller::~DiskPeakPoller() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void DiskPeakPoller::Sample() {
  const uint64_t now = DirectoryBytes(dir_);
  uint64_t peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
}

void DiskPeakPoller::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    l.unlock();
    Sample();
    l.lock();
    cv_.wait_for(l, interval_, [this] { return stop_; });
  }
}

}  // namespace lsm::bench
