// BlockCache: hits and misses, LRU eviction by byte charge, pinning, replacement.
#include "step4_sstable/block_cache.h"

#include <gtest/gtest.h>

namespace lsm {
namespace {

std::unique_ptr<Block> MakeBlock(size_t size) { return std::make_unique<Block>(std::string(size, '\0')); }

std::string Key(int i) { return "key" + std::to_string(i); }

TEST(BlockCache, HitAndMiss) {
  BlockCache cache(1 << 20);
  EXPECT_EQ(nullptr, cache.Lookup("a"));
  cache.Release(cache.Insert("a", MakeBlock(100), 100));
  BlockCache::Handle* h = cache.Lookup("a");
  ASSERT_NE(nullptr, h);
  EXPECT_EQ(100u, cache.Value(h)->size());
  cache.Release(h);
  EXPECT_EQ(1u, cache.hits());
  EXPECT_EQ(1u, cache.misses());
  EXPECT_EQ(100u, cache.TotalCharge());
}

TEST(BlockCache, EvictsLeastRecentlyUsedByCharge) {
  // One shard's share of 16 * 1000 bytes is 1000 bytes; keys spread over shards, so insert
  // enough to overflow every shard and check the total stays bounded.
  BlockCache cache(16 * 1000);
  for (int i = 0; i < 1000; ++i) cache.Release(cache.Insert(Key(i), MakeBlock(100), 100));
  EXPECT_LE(cache.TotalCharge(), 16u * 1000);
  // The most recent keys are still there, the oldest are gone.
  int recent = 0, old = 0;
  for (int i = 990; i < 1000; ++i) {
    if (auto* h = cache.Lookup(Key(i))) {
      ++recent;
      cache.Release(h);
    }
  }
  for (int i = 0; i < 10; ++i) {
    if (auto* h = cache.Lookup(Key(i))) {
      ++old;
      cache.Release(h);
    }
  }
  EXPECT_EQ(10, recent);
  EXPECT_EQ(0, old);
}

TEST(BlockCache, LookupRefreshesRecency) {
  BlockCache cache(16 * 300);  // each shard holds 3 blocks of 100
  // Find four keys in the same shard by trial: insert and check the eviction order.
  cache.Release(cache.Insert("keep", MakeBlock(100), 100));
  for (int i = 0; i < 200; ++i) {
    auto* h = cache.Lookup("keep");
    ASSERT_NE(nullptr, h) << "evicted despite being used at step " << i;
    cache.Release(h);
    cache.Release(cache.Insert(Key(i), MakeBlock(100), 100));
  }
}

TEST(BlockCache, PinnedEntrySurvivesEvictionAndReplacement) {
  BlockCache cache(16 * 100);
  BlockCache::Handle* pinned = cache.Insert("a", MakeBlock(100), 100);
  BlockCache::Handle* replacement = cache.Insert("a", MakeBlock(50), 50);
  for (int i = 0; i < 100; ++i) cache.Release(cache.Insert(Key(i), MakeBlock(100), 100));
  EXPECT_EQ(100u, cache.Value(pinned)->size());  // still readable (ASan would catch a free)
  cache.Release(pinned);
  cache.Release(replacement);
}

TEST(BlockCache, ZeroCapacityCachesNothing) {
  BlockCache cache(0);
  BlockCache::Handle* h = cache.Insert("a", MakeBlock(10), 10);
  EXPECT_EQ(10u, cache.Value(h)->size());
  cache.Release(h);
  EXPECT_EQ(nullptr, cache.Lookup("a"));
  EXPECT_EQ(0u, cache.TotalCharge());
}

TEST(BlockCache, IdsAreDistinct) {
  BlockCache cache(100);
  EXPECT_NE(cache.NewId(), cache.NewId());
}

}  // namespace
}  // namespace lsm
