// RateLimiter: the token bucket's arithmetic on given times (no clock, no sleeping).
#include "bench/db_bench/rate_limiter.h"

#include <gtest/gtest.h>

namespace lsm::bench {
namespace {

TEST(RateLimiterTest, FirstTokenIsFreeThenOnePerInterval) {
  RateLimiter limiter(1000, /*start_micros=*/0);  // 1000/s: one token per 1000 µs, burst 1
  EXPECT_EQ(0, limiter.Acquire(0));
  EXPECT_DOUBLE_EQ(1000, limiter.Acquire(0));    // reserved: wait a whole interval
  EXPECT_DOUBLE_EQ(1000, limiter.Acquire(1000)); // one token came back, one reserved ahead
  EXPECT_DOUBLE_EQ(500, limiter.Acquire(2500));
}

TEST(RateLimiterTest, TokensCapAtTheBurst) {
  RateLimiter limiter(1000, 0, /*burst=*/5);
  // A long idle spell refills only up to the burst: 5 free tokens, then waits.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(0, limiter.Acquire(1e6)) << i;
  EXPECT_DOUBLE_EQ(1000, limiter.Acquire(1e6));
}

// A caller that sleeps exactly what it is told does rate x seconds (+ the first free token).
TEST(RateLimiterTest, ExactSleeperHoldsTheRate) {
  RateLimiter limiter(1000, 0);
  double now = 0;
  int ops = 0;
  while (now < 1e6) {
    now += limiter.Acquire(now);
    ++ops;
  }
  EXPECT_GE(ops, 1000);
  EXPECT_LE(ops, 1001);
}

// A caller that oversleeps by 300 µs each time keeps the long-run rate: the refill follows the
// times given, and the burst absorbs the lateness.
TEST(RateLimiterTest, LateSleeperKeepsTheLongRunRate) {
  RateLimiter limiter(1000, 0, /*burst=*/10);
  double now = 0;
  int ops = 0;
  while (now < 10e6) {
    const double wait = limiter.Acquire(now);
    if (wait > 0) now += wait + 300;
    ++ops;
  }
  EXPECT_GE(ops, 10000);
  EXPECT_LE(ops, 10000 + 11);
}

TEST(RateLimiterTest, HighRateWaitsAreFractionsOfAMicrosecond) {
  RateLimiter limiter(4e6, 0);  // 4 per µs
  EXPECT_EQ(0, limiter.Acquire(0));
  EXPECT_DOUBLE_EQ(0.25, limiter.Acquire(0));
}

}  // namespace
}  // namespace lsm::bench
