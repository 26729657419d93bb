// Arena: bump allocation, alignment, big allocations in their own block, usage accounting.
#include "step3_memtable/arena.h"

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"

namespace lsm {
namespace {

bool IsAligned(const void* p) {
  return (reinterpret_cast<uintptr_t>(p) & (Arena::kAlignment - 1)) == 0;
}

TEST(Arena, EmptyUsesNothing) {
  Arena arena;
  EXPECT_EQ(0u, arena.MemoryUsage());
  EXPECT_EQ(0u, arena.blocks());
}

TEST(Arena, SmallAllocationsShareABlock) {
  Arena arena;
  char* a = arena.Allocate(10);
  char* b = arena.Allocate(20);
  EXPECT_EQ(a + 10, b);  // bump allocation: the next one starts where the last ended
  EXPECT_EQ(1u, arena.blocks());
  EXPECT_GE(arena.MemoryUsage(), Arena::kBlockSize);
  EXPECT_LT(arena.MemoryUsage(), Arena::kBlockSize + 64);
}

TEST(Arena, LargeAllocationGetsItsOwnBlock) {
  Arena arena;
  char* small1 = arena.Allocate(100);
  char* big = arena.Allocate(10000);
  char* small2 = arena.Allocate(100);
  EXPECT_EQ(small1 + 100, small2);  // the current block keeps serving small requests
  EXPECT_NE(nullptr, big);
  EXPECT_EQ(2u, arena.blocks());
  EXPECT_GE(arena.MemoryUsage(), Arena::kBlockSize + 10000);
}

TEST(Arena, FullBlockStartsANewOne) {
  Arena arena;
  (void)arena.Allocate(Arena::kBlockSize - 10);
  EXPECT_EQ(1u, arena.blocks());
  (void)arena.Allocate(100);  // does not fit in the 10 left
  EXPECT_EQ(2u, arena.blocks());
  EXPECT_GE(arena.MemoryUsage(), 2 * Arena::kBlockSize);
}

TEST(Arena, AlignedAllocationsAreAligned) {
  Arena arena;
  Random rnd(301);
  for (int i = 0; i < 2000; ++i) {
    (void)arena.Allocate(1 + rnd.Uniform(13));  // knock the bump pointer off alignment
    char* p = arena.AllocateAligned(1 + rnd.Skewed(11));
    ASSERT_TRUE(IsAligned(p)) << "allocation " << i;
  }
}

// Every allocation keeps its own bytes: fill each with a pattern, check them all at the end.
TEST(Arena, RandomizedAllocationsKeepTheirContents) {
  for (uint64_t seed : {1u, 2u, 301u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    Arena arena;
    Random rnd(seed);
    std::vector<std::pair<size_t, char*>> allocated;
    size_t total = 0;
    size_t last_usage = 0;
    for (int i = 0; i < 5000; ++i) {
      size_t n = i % (5000 / 10) == 0 ? 6000 : 1 + rnd.Skewed(10);  // a few big ones
      char* p = rnd.OneIn(2) ? arena.AllocateAligned(n) : arena.Allocate(n);
      for (size_t b = 0; b < n; ++b) p[b] = static_cast<char>(i % 256);
      allocated.emplace_back(n, p);
      total += n;
      ASSERT_GE(arena.MemoryUsage(), total);
      ASSERT_GE(arena.MemoryUsage(), last_usage);  // never shrinks
      last_usage = arena.MemoryUsage();
    }
    // Waste is bounded: at most a quarter block per block, plus bookkeeping.
    EXPECT_LE(arena.MemoryUsage(), total * 2 + Arena::kBlockSize * 2);
    for (size_t i = 0; i < allocated.size(); ++i) {
      const auto [n, p] = allocated[i];
      for (size_t b = 0; b < n; ++b) {
        ASSERT_EQ(static_cast<char>(i % 256), p[b]) << "allocation " << i << " byte " << b;
      }
    }
  }
}

}  // namespace
}  // namespace lsm
