// Histogram's bucket arithmetic and its nearest-rank percentile (see histogram.h).
#include "bench/lib/histogram.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

namespace lsm::bench {

Histogram::Histogram() : buckets_(kBuckets, 0) {}

int Histogram::BucketOf(uint64_t value) {
  if (value < kExactBelow) return static_cast<int>(value);
  const int k = std::bit_width(value) - 1;  // 2^k <= value < 2^(k+1), k >= kSubBucketBits + 1
  if (k >= kMaxBits) return kBuckets - 1;
  const uint64_t top = value >> (k - kSubBucketBits);  // kSubBuckets .. 2*kSubBuckets-1
  return static_cast<int>(kExactBelow + (k - kSubBucketBits - 1) * kSubBuckets +
                          (top - kSubBuckets));
}

uint64_t Histogram::BucketUpperEnd(int b) {
  if (static_cast<uint64_t>(b) < kExactBelow) return static_cast<uint64_t>(b);
  const uint64_t j = static_cast<uint64_t>(b) - kExactBelow;
  const int k = kSubBucketBits + 1 + static_cast<int>(j / kSubBuckets);
  const uint64_t top = kSubBuckets + j % kSubBuckets;
  return ((top + 1) << (k - kSubBucketBits)) - 1;
}

void Histogram::Add(uint64_t value) {
  ++buckets_[BucketOf(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  if (value > kSlowThreshold) {
    ++slow_count_;
    slow_sum_ += value;
  }
}

void Histogram::Merge(const Histogram& other) {
  for (int b = 0; b < kBuckets; ++b) buckets_[b] += other.buckets_[b];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  slow_count_ += other.slow_count_;
  slow_sum_ += other.slow_sum_;
}

uint64_t Histogram::Percentile(double p) const {
  assert(p > 0 && p <= 100);
  if (count_ == 0) return 0;
  // rank = ceil(p/100 x count), computed as p x count / 100 so 99.9 x 1000 is 999, not 999.0…01;
  // the epsilon absorbs the rounding of p itself (99.9 is not exact in binary).
  const double exact = p * static_cast<double>(count_) / 100.0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(exact - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[b];
    if (seen >= rank) return std::min(BucketUpperEnd(b), max_);
  }
  return max_;
}

}  // namespace lsm::bench
