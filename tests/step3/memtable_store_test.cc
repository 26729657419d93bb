// MemTableStore: the store conformance suite, plus recovery from the log on reopen, sequence
// numbers, torn tails and damaged logs.
#include "step3_memtable/memtable_store.h"

#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/file.h"
#include "common/random.h"
#include "step2_wal/log_file_name.h"
#include "tests/support/store_conformance.h"
#include "tests/support/store_get.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

struct MemTableStoreTraits {
  using Store = MemTableStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<Store> store;
    Status s = MemTableStore::Open({}, dir, &store);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return store;
  }
};

class MemTableStoreTest : public ::testing::Test {
 protected:
  MemTableStoreTest() { Reopen(); }

  Status TryReopen(MemTableStore::Options options = {}) {
    store_.reset();  // release the lock first
    return MemTableStore::Open(options, dir_.path(), &store_);
  }
  void Reopen(MemTableStore::Options options = {}) {
    Status s = TryReopen(options);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::string Get(std::string_view key) { return testutil::GetAsString(*store_, key); }
  std::string LogBytes(uint64_t number) {
    std::string data;
    EXPECT_TRUE(
        ReadFileToString(FileSystem::Default(), LogFileName(dir_.path(), number),
                         &data)
            .ok());
    return data;
  }
  void WriteLog(uint64_t number, std::string_view data) {
    ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), data,
                                  LogFileName(dir_.path(), number), true)
                    .ok());
  }

  testutil::TempDir dir_;
  std::unique_ptr<MemTableStore> store_;
};

TEST_F(MemTableStoreTest, SequenceNumbersCountOperations) {
  EXPECT_EQ(0u, store_->last_sequence());
  ASSERT_TRUE(store_->Put("a", "1").ok());
  ASSERT_TRUE(store_->Delete("a").ok());
  WriteBatch batch;
  batch.Put("b", "2");
  batch.Put("c", "3");
  batch.Delete("b");
  ASSERT_TRUE(store_->Write(&batch).ok());
  EXPECT_EQ(3u, batch.Sequence());  // the batch's first operation got sequence 3
  EXPECT_EQ(5u, store_->last_sequence());
  EXPECT_EQ("NOT_FOUND", Get("b"));  // deleted later in the same batch
  EXPECT_EQ("3", Get("c"));
  WriteBatch empty;
  ASSERT_TRUE(store_->Write(&empty).ok());
  EXPECT_EQ(5u, store_->last_sequence());  // nothing written, nothing numbered
}

TEST_F(MemTableStoreTest, ReopenRecoversFromTheLog) {
  ASSERT_TRUE(store_->Put("apple", "red").ok());
  ASSERT_TRUE(store_->Put("banana", "yellow").ok());
  ASSERT_TRUE(store_->Delete("apple").ok());
  ASSERT_TRUE(store_->Put("cherry", "dark").ok());
  Reopen();
  EXPECT_EQ("NOT_FOUND", Get("apple"));
  EXPECT_EQ("yellow", Get("banana"));
  EXPECT_EQ("dark", Get("cherry"));
  EXPECT_EQ(4u, store_->last_sequence());
  EXPECT_EQ(1, store_->recovery().logs_replayed);
  EXPECT_EQ(4u, store_->recovery().batches_applied);
  EXPECT_TRUE(store_->recovery().problems.empty());

  // Writes after a reopen go to a new log and continue the sequence.
  ASSERT_TRUE(store_->Put("apple", "green").ok());
  EXPECT_EQ(5u, store_->last_sequence());
  EXPECT_EQ(LogFileName(dir_.path(), 2), store_->log_path());
  Reopen();
  EXPECT_EQ("green", Get("apple"));
  EXPECT_EQ(2, store_->recovery().logs_replayed);
  EXPECT_EQ(5u, store_->last_sequence());
}

TEST_F(MemTableStoreTest, SecondOpenOfTheSameDirectoryFails) {
  std::unique_ptr<MemTableStore> second;
  EXPECT_FALSE(MemTableStore::Open({}, dir_.path(), &second).ok());
}

TEST_F(MemTableStoreTest, TornTailIsDroppedSilently) {
  ASSERT_TRUE(store_->Put("k1", "v1").ok());
  ASSERT_TRUE(store_->Put("k2", std::string(100, 'x')).ok());
  store_.reset();
  const std::string log = LogBytes(1);
  WriteLog(1, log.substr(0, log.size() - 10));  // a crash in the middle of the second append
  Reopen({.paranoid_checks = true});  // a torn tail is not damage, even for the paranoid
  EXPECT_EQ("v1", Get("k1"));
  EXPECT_EQ("NOT_FOUND", Get("k2"));
  EXPECT_EQ(1u, store_->last_sequence());
  EXPECT_GT(store_->recovery().torn_tail_bytes, 0u);
  EXPECT_EQ(0u, store_->recovery().dropped_bytes);
}

TEST_F(MemTableStoreTest, DamagedRecordFailsParanoidOpenAndIsSkippedWhenTolerant) {
  ASSERT_TRUE(store_->Put("k1", "v1").ok());
  ASSERT_TRUE(store_->Put("k2", "v2").ok());
  ASSERT_TRUE(store_->Put("k3", "v3").ok());
  store_.reset();
  std::string log = LogBytes(1);
  // Each record: 7-byte header + 12-byte batch header + 1 + 1 + 2 + 1 + 2 = 26 bytes.
  ASSERT_EQ(3u * 26, log.size());
  log[26 + 20] ^= 0x01;  // flip a payload bit of the second record: its CRC no longer matches
  WriteLog(1, log);

  Status s = TryReopen({.paranoid_checks = true});
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("000001.log")) << s.ToString();

  Reopen({.paranoid_checks = false});
  EXPECT_EQ("v1", Get("k1"));
  EXPECT_EQ("NOT_FOUND", Get("k2"));  // lost with its damaged record
  // The reader drops the rest of the damaged block (FORMATS.md), so k3 is lost as well.
  EXPECT_EQ("NOT_FOUND", Get("k3"));
  EXPECT_GT(store_->recovery().dropped_bytes, 0u);
  EXPECT_FALSE(store_->recovery().problems.empty());
}

// Every single-bit flip in a small log: Open never crashes, and what it recovers is a prefix
// of the writes (tolerant mode) — never a wrong value.
TEST_F(MemTableStoreTest, EveryBitFlipInASmallLogRecoversAPrefixOrFails) {
  ASSERT_TRUE(store_->Put("a", "1").ok());
  ASSERT_TRUE(store_->Put("b", "2").ok());
  store_.reset();
  const std::string log = LogBytes(1);
  for (size_t i = 0; i < log.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "byte " << i);
    std::string bad = log;
    bad[i] ^= 0x10;
    WriteLog(1, bad);
    Status s = TryReopen();
    ASSERT_TRUE(s.ok()) << s.ToString();  // tolerant
    const std::string a = Get("a"), b = Get("b");
    EXPECT_TRUE(a == "1" || a == "NOT_FOUND") << a;
    EXPECT_TRUE(b == "2" || b == "NOT_FOUND") << b;
    store_.reset();
    std::error_code ec;
    std::filesystem::remove(LogFileName(dir_.path(), 2), ec);  // the new log
  }
}

TEST_F(MemTableStoreTest, ScanSeesOnlyTheNewestVersionOfEachKey) {
  for (int round = 0; round < 3; ++round) {
    for (const char* k : {"b", "a", "c"}) {
      ASSERT_TRUE(store_->Put(k, fmt::format("{}{}", k, round)).ok());
    }
  }
  ASSERT_TRUE(store_->Delete("b").ok());
  std::map<std::string, std::string> seen;
  ASSERT_TRUE(store_->Scan("", "", [&](std::string_view k, std::string_view v) {
    EXPECT_TRUE(seen.emplace(k, v).second) << "key reported twice: " << k;
    return true;
  }).ok());
  EXPECT_EQ((std::map<std::string, std::string>{{"a", "a2"}, {"c", "c2"}}), seen);
}

TEST_F(MemTableStoreTest, ScanCallbackMayWriteToTheStore) {
  ASSERT_TRUE(store_->Put("a", "1").ok());
  ASSERT_TRUE(store_->Put("b", "2").ok());
  int calls = 0;
  ASSERT_TRUE(store_->Scan("", "", [&](std::string_view k, std::string_view) {
    ++calls;
    EXPECT_TRUE(store_->Put(std::string(k) + "x", "new").ok());  // not seen by this scan
    return true;
  }).ok());
  EXPECT_EQ(2, calls);
  EXPECT_EQ("new", Get("ax"));
}

}  // namespace

namespace testutil {
INSTANTIATE_TYPED_TEST_SUITE_P(Step3, StoreConformanceTest, MemTableStoreTraits);
}  // namespace testutil
}  // namespace lsm
