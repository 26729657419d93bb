// One writer, several lock-free readers: the skip list's (and the memtable's) concurrency
// rule. Run under ThreadSanitizer by CI (label "concurrency").
//
// The writer inserts a shuffled set of keys and, after each insert, publishes how many it has
// finished. A reader notes that count BEFORE it starts a pass, then checks that the list it
// walks is strictly sorted and holds every one of those keys (it may also see later ones).
#include <atomic>
#include <cstdint>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step3_memtable/arena.h"
#include "step3_memtable/memtable.h"
#include "step3_memtable/skiplist.h"
#include "tests/step3/key_test_util.h"

namespace lsm {
namespace {

using Key = uint64_t;
using testutil::U64Comparator;
using List = SkipList<Key, U64Comparator>;

constexpr int kReaders = 3;

std::vector<Key> ShuffledKeys(size_t n, uint64_t seed) {
  std::vector<Key> keys(n);
  std::iota(keys.begin(), keys.end(), Key{0});
  Random rnd(seed);
  for (size_t i = n; i > 1; --i) std::swap(keys[i - 1], keys[rnd.Uniform(i)]);
  return keys;
}

TEST(SkipListConcurrency, ReadersSeeASortedListWithEveryFinishedInsert) {
  for (uint64_t seed : {1u, 301u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    constexpr size_t kKeys = 4000;
    const std::vector<Key> order = ShuffledKeys(kKeys, seed);
    Arena arena;
    List list(U64Comparator{}, &arena, seed);
    std::atomic<size_t> inserted{0};
    std::atomic<bool> done{false};
    std::atomic<int> passes{0};

    auto reader = [&](int id) {
      Random rnd(seed * 100 + static_cast<uint64_t>(id));
      std::vector<char> seen(kKeys);
      bool last = false;
      while (!last) {
        last = done.load(std::memory_order_acquire);  // one more full pass after the writer
        const size_t before = inserted.load(std::memory_order_acquire);
        std::fill(seen.begin(), seen.end(), 0);
        List::Iterator it(&list);
        bool first = true;
        Key prev = 0;
        for (it.SeekToFirst(); it.Valid(); it.Next()) {
          const Key k = it.key();
          ASSERT_LT(k, kKeys) << "reader " << id << " saw a key never inserted";
          ASSERT_TRUE(first || prev < k) << "reader " << id << ": " << prev << " then " << k;
          first = false;
          prev = k;
          seen[k] = 1;
        }
        for (size_t i = 0; i < before; ++i) {
          ASSERT_TRUE(seen[order[i]]) << "reader " << id << " missed key " << order[i]
                                      << " inserted before its pass (#" << i << ")";
        }
        // Point reads of keys known to be in, from random positions in the order.
        for (int probe = 0; probe < 50 && before > 0; ++probe) {
          const Key k = order[rnd.Uniform(before)];
          ASSERT_TRUE(list.Contains(k)) << k;
          it.Seek(k);
          ASSERT_TRUE(it.Valid());
          ASSERT_EQ(k, it.key());
        }
        passes.fetch_add(1, std::memory_order_relaxed);
      }
    };

    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) readers.emplace_back(reader, r);
    for (size_t i = 0; i < order.size(); ++i) {
      list.Insert(order[i]);
      inserted.store(i + 1, std::memory_order_release);
      if (i % 64 == 0) std::this_thread::yield();  // let readers interleave
    }
    done.store(true, std::memory_order_release);
    for (auto& t : readers) t.join();
    EXPECT_GE(passes.load(), kReaders);
  }
}

// The same rule one layer up: memtable Get() racing with Add(), plus ApproximateMemoryUsage()
// read from other threads.
TEST(MemTableConcurrency, GetSeesEveryFinishedAdd) {
  constexpr int kKeys = 3000;
  const InternalKeyComparator icmp(BytewiseComparator());
  auto mem = std::make_shared<MemTable>(icmp);
  std::atomic<int> added{0};
  std::atomic<bool> done{false};

  auto reader = [&](int id) {
    Random rnd(static_cast<uint64_t>(id) + 7);
    std::string value;
    while (!done.load(std::memory_order_acquire)) {
      const int before = added.load(std::memory_order_acquire);
      if (before == 0) continue;
      const int i = static_cast<int>(rnd.Uniform(static_cast<uint64_t>(before)));
      Status s;
      ASSERT_TRUE(mem->Get(LookupKey(MakeKey(static_cast<uint64_t>(i)), kMaxSequenceNumber),
                           &value, &s))
          << "reader " << id << " missed key " << i;
      ASSERT_TRUE(s.ok());
      ASSERT_EQ("v" + std::to_string(i), value);
      ASSERT_GT(mem->ApproximateMemoryUsage(), 0u);
    }
  };
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) readers.emplace_back(reader, r);
  for (int i = 0; i < kKeys; ++i) {
    mem->Add(static_cast<SequenceNumber>(i) + 1, ValueType::kValue,
             MakeKey(static_cast<uint64_t>(i)), "v" + std::to_string(i));
    added.store(i + 1, std::memory_order_release);
    if (i % 64 == 0) std::this_thread::yield();
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
}

}  // namespace
}  // namespace lsm
