// Deterministic pseudo-random numbers and the key/value generators shared by tests and
// benchmarks. Same seed, same sequence, on every machine: a failing randomized test prints its
// seed and can be replayed exactly.
//
// Example:
//   Random rnd(301);
//   uint64_t n = rnd.Uniform(100);          // 0..99
//   std::string k = MakeKey(42);            // "0000000000000042" (db_bench's %016d)
//   ValueGenerator values(301);
//   std::string_view v = values.Next(100);  // 100 bytes, valid until the next call
//
// Thread-safety: none; give each thread its own generator.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lsm {

// SplitMix64 seeding an xorshift64* generator: small, fast, good enough for tests and
// workloads (not for cryptography).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(Mix(seed + 0x9E3779B97F4A7C15ull)) {
    if (state_ == 0) state_ = 0x2545F4914F6CDD1Dull;
  }
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  // Returns a value in [0, n). REQUIRES: n > 0.
  uint64_t Uniform(uint64_t n) { return Next() % n; }
  // True with probability 1/n. REQUIRES: n > 0.
  bool OneIn(uint64_t n) { return Uniform(n) == 0; }
  // Picks a base in [0, max_log] uniformly, then a value in [0, 2^base): skewed to small.
  uint64_t Skewed(int max_log) { return Uniform(uint64_t{1} << Uniform(max_log + 1)); }
  // n random bytes (all 256 values possible, NUL included).
  std::string Bytes(size_t n);

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

// db_bench's key format: the number printed as 16 decimal digits ("%016d").
std::string MakeKey(uint64_t i);

// Values for workloads. Like LevelDB's db_bench generator, the bytes are half compressible:
// each 100-byte piece is 50 random printable bytes followed by a repetition of them.
class ValueGenerator {
 public:
  explicit ValueGenerator(uint64_t seed);
  // Returns the next value of the given length, a view valid until the next call.
  // REQUIRES: len <= 1 MiB.
  std::string_view Next(size_t len);

 private:
  std::string data_;
  size_t pos_ = 0;
};

}  // namespace lsm
