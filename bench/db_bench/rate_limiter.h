// RateLimiter: a token bucket that paces one thread to `rate` operations per second, as
// RocksDB's db_bench paces its writer (--benchmark_write_rate_limit). A pure function of the
// times it is given — it never reads the clock or sleeps — so its arithmetic is unit-tested.
//
// The bucket holds up to `burst` tokens and refills at `rate` per second. Acquire takes one
// token; when none is left it still takes it (the count goes negative: a reservation) and
// returns how long the caller must wait before doing the operation. Because refill follows the
// real time passed in, a caller that sleeps too long is not penalised beyond the burst: the
// long-run rate stays `rate` however coarse the sleeps.
//
// Example (db_bench's writer):
//   RateLimiter limiter(10000, NowMicros());          // 10,000 writes per second
//   for (;;) {
//     if (double wait = limiter.Acquire(NowMicros()); wait > 0) SleepMicros(wait);
//     Put(...);
//   }
//
// Thread-safety: none (one limiter per paced thread). Intentionally copyable.
#pragma once

#include <algorithm>
#include <cassert>

namespace lsm::bench {

class RateLimiter {
 public:
  // REQUIRES: rate > 0, burst >= 1. The bucket starts full at time start_micros.
  RateLimiter(double rate_per_sec, double start_micros, double burst = 1)
      : rate_per_micro_(rate_per_sec / 1e6), burst_(burst), tokens_(burst), last_(start_micros) {
    assert(rate_per_sec > 0 && burst >= 1);
  }

  // Takes one token at time now_micros; returns the microseconds to wait before the operation
  // (0 when a token was there). REQUIRES: now_micros never decreases.
  double Acquire(double now_micros) {
    tokens_ = std::min(burst_, tokens_ + (now_micros - last_) * rate_per_micro_);
    last_ = now_micros;
    tokens_ -= 1;
    return tokens_ >= 0 ? 0 : -tokens_ / rate_per_micro_;
  }

  double tokens() const { return tokens_; }

 private:
  double rate_per_micro_;
  double burst_;
  double tokens_;
  double last_;
};

}  // namespace lsm::bench
