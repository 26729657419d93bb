// The cross-step benchmark: the same workloads (store_workloads.h) on every step's store.
// Run it with bench/run_cross_step.sh, which also writes bench/results/cross_step.{md,svg}.
#include "bench/store_workloads.h"
#include "step1_memory/memory_store.h"
#include "step2_wal/durable_store.h"
#include "step3_memtable/memtable_store.h"
#include "step4_sstable/sstable_store.h"
#include "step5_lsm/db.h"

namespace {

struct Step1 {
  using Store = lsm::MemoryStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path&) {
    return std::make_unique<Store>();
  }
};

}  // namespace

LSM_BENCH_STORE(Step1, "step1_memory");

namespace {
// Step 2: the logged map. Buffered (each write reaches the OS) and synced (each write is
// fdatasync'ed: ~100x slower, so it runs N/100 operations: kNumDivisor).
template <bool kSync>
struct Step2 {
  using Store = lsm::DurableStore;
  static constexpr int64_t kNumDivisor = kSync ? 100 : 1;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<Store> store;
    if (!Store::Open({.sync = kSync}, dir, &store).ok()) std::abort();
    return store;
  }
};
}  // namespace
LSM_BENCH_STORE(Step2<false>, "step2_wal");
LSM_BENCH_STORE(Step2<true>, "step2_wal_sync");

namespace {
struct Step3 {
  using Store = lsm::MemTableStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<Store> store;
    if (!Store::Open({.sync = false}, dir, &store).ok()) std::abort();
    return store;
  }
};
}  // namespace
LSM_BENCH_STORE(Step3, "step3_memtable");

namespace {
// Step 4: memtable flushed to tables at LevelDB's 4 MiB write buffer, bloom filters, 8 MiB cache.
struct Step4 {
  using Store = lsm::SSTableStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<Store> store;
    if (!Store::Open({.sync = false}, dir, &store).ok()) std::abort();
    return store;
  }
};
}  // namespace
LSM_BENCH_STORE(Step4, "step4_sstable");

namespace {
// Step 5: the leveled LSM tree with LevelDB's defaults (4 MiB write buffer, snappy, 8 MiB
// block cache) plus 10-bit bloom filters; flushes and compactions run in the background.
struct Step5 {
  using Store = lsm::DB;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<Store> db;
    if (!lsm::DB::Open(lsm::Options{.create_if_missing = true}, dir, &db).ok()) std::abort();
    return db;
  }
};
}  // namespace
LSM_BENCH_STORE(Step5, "step5_lsm");

BENCHMARK_MAIN();
