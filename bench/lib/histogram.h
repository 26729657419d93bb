// Histogram: latencies (or any non-negative integers) in fixed memory, with EXACT nearest-rank
// percentiles for values below kExactBelow and a relative error under 1/kSubBuckets above.
//
// Layout (HdrHistogram's log-linear buckets): values 0..kExactBelow-1 get one bucket each;
// above that, each power-of-two range [2^k, 2^(k+1)) is split into kSubBuckets equal buckets.
// With values in nanoseconds that is exact below 2.048 µs and within 0.1% up to 2^kMaxBits ns
// (~19 minutes; larger values are clamped into the last bucket, max() stays exact).
// Memory: kBuckets counters = (2048 + 29 x 1024) x 8 bytes = 248 KiB per histogram, whatever
// the number of samples (db_bench keeps one per thread and operation kind, then merges; the
// compaction lab one for its puts).
//
// Percentile definition (nearest rank): Percentile(p) is the smallest recorded value v such
// that at least ceil(p/100 x count) samples are <= v. So for the samples 1..1000:
// p50 = 500, p99 = 990, p99.9 = 999, p100 = 1000. A value in an inexact bucket is reported as
// that bucket's upper end, never above max() — so a percentile is never reported low.
//
// Example:
//   Histogram h;
//   h.Add(1234);                             // nanoseconds
//   double p99_us = h.Percentile(99) / 1e3;
//   total.Merge(h);                          // per-thread histograms into one
//
// Also counts the samples above kSlowThreshold (1 ms in ns) and sums them: db_bench's and the
// compaction lab's stand-in for write-stall time when an engine does not report its own.
// Thread-safety: none (one histogram per thread, merged after the threads join).
// Intentionally copyable (and movable); heap-allocates its counters.
#pragma once

#include <cstdint>
#include <vector>

namespace lsm::bench {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 10;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;  // 1024
  static constexpr uint64_t kExactBelow = 2 * kSubBuckets;                 // 2048
  static constexpr int kMaxBits = 40;  // values up to 2^40 (in ns: ~18 minutes)
  static constexpr int kBuckets =
      static_cast<int>(kExactBelow + (kMaxBits - kSubBucketBits - 1) * kSubBuckets);
  static constexpr uint64_t kSlowThreshold = 1000000;  // 1 ms in nanoseconds

  Histogram();

  void Add(uint64_t value);
  // Adds every sample of other into this histogram.
  void Merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / count_; }
  // The samples above kSlowThreshold: how many, and their sum.
  uint64_t slow_count() const { return slow_count_; }
  uint64_t slow_sum() const { return slow_sum_; }

  // The nearest-rank p-th percentile (see the file comment); 0 when empty.
  // REQUIRES: 0 < p <= 100.
  uint64_t Percentile(double p) const;

  // The bucket holding value, and the largest value bucket b holds (for the tests).
  static int BucketOf(uint64_t value);
  static uint64_t BucketUpperEnd(int b);

 private:
  std::vector<uint64_t> buckets_;  // kBuckets counters
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  uint64_t slow_count_ = 0;
  uint64_t slow_sum_ = 0;
};

}  // namespace lsm::bench
