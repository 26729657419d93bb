// DurableStore from several threads at once: its mutex serializes writers, readers see whole
// batches, and a reopen finds every write (run under tsan by CI's concurrency label).
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "step2_wal/durable_store.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

TEST(DurableStoreConcurrency, WritersAndReadersInParallel) {
  testutil::TempDir dir;
  std::unique_ptr<DurableStore> store;
  ASSERT_TRUE(DurableStore::Open({.checkpoint_log_bytes = 64 * 1024}, dir.path(), &store).ok());
  constexpr int kWriters = 3, kBatches = 400;
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      WriteBatch batch;
      for (int i = 0; i < kBatches; ++i) {
        batch.Clear();
        batch.Put(fmt::format("t{}-{:04d}-a", t, i), std::to_string(i));
        batch.Put(fmt::format("t{}-{:04d}-b", t, i), std::to_string(i));
        EXPECT_TRUE(store->Write(&batch).ok());
      }
    });
  }
  threads.emplace_back([&] {
    // A reader never sees half a batch: -b present implies -a present.
    std::string v;
    for (int round = 0; round < 2000; ++round) {
      const int t = round % kWriters, i = round % kBatches;
      if (store->Get(fmt::format("t{}-{:04d}-b", t, i), &v).ok()) {
        EXPECT_TRUE(store->Get(fmt::format("t{}-{:04d}-a", t, i), &v).ok());
      }
    }
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(uint64_t{2 * kWriters * kBatches}, store->last_sequence());
  store.reset();
  ASSERT_TRUE(DurableStore::Open({.paranoid_checks = true}, dir.path(), &store).ok());
  EXPECT_EQ(size_t{2 * kWriters * kBatches}, store->size());
}

}  // namespace
}  // namespace lsm
