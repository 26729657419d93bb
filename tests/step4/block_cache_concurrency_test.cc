// BlockCache and TableReader under concurrent use (run under TSan in CI).
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step4_sstable/block_cache.h"
#include "tests/step4/table_test_util.h"

namespace lsm {
namespace {

TEST(BlockCacheConcurrency, ManyThreadsInsertLookupRelease) {
  BlockCache cache(16 * 2000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      Random rnd(t);
      for (int i = 0; i < 5000; ++i) {
        const std::string key = "k" + std::to_string(rnd.Uniform(200));
        BlockCache::Handle* h = cache.Lookup(key);
        if (h == nullptr) h = cache.Insert(key, std::make_unique<Block>(key), 100);
        EXPECT_EQ(key, cache.Value(h)->contents());
        cache.Release(h);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(20000u, cache.hits() + cache.misses());
  EXPECT_LE(cache.TotalCharge(), 16u * 2000);
}

TEST(TableReaderConcurrency, SharedReaderAndCache) {
  std::map<std::string, std::string> model;
  for (int i = 0; i < 3000; ++i) model[MakeKey(i)] = "v" + std::to_string(i);
  auto bloom = NewBloomFilterPolicy(10);
  BlockCache cache(32 * 1024);  // smaller than the table: constant eviction
  TableOptions options{.filter_policy = bloom.get(), .block_cache = &cache};
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(testutil::OpenTable(options, testutil::BuildTable(options, model), &table).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Random rnd(100 + t);
      for (int i = 0; i < 2000; ++i) {
        const uint64_t k = rnd.Uniform(4000);
        std::string v;
        Status s = table->Get(MakeKey(k), &v);
        if (k < 3000) {
          EXPECT_TRUE(s.ok());
          EXPECT_EQ("v" + std::to_string(k), v);
        } else {
          EXPECT_TRUE(s.IsNotFound());
        }
      }
      auto it = table->NewIterator();
      int n = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
      EXPECT_EQ(3000, n);
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace
}  // namespace lsm
