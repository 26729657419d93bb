// YCSB's generators and core workloads (see ycsb.h).
#include "bench/db_bench/ycsb.h"

#include <array>
#include <cassert>
#include <cctype>
#include <cmath>

namespace lsm::bench {

uint64_t FnvHash64(uint64_t v) {
  constexpr uint64_t kOffsetBasis = 0xCBF29CE484222325ull;
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t hash = kOffsetBasis;
  for (int i = 0; i < 8; ++i) {
    hash ^= v & 0xff;
    hash *= kPrime;
    v >>= 8;
  }
  // Java's Math.abs of the signed result, as YCSB returns (INT64_MIN stays as it is).
  const auto as_signed = static_cast<int64_t>(hash);
  return as_signed < 0 && as_signed != INT64_MIN ? static_cast<uint64_t>(-as_signed) : hash;
}

double NextDouble(Random* rnd) {
  return static_cast<double>(rnd->Next() >> 11) * (1.0 / 9007199254740992.0);  // / 2^53
}

double Zeta(uint64_t n, double theta) {
  double sum = 0;
  for (uint64_t i = 1; i <= n; ++i) sum += 1.0 / std::pow(static_cast<double>(i), theta);
  return sum;
}

ZipfianGenerator::ZipfianGenerator(uint64_t items, double theta)
    : items_(items), theta_(theta), zeta2_(Zeta(2, theta)), zetan_(Zeta(items, theta)) {
  assert(items >= 1 && theta > 0 && theta < 1);
  Recompute();
}

void ZipfianGenerator::Grow(uint64_t items) {
  assert(items >= items_);
  for (uint64_t i = items_ + 1; i <= items; ++i) {
    zetan_ += 1.0 / std::pow(static_cast<double>(i), theta_);
  }
  items_ = items;
  Recompute();
}

void ZipfianGenerator::Recompute() {
  alpha_ = 1.0 / (1.0 - theta_);
  eta_ = (1 - std::pow(2.0 / static_cast<double>(items_), 1 - theta_)) / (1 - zeta2_ / zetan_);
}

uint64_t ZipfianGenerator::Next(Random* rnd) const {
  const double u = NextDouble(rnd);
  const double uz = u * zetan_;
  if (uz < 1.0) return 0;
  if (uz < 1.0 + std::pow(0.5, theta_)) return items_ >= 2 ? 1 : 0;
  const auto rank = static_cast<uint64_t>(static_cast<double>(items_) *
                                          std::pow(eta_ * u - eta_ + 1, alpha_));
  return rank < items_ ? rank : items_ - 1;
}

std::string_view YcsbOpName(YcsbOp op) {
  switch (op) {
    case YcsbOp::kRead: return "read";
    case YcsbOp::kUpdate: return "update";
    case YcsbOp::kInsert: return "insert";
    case YcsbOp::kScan: return "scan";
    case YcsbOp::kReadModifyWrite: return "rmw";
  }
  return "?";
}

const YcsbWorkload* FindYcsbWorkload(char letter) {
  //                                            read  update insert scan  rmw   latest
  static constexpr std::array<YcsbWorkload, 6> kWorkloads{{{'a', 0.50, 0.50, 0.00, 0.00, 0.00, false},
                                                           {'b', 0.95, 0.05, 0.00, 0.00, 0.00, false},
                                                           {'c', 1.00, 0.00, 0.00, 0.00, 0.00, false},
                                                           {'d', 0.95, 0.00, 0.05, 0.00, 0.00, true},
                                                           {'e', 0.00, 0.00, 0.05, 0.95, 0.00, false},
                                                           {'f', 0.50, 0.00, 0.00, 0.00, 0.50, false}}};
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  for (const auto& w : kWorkloads) {
    if (w.letter == lower) return &w;
  }
  return nullptr;
}

YcsbOp ChooseYcsbOp(const YcsbWorkload& w, Random* rnd) {
  double u = NextDouble(rnd);
  if ((u -= w.read) < 0) return YcsbOp::kRead;
  if ((u -= w.update) < 0) return YcsbOp::kUpdate;
  if ((u -= w.insert) < 0) return YcsbOp::kInsert;
  if ((u -= w.scan) < 0) return YcsbOp::kScan;
  if (w.read_modify_write > 0) return YcsbOp::kReadModifyWrite;
  // Rounding left u just above the sum: the last operation with a share.
  if (w.scan > 0) return YcsbOp::kScan;
  if (w.insert > 0) return YcsbOp::kInsert;
  if (w.update > 0) return YcsbOp::kUpdate;
  return YcsbOp::kRead;
}

YcsbKeyChooser::YcsbKeyChooser(YcsbDistribution d, uint64_t records, uint64_t expected_inserts)
    : distribution_(d) {
  assert(records >= 1);
  if (d == YcsbDistribution::kZipfian) zipfian_.emplace(records + 2 * expected_inserts);
  if (d == YcsbDistribution::kLatest) latest_.emplace(records);
}

uint64_t YcsbKeyChooser::Next(Random* rnd, uint64_t count) {
  switch (distribution_) {
    case YcsbDistribution::kUniform:
      return rnd->Uniform(count);
    case YcsbDistribution::kLatest:
      return latest_->Next(rnd, count);
    case YcsbDistribution::kZipfian:
      break;
  }
  // A draw lands beyond the records so far while the run has inserted fewer than it expects;
  // then redraw (each draw succeeds with probability about count / (records + 2 x inserts)).
  for (;;) {
    const uint64_t r = zipfian_->Next(rnd);
    if (r < count) return r;
  }
}

}  // namespace lsm::bench
