// NowMicros, NowNanos: a monotonic clock in microseconds (for timing background work: flush
// and compaction statistics, event listener reports) and in nanoseconds (for timing one
// operation: the benchmarks' per-put and per-read latencies). Not wall-clock time: only
// differences of two readings mean anything.
//
// Example:
//   const uint64_t start = NowMicros();
//   DoWork();
//   stats.micros += NowMicros() - start;
//
// Thread-safety: a pure function of std::chrono::steady_clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace lsm {

// Microseconds since an arbitrary, fixed point in the past (steady_clock's epoch).
inline uint64_t NowMicros() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// Nanoseconds since the same point as NowMicros.
inline uint64_t NowNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace lsm
