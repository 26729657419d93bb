// What a skip list search costs, and that Insert builds towers: the list is O(log n) only if
// a search drops a level each time it would overshoot, and only if towers rise above level 0.
// (Exercise mode judges step3.seek and step3.insert by these, as well as by skiplist_test.cc.)
#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "step3_memtable/arena.h"
#include "step3_memtable/skiplist.h"

namespace lsm {
namespace {

using Key = uint64_t;

// Orders keys like testutil::U64Comparator and counts every comparison it is asked for.
struct CountingComparator {
  uint64_t* count;
  int operator()(const Key& a, const Key& b) const {
    ++*count;
    return (a > b) - (a < b);
  }
};
using List = SkipList<Key, CountingComparator>;

// With p = 1/4 a search visits about 1/p = 4 nodes per level (3 steps right, then the
// overshoot that sends it down) over log4(n) levels: ~30 comparisons for 10000 keys. A search
// that walks a level from the head instead makes thousands.
TEST(SkipListSearch, ContainsMakesLogarithmicallyManyComparisons) {
  uint64_t count = 0;
  Arena arena;
  List list(CountingComparator{&count}, &arena, 301);
  constexpr Key kN = 10000;
  for (Key k = 0; k < kN; ++k) list.Insert(k * 2);
  constexpr int kLookups = 500;
  count = 0;
  for (Key i = 0; i < kLookups; ++i) {
    const Key k = (i * 7919) % kN * 2;
    ASSERT_TRUE(list.Contains(k)) << k;
    ASSERT_FALSE(list.Contains(k + 1)) << k + 1;
  }
  const double per_search = static_cast<double>(count) / (2 * kLookups);
  const double levels = std::log(static_cast<double>(kN)) / std::log(4.0);
  RecordProperty("comparisons_per_search", std::to_string(per_search));
  EXPECT_LT(per_search, 4 * 3 * levels) << "a search should cost about 4 comparisons a level ("
                                        << levels << " levels), not a walk of a level";
  EXPECT_GT(per_search, levels) << "at least one comparison a level";
}

// Insert must raise max_height and link a tall tower on every level it reaches: Towers()
// reads the levels back.
TEST(SkipListInsert, TowersRiseAboveLevelZeroAndEveryLevelIsSorted) {
  uint64_t count = 0;
  Arena arena;
  List list(CountingComparator{&count}, &arena, 7);
  for (Key k = 0; k < 400; ++k) list.Insert((k * 37) % 400);  // every key once, shuffled
  EXPECT_GE(list.max_height(), 3);
  const auto towers = list.Towers();
  ASSERT_EQ(400u, towers.size());
  int tall = 0, tallest = 0;
  for (size_t i = 0; i < towers.size(); ++i) {
    EXPECT_EQ(i, towers[i].key);
    tall += towers[i].height > 1 ? 1 : 0;
    tallest = std::max(tallest, towers[i].height);
  }
  EXPECT_GT(tall, 40) << "towers must reach above level 0";
  EXPECT_EQ(list.max_height(), tallest) << "max_height is the tallest tower's height";
}

}  // namespace
}  // namespace lsm
