// Step 4's micro-benchmarks: table build throughput, point lookups (hit / miss, with and
// without the bloom filter and the block cache) and a full scan, on one table of N entries
// (16-byte keys, 100-byte values; N from $LSM_BENCH_NUM, default 100000).
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "bench/store_workloads.h"
#include "common/random.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_reader.h"

namespace lsm::bench {
namespace {

// Keys are the even numbers; odd numbers are in-range misses.
std::string KeyOf(int64_t i) { return MakeKey(static_cast<uint64_t>(2 * i)); }

// A table file written once per configuration, reused by every lookup benchmark.
struct TableFixture {
  ScratchDir dir;
  std::filesystem::path path;
  uint64_t size = 0;
  std::unique_ptr<const FilterPolicy> bloom = NewBloomFilterPolicy(10);

  explicit TableFixture(bool with_filter) {
    path = dir.path() / "000001.ldb";
    TableOptions options{.filter_policy = with_filter ? bloom.get() : nullptr};
    std::unique_ptr<WritableFile> file;
    if (!FileSystem::Default()->NewWritableFile(path, &file).ok()) std::abort();
    TableBuilder builder(options, file.get());
    ValueGenerator values(301);
    for (int64_t i = 0; i < BenchNum(); ++i) builder.Add(KeyOf(i), values.Next(kValueSize));
    if (!builder.Finish().ok() || !file->Close().ok()) std::abort();
    size = builder.FileSize();
  }

  std::unique_ptr<TableReader> Open(bool with_filter, BlockCache* cache) const {
    TableOptions options{.filter_policy = with_filter ? bloom.get() : nullptr, .block_cache = cache};
    std::unique_ptr<RandomAccessFile> file;
    std::unique_ptr<TableReader> table;
    if (!FileSystem::Default()->NewRandomAccessFile(path, &file).ok() ||
        !TableReader::Open(options, std::move(file), size, &table).ok()) {
      std::abort();
    }
    return table;
  }
};

const TableFixture& Fixture(bool with_filter) {
  static const TableFixture with(true), without(false);
  return with_filter ? with : without;
}

void BM_Build(benchmark::State& state) {
  const bool snappy = state.range(0) != 0;
  const int64_t n = BenchNum();
  for (auto _ : state) {
    state.PauseTiming();
    ScratchDir dir;
    std::unique_ptr<WritableFile> file;
    if (!FileSystem::Default()->NewWritableFile(dir.path() / "t.ldb", &file).ok()) std::abort();
    auto bloom = NewBloomFilterPolicy(10);
    ValueGenerator values(301);
    state.ResumeTiming();
    TableBuilder builder(TableOptions{.compression = snappy ? CompressionType::kSnappy
                                                            : CompressionType::kNone,
                                      .filter_policy = bloom.get()},
                         file.get());
    for (int64_t i = 0; i < n; ++i) builder.Add(KeyOf(i), values.Next(kValueSize));
    if (!builder.Finish().ok() || !file->Close().ok()) state.SkipWithError("build failed");
    state.counters["file_MB"] = static_cast<double>(builder.FileSize()) / 1e6;
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(16 + kValueSize));
}
BENCHMARK(BM_Build)->Arg(0)->Arg(1)->ArgName("snappy")->Unit(benchmark::kMillisecond);

// range(0): hit (1) or miss (0); range(1): bloom filter; range(2): block cache.
void BM_Lookup(benchmark::State& state) {
  const bool hit = state.range(0) != 0, filter = state.range(1) != 0, cached = state.range(2) != 0;
  BlockCache cache(64 << 20);
  auto table = Fixture(filter).Open(filter, cached ? &cache : nullptr);
  Random rnd(1);
  const auto n = static_cast<uint64_t>(BenchNum());
  std::string value;
  for (auto _ : state) {
    const uint64_t i = rnd.Uniform(n);
    Status s = table->Get(hit ? KeyOf(static_cast<int64_t>(i)) : MakeKey(2 * i + 1), &value);
    if (s.ok() != hit) state.SkipWithError("wrong answer");
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["blocks_read_per_op"] =
      static_cast<double>(table->blocks_read()) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Lookup)
    ->ArgNames({"hit", "bloom", "cache"})
    ->ArgsProduct({{1, 0}, {0, 1}, {0, 1}});

void BM_Scan(benchmark::State& state) {
  auto table = Fixture(false).Open(false, nullptr);
  int64_t bytes = 0;
  for (auto _ : state) {
    auto it = table->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += static_cast<int64_t>(it->key().size() + it->value().size());
    }
    if (!it->status().ok()) state.SkipWithError("scan failed");
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations() * BenchNum());
}
BENCHMARK(BM_Scan)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lsm::bench

BENCHMARK_MAIN();
