// YCSB's core workloads A–F and its key choosers, as pure functions of a seeded Random, so the
// tests can check exact sequences and proportions and db_bench can drive any BenchEngine.
//
// Following YCSB's CoreWorkload (site.ycsb.workloads.CoreWorkload) and generators:
//   A  50% read, 50% update                  request distribution: zipfian (or uniform)
//   B  95% read,  5% update                  zipfian (or uniform)
//   C 100% read                              zipfian (or uniform)
//   D  95% read,  5% insert                  latest (always: read-latest is D's definition)
//   E  95% scan,  5% insert                  zipfian (or uniform) start key; scan length
//                                            uniform in 1..100 (YCSB's maxscanlength)
//   F  50% read, 50% read-modify-write       zipfian (or uniform)
//
//   ZipfianGenerator           Gray et al.'s "Quickly generating billion-record synthetic
//                              databases" (YCSB's ZipfianGenerator): rank 0 is the hottest;
//                              P(rank i) = 1 / ((i+1)^theta x zeta(n, theta)).
//   ScrambledZipfianGenerator  FnvHash64(zipfian rank) % n, so the hot keys are spread over the
//                              key space instead of clustered at its start.
//   LatestGenerator            latest - zipfian rank: the newest records are the hottest.
//
// Record keys: record number r is stored under MakeKey(YcsbKeyNumber(r)) — YCSB's hashed
// insert order ("user" + fnvhash64(r)) kept to db_bench's 16-byte keys: FnvHash64(r) modulo
// 10^16. Two records of 10^7 collide with probability ~0.5% (one record fewer, harmless).
//
// Simplifications: an update or insert writes the whole value (--value_size bytes) where YCSB
// writes one of ten fields; one value per key, no field names.
//
// Example:
//   Random rnd(301);
//   ScrambledZipfianGenerator keys(1000000);
//   uint64_t record = keys.Next(&rnd);                  // 0..999999, hot records spread out
//   const YcsbWorkload* w = FindYcsbWorkload('a');
//   YcsbOp op = ChooseYcsbOp(*w, &rnd);                 // kRead or kUpdate, 50/50
//
// Thread-safety: none; give each thread its own generators and Random.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/random.h"

namespace lsm::bench {

inline constexpr double kYcsbZipfianConstant = 0.99;
inline constexpr uint64_t kYcsbMaxScanLength = 100;

// YCSB's Utils.fnvhash64: 64-bit FNV-1a over the 8 bytes of v, low byte first, made
// non-negative as a Java long (Math.abs), so the same record keys and scrambling as YCSB's.
uint64_t FnvHash64(uint64_t v);

// A double uniform in [0, 1) from 53 random bits.
double NextDouble(Random* rnd);

// zeta(n, theta) = sum over i in 1..n of 1 / i^theta.
double Zeta(uint64_t n, double theta);

// Ranks 0..items-1, zipfian with the given theta (rank 0 the most frequent).
// Intentionally copyable.
class ZipfianGenerator {
 public:
  // REQUIRES: items >= 1, 0 < theta < 1.
  explicit ZipfianGenerator(uint64_t items, double theta = kYcsbZipfianConstant);
  // Returns a rank in [0, items()).
  uint64_t Next(Random* rnd) const;
  // Grows the item count to items (adds the new terms to zeta; YCSB does the same when an
  // insert makes the latest distribution wider). REQUIRES: items >= items().
  void Grow(uint64_t items);
  uint64_t items() const { return items_; }
  double zeta() const { return zetan_; }

 private:
  void Recompute();
  uint64_t items_;
  double theta_, zeta2_, zetan_, alpha_, eta_;
};

// Records 0..items-1: a zipfian rank scrambled by FnvHash64, so popular records are spread.
class ScrambledZipfianGenerator {
 public:
  explicit ScrambledZipfianGenerator(uint64_t items) : zipf_(items) {}
  uint64_t Next(Random* rnd) const { return FnvHash64(zipf_.Next(rnd)) % zipf_.items(); }

 private:
  ZipfianGenerator zipf_;
};

// Records 0..count-1 with the newest (count-1) the most popular: count-1 - zipfian rank.
class LatestGenerator {
 public:
  explicit LatestGenerator(uint64_t count) : zipf_(count) {}
  // Returns a record in [0, count). REQUIRES: count >= 1 and count never shrinks.
  uint64_t Next(Random* rnd, uint64_t count) {
    if (count > zipf_.items()) zipf_.Grow(count);
    return count - 1 - zipf_.Next(rnd);
  }

 private:
  ZipfianGenerator zipf_;
};

enum class YcsbOp { kRead, kUpdate, kInsert, kScan, kReadModifyWrite };
// "read", "update", "insert", "scan", "rmw": the operation's name in db_bench's output.
std::string_view YcsbOpName(YcsbOp op);

enum class YcsbDistribution { kZipfian, kUniform, kLatest };

// One core workload: the operation proportions (summing to 1) and its request distribution.
struct YcsbWorkload {
  char letter;  // 'a'..'f'
  double read, update, insert, scan, read_modify_write;
  bool latest;  // D: read-latest, whatever --ycsb_distribution says
};

// The workload for letter 'a'..'f' (either case), or nullptr for any other letter.
const YcsbWorkload* FindYcsbWorkload(char letter);

// Draws one operation by the workload's proportions (one NextDouble).
YcsbOp ChooseYcsbOp(const YcsbWorkload& w, Random* rnd);

// A scan length, uniform in 1..kYcsbMaxScanLength.
inline uint64_t YcsbScanLength(Random* rnd) { return 1 + rnd->Uniform(kYcsbMaxScanLength); }

// The key number record r is stored under (see the file comment), and its key.
inline uint64_t YcsbKeyNumber(uint64_t record) {
  return FnvHash64(record) % 10000000000000000ull;  // 10^16: MakeKey's 16 digits
}
inline std::string YcsbKey(uint64_t record) { return MakeKey(YcsbKeyNumber(record)); }

// Chooses the record each read, update, scan and read-modify-write works on, as YCSB's
// CoreWorkload.nextKeynum does: zipfian over the records loaded plus twice the inserts the run
// expects (redrawn while beyond the records inserted so far), uniform over the records so far,
// or latest. Intentionally copyable.
class YcsbKeyChooser {
 public:
  // records: loaded before the run; expected_inserts: inserts the run will make (all threads).
  YcsbKeyChooser(YcsbDistribution d, uint64_t records, uint64_t expected_inserts);
  // Returns a record in [0, count), count being the records inserted so far (>= records).
  uint64_t Next(Random* rnd, uint64_t count);

 private:
  YcsbDistribution distribution_;
  std::optional<ScrambledZipfianGenerator> zipfian_;
  std::optional<LatestGenerator> latest_;
};

}  // namespace lsm::bench
