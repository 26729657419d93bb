// SkipList against std::set: insert, contains, seek, and iteration in both directions, with
// fixed seeds (printed on failure) so every shape is reproducible.
#include "step3_memtable/skiplist.h"

#include <cstdint>
#include <iterator>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step3_memtable/arena.h"
#include "tests/step3/key_test_util.h"

namespace lsm {
namespace {

using Key = uint64_t;

using testutil::U64Comparator;

using List = SkipList<Key, U64Comparator>;

TEST(SkipList, EmptyList) {
  Arena arena;
  List list(U64Comparator{}, &arena);
  EXPECT_FALSE(list.Contains(10));
  EXPECT_EQ(1, list.max_height());

  List::Iterator it(&list);
  EXPECT_FALSE(it.Valid());
  it.SeekToFirst();
  EXPECT_FALSE(it.Valid());
  it.Seek(100);
  EXPECT_FALSE(it.Valid());
  it.SeekToLast();
  EXPECT_FALSE(it.Valid());
  EXPECT_TRUE(list.Towers().empty());
}

TEST(SkipList, SmallStory) {
  Arena arena;
  List list(U64Comparator{}, &arena);
  for (Key k : {30, 10, 20}) list.Insert(k);
  EXPECT_TRUE(list.Contains(20));
  EXPECT_FALSE(list.Contains(25));

  List::Iterator it(&list);
  it.Seek(15);
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(20u, it.key());
  it.Prev();
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(10u, it.key());
  it.Prev();
  EXPECT_FALSE(it.Valid());  // before the first

  it.SeekToLast();
  EXPECT_EQ(30u, it.key());
  it.Next();
  EXPECT_FALSE(it.Valid());  // past the last

  it.Seek(31);
  EXPECT_FALSE(it.Valid());  // seek past the end
  it.Seek(30);
  EXPECT_EQ(30u, it.key());  // seek to an exact key lands on it
}

// Each check compares one operation against std::set, for several seeds.
TEST(SkipList, RandomizedAgainstStdSet) {
  constexpr Key kRange = 5000;
  constexpr int kInserts = 2000;
  for (uint64_t seed : {1u, 2u, 301u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    Random rnd(seed);
    Arena arena;
    List list(U64Comparator{}, &arena, seed);
    std::set<Key> model;
    for (int i = 0; i < kInserts; ++i) {
      const Key k = rnd.Uniform(kRange);
      if (model.insert(k).second) list.Insert(k);
    }

    // Contains, for every key in range (present or not).
    for (Key k = 0; k < kRange; ++k) ASSERT_EQ(model.count(k) == 1, list.Contains(k)) << k;

    // Forward iteration.
    List::Iterator it(&list);
    it.SeekToFirst();
    for (Key k : model) {
      ASSERT_TRUE(it.Valid());
      ASSERT_EQ(k, it.key());
      it.Next();
    }
    EXPECT_FALSE(it.Valid());

    // Backward iteration.
    it.SeekToLast();
    for (auto r = model.rbegin(); r != model.rend(); ++r) {
      ASSERT_TRUE(it.Valid());
      ASSERT_EQ(*r, it.key());
      it.Prev();
    }
    EXPECT_FALSE(it.Valid());

    // Seek to random targets, then step a few entries both ways.
    for (int i = 0; i < 500; ++i) {
      const Key target = rnd.Uniform(kRange + 10);
      it.Seek(target);
      auto m = model.lower_bound(target);
      if (m == model.end()) {
        ASSERT_FALSE(it.Valid()) << "seek " << target;
        continue;
      }
      ASSERT_TRUE(it.Valid()) << "seek " << target;
      ASSERT_EQ(*m, it.key());
      auto fwd = m;
      List::Iterator it2 = it;  // iterators are copyable positions
      for (int step = 0; step < 3 && it2.Valid(); ++step) {
        ASSERT_EQ(*fwd, it2.key());
        it2.Next();
        ++fwd;
      }
      for (int step = 0; step < 3; ++step) {
        if (m == model.begin()) {
          it.Prev();
          ASSERT_FALSE(it.Valid());
          break;
        }
        --m;
        it.Prev();
        ASSERT_TRUE(it.Valid());
        ASSERT_EQ(*m, it.key());
      }
    }
  }
}

// The shape follows the seed: same seed and keys, same towers.
TEST(SkipList, FixedSeedGivesTheSameTowers) {
  Arena a1, a2;
  List l1(U64Comparator{}, &a1, 42), l2(U64Comparator{}, &a2, 42);
  for (Key k = 0; k < 200; ++k) {
    l1.Insert(k * 3);
    l2.Insert(k * 3);
  }
  auto t1 = l1.Towers(), t2 = l2.Towers();
  ASSERT_EQ(200u, t1.size());
  for (size_t i = 0; i < t1.size(); ++i) {
    EXPECT_EQ(t1[i].key, t2[i].key);
    EXPECT_EQ(t1[i].height, t2[i].height);
  }
}

// Branching factor 4: about 1/4 of the towers reach level 2, 1/16 level 3; never above 12.
TEST(SkipList, TowerHeightsFollowTheBranchingFactor) {
  Arena arena;
  List list(U64Comparator{}, &arena, 7);
  constexpr int kN = 20000;
  for (Key k = 0; k < kN; ++k) list.Insert(k);
  std::vector<int> at_least(List::kMaxHeight + 2, 0);
  for (const auto& t : list.Towers()) {
    ASSERT_GE(t.height, 1);
    ASSERT_LE(t.height, List::kMaxHeight);
    for (int h = 1; h <= t.height; ++h) ++at_least[h];
  }
  EXPECT_EQ(kN, at_least[1]);
  EXPECT_NEAR(kN / 4.0, at_least[2], kN / 4.0 * 0.1);
  EXPECT_NEAR(kN / 16.0, at_least[3], kN / 16.0 * 0.2);
  EXPECT_LE(list.max_height(), List::kMaxHeight);
  EXPECT_GE(list.max_height(), 6);  // log4(20000) ~ 7
}

// Memory: nodes come from the arena, whose usage grows with the list.
TEST(SkipList, NodesLiveInTheArena) {
  Arena arena;
  List list(U64Comparator{}, &arena);
  const size_t empty = arena.MemoryUsage();
  for (Key k = 0; k < 10000; ++k) list.Insert(k);
  // Each node is a key plus at least one link: 16 bytes or more.
  EXPECT_GE(arena.MemoryUsage() - empty, 10000u * 16);
}

}  // namespace
}  // namespace lsm
