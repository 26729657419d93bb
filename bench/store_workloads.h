// The cross-step workloads, written once over the KvStore concept so every step's store is
// measured on exactly the same operations (db_bench's names, 16-byte keys, 100-byte values).
//
//   fillseq      N puts, keys in ascending order, into an empty store
//   fillrandom   N puts, keys in random order, into an empty store
//   overwrite    N random puts into a store already holding N keys
//   readrandom   N gets of keys that exist
//   readmissing  N gets of keys that do not exist
//   scan         one ordered scan over all N keys (OrderedKvStore only)
//
// Each benchmark iteration runs the whole workload on a fresh store in a fresh temp directory
// (set-up is not timed), and reports items/s. N comes from $LSM_BENCH_NUM (default 100000),
// divided by Traits::kNumDivisor when a store declares one (see NumFor).
//
// A store joins by one line:  LSM_BENCH_STORE(MyTraits, "step9_name");
// where MyTraits has `using Store = ...;` and `static std::unique_ptr<Store> Open(path)`.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "common/main_guard.h"
#include "common/random.h"
#include "common/store.h"

namespace lsm::bench {

inline int64_t BenchNum() {
  const char* env = std::getenv("LSM_BENCH_NUM");
  return env != nullptr ? std::max<int64_t>(1, std::atoll(env)) : 100000;
}
inline constexpr size_t kValueSize = 100;

// A scratch directory for one store, removed afterwards.
class ScratchDir {
 public:
  // A directory that cannot be made ends the benchmark with a message naming it (not abort).
  ScratchDir() {
    if (Status s = MakeTempDir("lsm-bench-", &path_); !s.ok()) {
      fmt::print(stderr, "benchmark: {}\n", s);
      std::exit(1);
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::vector<uint64_t> Shuffled(int64_t n, uint64_t seed) {
  std::vector<uint64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Random rnd(seed);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rnd.Uniform(i)]);
  return order;
}

template <typename Traits>
void Fill(typename Traits::Store& store, const std::vector<uint64_t>& order, ValueGenerator& gen,
          benchmark::State& state) {
  for (uint64_t i : order) {
    if (!store.Put(MakeKey(i), gen.Next(kValueSize)).ok()) {
      state.SkipWithError("put failed");
      return;
    }
  }
}

enum class Workload { kFillSeq, kFillRandom, kOverwrite, kReadRandom, kReadMissing, kScan };

// A store that is much slower per operation (e.g. one fsync per write) may declare
// `static constexpr int64_t kNumDivisor = 100;` in its Traits to run N / kNumDivisor ops.
template <typename Traits>
int64_t NumFor() {
  if constexpr (requires { Traits::kNumDivisor; }) {
    return std::max<int64_t>(1, BenchNum() / Traits::kNumDivisor);
  } else {
    return BenchNum();
  }
}

template <typename Traits>
void RunWorkload(benchmark::State& state, Workload w) {
  const int64_t n = NumFor<Traits>();
  ValueGenerator gen(301);
  std::vector<uint64_t> seq(static_cast<size_t>(n));
  std::iota(seq.begin(), seq.end(), 0);
  const auto random = Shuffled(n, 301);
  int64_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<ScratchDir>();
    auto store = Traits::Open(dir->path());
    if (w != Workload::kFillSeq && w != Workload::kFillRandom) Fill<Traits>(*store, seq, gen, state);
    std::string value;
    state.ResumeTiming();
    switch (w) {
      case Workload::kFillSeq: Fill<Traits>(*store, seq, gen, state); break;
      case Workload::kFillRandom:
      case Workload::kOverwrite: Fill<Traits>(*store, random, gen, state); break;
      case Workload::kReadRandom:
        for (uint64_t i : random) {
          if (!store->Get(MakeKey(i), &value).ok()) state.SkipWithError("key missing");
        }
        break;
      case Workload::kReadMissing:
        for (uint64_t i : random) {
          if (!store->Get(MakeKey(i) + ".", &value).IsNotFound()) state.SkipWithError("found");
        }
        break;
      case Workload::kScan:
        if constexpr (OrderedKvStore<typename Traits::Store>) {
          int64_t seen = 0;
          (void)store->Scan("", "", [&](std::string_view, std::string_view) {
            ++seen;
            return true;
          });
          if (seen != n) state.SkipWithError("scan count wrong");
        }
        break;
    }
    state.PauseTiming();
    store.reset();
    dir.reset();
    state.ResumeTiming();
    bytes += n * static_cast<int64_t>(16 + kValueSize);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(bytes);
  state.counters["num"] = static_cast<double>(n);
}

template <typename Traits>
int RegisterStore(const char* name) {
  struct Entry {
    const char* label;
    Workload w;
  };
  for (Entry e : {Entry{"fillseq", Workload::kFillSeq}, Entry{"fillrandom", Workload::kFillRandom},
                  Entry{"overwrite", Workload::kOverwrite},
                  Entry{"readrandom", Workload::kReadRandom},
                  Entry{"readmissing", Workload::kReadMissing}, Entry{"scan", Workload::kScan}}) {
    if (e.w == Workload::kScan && !OrderedKvStore<typename Traits::Store>) continue;
    benchmark::RegisterBenchmark((std::string(e.label) + "/" + name).c_str(),
                                 [w = e.w](benchmark::State& s) { RunWorkload<Traits>(s, w); })
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->Repetitions(3)
        ->ReportAggregatesOnly(true)
        ->UseRealTime();
  }
  return 0;
}

#define LSM_BENCH_CONCAT2(a, b) a##b
#define LSM_BENCH_CONCAT(a, b) LSM_BENCH_CONCAT2(a, b)
#define LSM_BENCH_STORE(Traits, name) \
  static int LSM_BENCH_CONCAT(lsm_bench_reg_, __LINE__) = ::lsm::bench::RegisterStore<Traits>(name)

}  // namespace lsm::bench
