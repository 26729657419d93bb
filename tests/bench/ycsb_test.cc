// YCSB's generators and core workloads with fixed seeds: determinism, ranges, the zipfian skew
// against theory, the latest distribution, uniform, and each workload's operation mix.
#include "bench/db_bench/ycsb.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

namespace lsm::bench {
namespace {

constexpr int kDraws = 100000;

TEST(YcsbTest, FnvHash64MatchesYcsb) {
  // Values of YCSB's Utils.fnvhash64 (FNV-1a over 8 bytes, then Math.abs).
  EXPECT_EQ(6284781860667377211ull, FnvHash64(0));
  EXPECT_EQ(8517097267634966620ull, FnvHash64(1));
  EXPECT_EQ(1792800413050876852ull, FnvHash64(12345));
}

TEST(YcsbTest, KeysAreDbBenchSized) {
  EXPECT_EQ(16u, YcsbKey(0).size());
  EXPECT_EQ(16u, YcsbKey(123456789).size());
  EXPECT_EQ(MakeKey(6284781860667377211ull % 10000000000000000ull), YcsbKey(0));
  EXPECT_NE(YcsbKey(1), YcsbKey(2));
}

TEST(YcsbTest, ZetaOfSmallN) {
  EXPECT_DOUBLE_EQ(1.0, Zeta(1, 0.99));
  EXPECT_DOUBLE_EQ(1.0 + 1.0 / std::pow(2.0, 0.99), Zeta(2, 0.99));
}

TEST(YcsbTest, ZipfianIsDeterministic) {
  ZipfianGenerator zipf(1000);
  Random a(301), b(301), c(302);
  std::vector<uint64_t> from_a, from_b, from_c;
  for (int i = 0; i < 100; ++i) {
    from_a.push_back(zipf.Next(&a));
    from_b.push_back(zipf.Next(&b));
    from_c.push_back(zipf.Next(&c));
  }
  EXPECT_EQ(from_a, from_b);
  EXPECT_NE(from_a, from_c);  // seed 302 gives another sequence (printed on failure)
}

TEST(YcsbTest, ZipfianInRangeAndSkewedAsTheory) {
  const uint64_t n = 1000;
  ZipfianGenerator zipf(n);
  Random rnd(301);
  std::vector<int> counts(n, 0);
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t r = zipf.Next(&rnd);
    ASSERT_LT(r, n);
    ++counts[r];
  }
  // P(rank i) = 1 / ((i+1)^0.99 x zeta(1000, 0.99)); zeta(1000, 0.99) ~ 7.48, so rank 0 draws
  // ~13.4%, rank 1 ~6.7%. Gray's method is exact for ranks 0 and 1 (they are special-cased).
  const double zeta = Zeta(n, 0.99);
  EXPECT_NEAR(1 / zeta, static_cast<double>(counts[0]) / kDraws, 0.005);
  EXPECT_NEAR(1 / (std::pow(2.0, 0.99) * zeta), static_cast<double>(counts[1]) / kDraws, 0.005);
  EXPECT_EQ(counts.begin(), std::max_element(counts.begin(), counts.end()));
  // The head is heavy: the top 10% of ranks take well over half the draws (theory: ~70%).
  const int top = std::accumulate(counts.begin(), counts.begin() + 100, 0);
  EXPECT_GT(static_cast<double>(top) / kDraws, 0.6);
}

TEST(YcsbTest, ScrambledZipfianSpreadsTheHotKey) {
  const uint64_t n = 1000;
  ScrambledZipfianGenerator keys(n);
  Random rnd(301);
  std::map<uint64_t, int> counts;
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t k = keys.Next(&rnd);
    ASSERT_LT(k, n);
    ++counts[k];
  }
  auto hottest = std::max_element(counts.begin(), counts.end(),
                                  [](auto& a, auto& b) { return a.second < b.second; });
  EXPECT_EQ(FnvHash64(0) % n, hottest->first);  // rank 0, scrambled: not record 0
  EXPECT_NE(0u, hottest->first);
  // Its share is rank 0's, plus any rank that hashes to the same record.
  EXPECT_NEAR(1 / Zeta(n, 0.99), static_cast<double>(hottest->second) / kDraws, 0.01);
}

TEST(YcsbTest, ZipfianGrowMatchesAFreshGenerator) {
  ZipfianGenerator grown(500);
  grown.Grow(1000);
  ZipfianGenerator fresh(1000);
  EXPECT_NEAR(fresh.zeta(), grown.zeta(), 1e-9);
  Random a(7), b(7);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(fresh.Next(&a), grown.Next(&b));
}

TEST(YcsbTest, LatestPrefersTheNewestRecords) {
  LatestGenerator latest(1000);
  Random rnd(301);
  std::vector<int> counts(2000, 0);
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t r = latest.Next(&rnd, 1000);
    ASSERT_LT(r, 1000u);
    ++counts[r];
  }
  EXPECT_NEAR(1 / Zeta(1000, 0.99), static_cast<double>(counts[999]) / kDraws, 0.005);
  EXPECT_GT(counts[999], counts[998]);
  EXPECT_GT(counts[998], counts[500]);
  // After inserts the newest record is the hottest.
  std::fill(counts.begin(), counts.end(), 0);
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t r = latest.Next(&rnd, 2000);
    ASSERT_LT(r, 2000u);
    ++counts[r];
  }
  EXPECT_EQ(counts.begin() + 1999, std::max_element(counts.begin(), counts.end()));
}

TEST(YcsbTest, UniformChooserIsFlat) {
  YcsbKeyChooser chooser(YcsbDistribution::kUniform, 1000, 0);
  Random rnd(301);
  std::vector<int> deciles(10, 0);
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t r = chooser.Next(&rnd, 1000);
    ASSERT_LT(r, 1000u);
    ++deciles[r / 100];
  }
  for (int d = 0; d < 10; ++d) EXPECT_NEAR(0.1, static_cast<double>(deciles[d]) / kDraws, 0.01) << d;
}

TEST(YcsbTest, ZipfianChooserStaysBelowTheRecordsInserted) {
  // Sized for 1000 records + 2 x 500 expected inserts, asked while only 1000 exist.
  YcsbKeyChooser chooser(YcsbDistribution::kZipfian, 1000, 500);
  Random rnd(301);
  for (int i = 0; i < 10000; ++i) ASSERT_LT(chooser.Next(&rnd, 1000), 1000u);
}

TEST(YcsbTest, WorkloadLetters) {
  for (char c : std::string("abcdefABCDEF")) EXPECT_NE(nullptr, FindYcsbWorkload(c)) << c;
  for (char c : std::string("gz0 ")) EXPECT_EQ(nullptr, FindYcsbWorkload(c)) << c;
  for (char c : std::string("abcdef")) {
    const YcsbWorkload& w = *FindYcsbWorkload(c);
    EXPECT_NEAR(1.0, w.read + w.update + w.insert + w.scan + w.read_modify_write, 1e-12) << c;
    EXPECT_EQ(c == 'd', w.latest) << c;
  }
}

// The share of each operation over kDraws draws, for one workload.
std::map<YcsbOp, double> Mix(char letter) {
  const YcsbWorkload& w = *FindYcsbWorkload(letter);
  Random rnd(301);
  std::map<YcsbOp, double> share;
  for (int i = 0; i < kDraws; ++i) share[ChooseYcsbOp(w, &rnd)] += 1.0 / kDraws;
  return share;
}

TEST(YcsbTest, OperationMixes) {
  constexpr double kTolerance = 0.01;  // 100k draws: one standard deviation is <= 0.0016
  // YCSB's core workload definitions: the operations each letter draws, and their shares.
  const std::map<char, std::map<YcsbOp, double>> expected = {
      {'a', {{YcsbOp::kRead, 0.5}, {YcsbOp::kUpdate, 0.5}}},
      {'b', {{YcsbOp::kRead, 0.95}, {YcsbOp::kUpdate, 0.05}}},
      {'c', {{YcsbOp::kRead, 1.0}}},
      {'d', {{YcsbOp::kRead, 0.95}, {YcsbOp::kInsert, 0.05}}},
      {'e', {{YcsbOp::kScan, 0.95}, {YcsbOp::kInsert, 0.05}}},
      {'f', {{YcsbOp::kRead, 0.5}, {YcsbOp::kReadModifyWrite, 0.5}}},
  };
  for (const auto& [letter, shares] : expected) {
    const std::map<YcsbOp, double> got = Mix(letter);
    EXPECT_EQ(shares.size(), got.size()) << letter;  // no operation the workload lacks
    for (const auto& [op, share] : shares) {
      auto it = got.find(op);
      ASSERT_NE(it, got.end()) << letter;
      EXPECT_NEAR(share, it->second, kTolerance) << letter;
    }
  }
}

TEST(YcsbTest, ScanLengthsAreOneToHundred) {
  Random rnd(301);
  uint64_t lo = 1000, hi = 0;
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t n = YcsbScanLength(&rnd);
    lo = std::min(lo, n);
    hi = std::max(hi, n);
    sum += static_cast<double>(n);
  }
  EXPECT_EQ(1u, lo);
  EXPECT_EQ(100u, hi);
  EXPECT_NEAR(50.5, sum / kDraws, 0.5);
}

TEST(YcsbTest, OpNames) {
  EXPECT_EQ("read", YcsbOpName(YcsbOp::kRead));
  EXPECT_EQ("rmw", YcsbOpName(YcsbOp::kReadModifyWrite));
}

}  // namespace
}  // namespace lsm::bench
