// SSTableStore: the store conformance suite with tiny memtables (so tables are flushed all the
// time), reads across memtable and tables, tombstones in tables, and recovery on reopen.
#include "step4_sstable/sstable_store.h"

#include <map>

#include <gtest/gtest.h>

#include "common/random.h"
#include "tests/support/fault_injection_fs.h"
#include "tests/support/store_conformance.h"
#include "tests/support/store_get.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

// 16 KiB memtables: the conformance workloads flush many times.
struct SSTableStoreTraits {
  using Store = SSTableStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<Store> store;
    Status s = Store::Open({.write_buffer_size = 16 << 10}, dir, &store);
    if (!s.ok()) ADD_FAILURE() << s.ToString();
    return store;
  }
};

std::unique_ptr<SSTableStore> OpenStore(const std::filesystem::path& dir, size_t buffer = 16 << 10) {
  std::unique_ptr<SSTableStore> store;
  Status s = SSTableStore::Open({.write_buffer_size = buffer}, dir, &store);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return store;
}

std::string Get(const SSTableStore& store, std::string_view key) {
  return testutil::GetAsString(store, key);
}

TEST(SSTableStore, FlushMovesDataIntoTablesAndNewestWins) {
  testutil::TempDir dir;
  auto store = OpenStore(dir.path(), 1 << 20);
  ASSERT_TRUE(store->Put("a", "1").ok());
  ASSERT_TRUE(store->Put("b", "1").ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->Put("a", "2").ok());
  ASSERT_TRUE(store->Delete("b").ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->Put("c", "3").ok());
  EXPECT_EQ(2u, store->NumTables());
  EXPECT_EQ("2", Get(*store, "a"));          // table 2 shadows table 1
  EXPECT_EQ("NOT_FOUND", Get(*store, "b"));  // a tombstone in a table hides the older value
  EXPECT_EQ("3", Get(*store, "c"));          // memtable
  std::map<std::string, std::string> all;
  ASSERT_TRUE(store->Scan("", "", [&](auto k, auto v) {
    all.emplace(k, v);
    return true;
  }).ok());
  EXPECT_EQ((std::map<std::string, std::string>{{"a", "2"}, {"c", "3"}}), all);
}

TEST(SSTableStore, ReopenRecoversTablesAndLog) {
  testutil::TempDir dir;
  std::map<std::string, std::string> model;
  Random rnd(77);
  SequenceNumber seq = 0;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(testing::Message() << "round " << round << " seed 77");
    auto store = OpenStore(dir.path(), 8 << 10);
    EXPECT_GE(store->last_sequence(), seq);
    for (int i = 0; i < 2000; ++i) {
      const std::string k = "key" + std::to_string(rnd.Uniform(500));
      if (rnd.OneIn(5)) {
        ASSERT_TRUE(store->Delete(k).ok());
        model.erase(k);
      } else {
        const std::string v = rnd.Bytes(rnd.Uniform(60));
        ASSERT_TRUE(store->Put(k, v).ok());
        model[k] = v;
      }
    }
    seq = store->last_sequence();
    EXPECT_GT(store->NumTables(), 1u);
    store.reset();
    store = OpenStore(dir.path(), 8 << 10);
    EXPECT_EQ(seq, store->last_sequence());
    for (int i = 0; i < 500; ++i) {
      const std::string k = "key" + std::to_string(i);
      auto it = model.find(k);
      ASSERT_EQ(it == model.end() ? "NOT_FOUND" : it->second, Get(*store, k)) << k;
    }
  }
  // Only the live log remains next to the tables.
  std::vector<std::string> names;
  ASSERT_TRUE(FileSystem::Default()->GetChildren(dir.path(), &names).ok());
  EXPECT_EQ(1, std::count_if(names.begin(), names.end(),
                             [](const std::string& n) { return n.ends_with(".log"); }));
}

TEST(SSTableStore, MissesAskEveryTableUnlessTheFilterSkips) {
  testutil::TempDir dir;
  auto store = OpenStore(dir.path(), 1 << 20);
  for (int t = 0; t < 5; ++t) {
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(store->Put(MakeKey(t * 1000 + i), "v").ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  ASSERT_EQ(5u, store->NumTables());
  for (int i = 0; i < 100; ++i) EXPECT_EQ("NOT_FOUND", Get(*store, MakeKey(i) + "x"));
  EXPECT_EQ(500u, store->tables_probed());  // every miss asks all 5 tables
  EXPECT_GE(store->filter_skips(), 450u);   // ... but the filters skip almost all reads
}

TEST(SSTableStore, SecondOpenIsLockedOut) {
  testutil::TempDir dir;
  auto store = OpenStore(dir.path());
  std::unique_ptr<SSTableStore> other;
  EXPECT_FALSE(SSTableStore::Open({}, dir.path(), &other).ok());
}

std::vector<std::string> LogFiles(const std::filesystem::path& dir) {
  std::vector<std::string> names, logs;
  EXPECT_TRUE(FileSystem::Default()->GetChildren(dir, &names).ok());
  for (const std::string& n : names) {
    if (n.ends_with(".log")) logs.push_back(n);
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

// A flush whose old log cannot be deleted: the Put that triggered it is durable and applied,
// so it succeeds. The leftover log is older than the table that holds its data, so recovery
// must not replay it (a key deleted later must stay deleted), and the deletion is retried.
TEST(SSTableStore, FailedRemovalOfFlushedLogIsHarmless) {
  using Op = testutil::FaultInjectionFileSystem::Op;
  testutil::TempDir dir;
  testutil::FaultInjectionFileSystem faulty(FileSystem::Default());
  const SSTableStore::Options options{.write_buffer_size = 16 << 10, .fs = &faulty};
  faulty.FailAfter(Op::kRemove, 0);  // every removal fails from now on
  std::unique_ptr<SSTableStore> store;
  ASSERT_TRUE(SSTableStore::Open(options, dir.path(), &store).ok());
  int n = 0;
  for (; store->NumTables() == 0 && n < 1000; ++n) {
    Status s = store->Put(MakeKey(n), std::string(100, 'v'));
    ASSERT_TRUE(s.ok()) << "put " << n << " triggered the flush: " << s.ToString();
  }
  ASSERT_EQ(1u, store->NumTables());
  ASSERT_GE(faulty.Injected(Op::kRemove), 1);
  EXPECT_EQ((std::vector<std::string>{"000001.log", "000003.log"}), LogFiles(dir.path()));
  // 000001.log holds MakeKey(0)'s put; delete it now, so replaying that log would resurrect it.
  ASSERT_TRUE(store->Delete(MakeKey(0)).ok());
  ASSERT_TRUE(store->Flush().ok());  // its log (000003) cannot be deleted either
  ASSERT_TRUE(store->Put("after", "flush").ok());
  const SequenceNumber last = store->last_sequence();
  store.reset();

  // Reopen with removals still failing: Open succeeds and replays only the live log.
  ASSERT_TRUE(SSTableStore::Open(options, dir.path(), &store).ok());
  EXPECT_EQ(last, store->last_sequence());
  EXPECT_EQ("NOT_FOUND", Get(*store, MakeKey(0)));
  EXPECT_EQ("flush", Get(*store, "after"));
  for (int i = 1; i < n; ++i) ASSERT_EQ(std::string(100, 'v'), Get(*store, MakeKey(i))) << i;
  EXPECT_LT(1u, LogFiles(dir.path()).size());  // the leftovers are still there
  store.reset();

  // Once removals work again, the next open deletes the leftovers.
  faulty.ClearFailures();
  ASSERT_TRUE(SSTableStore::Open(options, dir.path(), &store).ok());
  EXPECT_EQ(1u, LogFiles(dir.path()).size());
  EXPECT_EQ(last, store->last_sequence());
  EXPECT_EQ("NOT_FOUND", Get(*store, MakeKey(0)));
  EXPECT_EQ("flush", Get(*store, "after"));
  EXPECT_EQ(std::string(100, 'v'), Get(*store, MakeKey(n - 1)));
}

}  // namespace

namespace testutil {
INSTANTIATE_TYPED_TEST_SUITE_P(Step4, StoreConformanceTest, SSTableStoreTraits);
}  // namespace testutil
}  // namespace lsm
