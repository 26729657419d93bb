// Histogram: exact nearest-rank percentiles below kExactBelow, bounded error above, merging.
#include "bench/lib/histogram.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"

namespace lsm::bench {
namespace {

TEST(HistogramTest, Empty) {
  Histogram h;
  EXPECT_EQ(0u, h.count());
  EXPECT_EQ(0u, h.Percentile(50));
  EXPECT_EQ(0u, h.max());
}

TEST(HistogramTest, OneToThousandNearestRank) {
  Histogram h;
  for (uint64_t v = 1; v <= 1000; ++v) h.Add(v);
  EXPECT_EQ(1000u, h.count());
  EXPECT_EQ(500u, h.Percentile(50));
  EXPECT_EQ(990u, h.Percentile(99));
  EXPECT_EQ(999u, h.Percentile(99.9));
  EXPECT_EQ(1000u, h.Percentile(100));
  EXPECT_EQ(1u, h.Percentile(0.1));
  EXPECT_EQ(1u, h.Percentile(0.01));  // rank ceil(0.1) = 1: the smallest sample
  EXPECT_EQ(1u, h.min());
  EXPECT_EQ(1000u, h.max());
  EXPECT_DOUBLE_EQ(500.5, h.mean());
}

TEST(HistogramTest, InsertionOrderDoesNotMatter) {
  std::vector<uint64_t> values(1000);
  std::iota(values.begin(), values.end(), 1);
  Random rnd(301);
  for (size_t i = values.size() - 1; i > 0; --i) std::swap(values[i], values[rnd.Uniform(i + 1)]);
  Histogram h;
  for (uint64_t v : values) h.Add(v);
  EXPECT_EQ(500u, h.Percentile(50));
  EXPECT_EQ(990u, h.Percentile(99));
  EXPECT_EQ(999u, h.Percentile(99.9));
}

TEST(HistogramTest, MergeEqualsOneHistogram) {
  Histogram low, high, all;
  for (uint64_t v = 1; v <= 1000; ++v) {
    (v % 2 == 0 ? low : high).Add(v);
    all.Add(v);
  }
  low.Merge(high);
  EXPECT_EQ(all.count(), low.count());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(all.Percentile(p), low.Percentile(p)) << "p" << p;
  }
  EXPECT_EQ(1u, low.min());
  EXPECT_EQ(1000u, low.max());
}

TEST(HistogramTest, RepeatedValues) {
  Histogram h;
  for (int i = 0; i < 99; ++i) h.Add(7);
  h.Add(2000);
  EXPECT_EQ(7u, h.Percentile(50));
  EXPECT_EQ(7u, h.Percentile(99));     // rank 99 of 100 is still a 7
  EXPECT_EQ(2000u, h.Percentile(99.9)); // rank 100
}

TEST(HistogramTest, ExactBelowTheBound) {
  for (uint64_t v = 0; v < Histogram::kExactBelow; ++v) {
    ASSERT_EQ(v, Histogram::BucketUpperEnd(Histogram::BucketOf(v))) << v;
  }
}

TEST(HistogramTest, RelativeErrorAboveTheBound) {
  // Every value lands in a bucket whose upper end is >= it and within 1/kSubBuckets of it; the
  // buckets are contiguous (each upper end + 1 starts the next bucket).
  for (uint64_t v = Histogram::kExactBelow; v < (uint64_t{1} << 39); v = v * 17 / 16 + 1) {
    const int b = Histogram::BucketOf(v);
    const uint64_t upper = Histogram::BucketUpperEnd(b);
    ASSERT_GE(upper, v);
    ASSERT_LE(static_cast<double>(upper - v), static_cast<double>(v) / Histogram::kSubBuckets);
    ASSERT_EQ(b + 1, Histogram::BucketOf(upper + 1)) << v;
  }
  EXPECT_EQ(Histogram::kBuckets - 1, Histogram::BucketOf(UINT64_MAX));
}

TEST(HistogramTest, PercentileNeverAboveMax) {
  Histogram h;
  h.Add(1000001);  // in a bucket whose upper end is larger
  EXPECT_EQ(1000001u, h.Percentile(50));
  EXPECT_EQ(1000001u, h.max());
}

TEST(HistogramTest, LargeValuesWithinATenthOfAPercent) {
  Histogram h;
  for (uint64_t v = 1; v <= 1000; ++v) h.Add(v * 1000);  // 1 µs .. 1 ms in ns
  const uint64_t p99 = h.Percentile(99);
  EXPECT_GE(p99, 990000u);
  EXPECT_LE(p99, 990000u + 990000u / Histogram::kSubBuckets);
}

TEST(HistogramTest, SlowSamples) {
  Histogram h;
  h.Add(Histogram::kSlowThreshold);      // not slower than the threshold
  h.Add(Histogram::kSlowThreshold + 1);
  h.Add(3 * Histogram::kSlowThreshold);
  EXPECT_EQ(2u, h.slow_count());
  EXPECT_EQ(4 * Histogram::kSlowThreshold + 1, h.slow_sum());
}

}  // namespace
}  // namespace lsm::bench
