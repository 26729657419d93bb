// The cross-step benchmark: the same workloads (store_workloads.h) on every step's store.
// Run it with bench/run_cross_step.sh, which also writes bench/results/cross_step.{md,svg}.
#include "bench/store_workloads.h"
#include "step1_memory/memory_store.h"

namespace {

struct Step1 {
  using Store = lsm::MemoryStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path&) {
    return std::make_unique<Store>();
  }
};

}  // namespace

LSM_BENCH_STORE(Step1, "step1_memory");

BENCHMARK_MAIN();
