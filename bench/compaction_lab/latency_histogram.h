// LatencyHistogram: per-operation latencies in logarithmic buckets (each 4% wider than the one
// before), so a percentile costs O(buckets) and memory stays fixed however many operations
// are timed. A percentile is reported as its bucket's upper bound: at most 4% high.
//
// Example:
//   LatencyHistogram h;
//   h.Add(1234);                 // nanoseconds
//   double p99 = h.Percentile(99) / 1000.0;   // microseconds
//
// Also sums the time spent in operations slower than a threshold (SlowNanos), the lab's
// stand-in for write-stall time when an engine does not report its own.
// Thread-safety: none (one histogram per timing thread). Intentionally copyable.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace lsm::bench {

class LatencyHistogram {
 public:
  static constexpr double kGrowth = 1.04;
  static constexpr int kBuckets = 700;  // 1.04^700 ns is far beyond any latency we time
  static constexpr uint64_t kSlowNanos = 1000000;  // 1 ms

  void Add(uint64_t nanos) {
    ++buckets_[Bucket(nanos)];
    ++count_;
    if (nanos > kSlowNanos) {
      slow_nanos_ += nanos;
      ++slow_count_;
    }
  }
  uint64_t count() const { return count_; }
  // Total nanoseconds of the operations slower than kSlowNanos, and how many there were.
  uint64_t slow_nanos() const { return slow_nanos_; }
  uint64_t slow_count() const { return slow_count_; }

  // The latency (ns) at or below which p percent of the operations fall. REQUIRES: 0 < p <= 100.
  double Percentile(double p) const {
    if (count_ == 0) return 0;
    const double want = p / 100.0 * static_cast<double>(count_);
    uint64_t seen = 0;
    for (int b = 0; b < kBuckets; ++b) {
      seen += buckets_[b];
      if (static_cast<double>(seen) >= want) return UpperBound(b);
    }
    return UpperBound(kBuckets - 1);
  }

 private:
  // Bucket b holds latencies in (1.04^(b-1), 1.04^b] ns; bucket 0 holds 0 and 1 ns.
  static int Bucket(uint64_t nanos) {
    if (nanos <= 1) return 0;
    const int b = static_cast<int>(std::ceil(std::log(static_cast<double>(nanos)) /
                                             std::log(kGrowth)));
    return b < kBuckets ? b : kBuckets - 1;
  }
  static double UpperBound(int b) { return std::pow(kGrowth, b); }

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t slow_nanos_ = 0;
  uint64_t slow_count_ = 0;
};

}  // namespace lsm::bench
