// Step 3's micro-benchmark: the skip list against std::set (a red-black tree, what std::map
// is), on the operations a memtable does — insert, point lookup, full ordered iteration — and
// the whole MemTable::Add / Get path on top.
//
// Keys are db_bench's 16-byte "%016d" strings, generated up front; both containers hold
// string_views of them, so the figures compare the structures, not string copies.
//   ./step3_bench --benchmark_filter=Insert
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/comparator.h"
#include "common/random.h"
#include "step3_memtable/arena.h"
#include "step3_memtable/internal_key.h"
#include "step3_memtable/memtable.h"
#include "step3_memtable/skiplist.h"

namespace {

struct ViewComparator {
  int operator()(std::string_view a, std::string_view b) const { return a.compare(b); }
};
using List = lsm::SkipList<std::string_view, ViewComparator>;

// N keys in random order (the keys themselves are 0..N-1 formatted).
const std::vector<std::string>& Keys(int64_t n) {
  static std::vector<std::string> keys;
  if (static_cast<int64_t>(keys.size()) != n) {
    keys.clear();
    for (int64_t i = 0; i < n; ++i) keys.push_back(lsm::MakeKey(static_cast<uint64_t>(i)));
    lsm::Random rnd(301);
    for (size_t i = keys.size(); i > 1; --i) std::swap(keys[i - 1], keys[rnd.Uniform(i)]);
  }
  return keys;
}

void Finish(benchmark::State& state, int64_t n) {
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_SkipListInsert(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  for (auto _ : state) {
    lsm::Arena arena;
    List list(ViewComparator{}, &arena);
    for (const auto& k : keys) list.Insert(k);
    benchmark::DoNotOptimize(list.max_height());
  }
  Finish(state, state.range(0));
}

void BM_StdSetInsert(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  for (auto _ : state) {
    std::set<std::string_view> set;
    for (const auto& k : keys) set.insert(k);
    benchmark::DoNotOptimize(set.size());
  }
  Finish(state, state.range(0));
}

void BM_SkipListLookup(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  lsm::Arena arena;
  List list(ViewComparator{}, &arena);
  for (const auto& k : keys) list.Insert(k);
  for (auto _ : state) {
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
      if (!list.Contains(*it)) state.SkipWithError("missing");
    }
  }
  Finish(state, state.range(0));
}

void BM_StdSetLookup(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  std::set<std::string_view> set(keys.begin(), keys.end());
  for (auto _ : state) {
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
      if (set.find(*it) == set.end()) state.SkipWithError("missing");
    }
  }
  Finish(state, state.range(0));
}

void BM_SkipListIterate(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  lsm::Arena arena;
  List list(ViewComparator{}, &arena);
  for (const auto& k : keys) list.Insert(k);
  for (auto _ : state) {
    size_t bytes = 0;
    List::Iterator it(&list);
    for (it.SeekToFirst(); it.Valid(); it.Next()) bytes += it.key().size();
    benchmark::DoNotOptimize(bytes);
  }
  Finish(state, state.range(0));
}

void BM_StdSetIterate(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  std::set<std::string_view> set(keys.begin(), keys.end());
  for (auto _ : state) {
    size_t bytes = 0;
    for (std::string_view k : set) bytes += k.size();
    benchmark::DoNotOptimize(bytes);
  }
  Finish(state, state.range(0));
}

// The whole memtable write path: encode the entry into the arena, insert into the skip list.
void BM_MemTableAdd(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  const lsm::InternalKeyComparator icmp(lsm::BytewiseComparator());
  lsm::ValueGenerator values(301);
  for (auto _ : state) {
    lsm::MemTable mem(icmp);
    lsm::SequenceNumber seq = 0;
    for (const auto& k : keys) mem.Add(++seq, lsm::ValueType::kValue, k, values.Next(100));
    benchmark::DoNotOptimize(mem.ApproximateMemoryUsage());
  }
  Finish(state, state.range(0));
}

void BM_MemTableGet(benchmark::State& state) {
  const auto& keys = Keys(state.range(0));
  const lsm::InternalKeyComparator icmp(lsm::BytewiseComparator());
  lsm::ValueGenerator values(301);
  lsm::MemTable mem(icmp);
  lsm::SequenceNumber seq = 0;
  for (const auto& k : keys) mem.Add(++seq, lsm::ValueType::kValue, k, values.Next(100));
  std::string value;
  for (auto _ : state) {
    for (const auto& k : keys) {
      lsm::Status s;
      if (!mem.Get(lsm::LookupKey(k, seq), &value, &s)) state.SkipWithError("missing");
    }
  }
  Finish(state, state.range(0));
}

constexpr int64_t kN = 100000;
BENCHMARK(BM_SkipListInsert)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StdSetInsert)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SkipListLookup)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StdSetLookup)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SkipListIterate)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StdSetIterate)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemTableAdd)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemTableGet)->Arg(kN)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
