// DurableStore: the conformance suite, restart and recovery, checkpoints, damage policies.
#include "step2_wal/durable_store.h"

#include <gtest/gtest.h>

#include <map>

#include "common/file.h"
#include "step2_wal/log_file_name.h"
#include "tests/support/fault_injection_fs.h"
#include "tests/support/forwarding_fs.h"
#include "tests/support/store_conformance.h"
#include "tests/support/store_get.h"

namespace lsm {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

struct DurableStoreTraits {
  using Store = DurableStore;
  static std::unique_ptr<Store> Open(const fs::path& dir) {
    std::unique_ptr<DurableStore> store;
    Status s = DurableStore::Open({}, dir, &store);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return store;
  }
};

class DurableStoreTest : public ::testing::Test {
 protected:
  DurableStoreTest() { Reopen(); }

  void Reopen(DurableStore::Options options = {}) {
    store_.reset();
    Status s = DurableStore::Open(options, dir_.path(), &store_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  Status TryReopen(DurableStore::Options options) {
    store_.reset();
    return DurableStore::Open(options, dir_.path(), &store_);
  }
  std::string Get(std::string_view key) { return testutil::GetAsString(*store_, key); }
  std::vector<std::string> Files() {
    std::vector<std::string> names;
    EXPECT_TRUE(FileSystem::Default()->GetChildren(dir_.path(), &names).ok());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string ReadFile(const fs::path& p) {
    std::string data;
    EXPECT_TRUE(ReadFileToString(FileSystem::Default(), p, &data).ok());
    return data;
  }
  void WriteFile(const fs::path& p, const std::string& data) {
    ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), data, p, false).ok());
  }

  TempDir dir_;
  std::unique_ptr<DurableStore> store_;
};

TEST_F(DurableStoreTest, RestartKeepsEverything) {
  ASSERT_TRUE(store_->Put("apple", "red").ok());
  ASSERT_TRUE(store_->Put("banana", "yellow").ok());
  ASSERT_TRUE(store_->Put("apple", "green").ok());
  ASSERT_TRUE(store_->Delete("banana").ok());
  Reopen();
  EXPECT_EQ("green", Get("apple"));
  EXPECT_EQ("NOT_FOUND", Get("banana"));
  EXPECT_EQ(4u, store_->recovery_report().batches_applied);
  EXPECT_EQ(4u, store_->last_sequence());
  EXPECT_EQ(0u, store_->recovery_report().torn_tail_bytes);
  // Each open writes a fresh log; the replayed one stays until a checkpoint.
  EXPECT_EQ((std::vector<std::string>{"000001.log", "000002.log", "LOCK"}), Files());
  ASSERT_TRUE(store_->Put("cherry", "dark").ok());
  Reopen();
  EXPECT_EQ("dark", Get("cherry"));
  EXPECT_EQ(5u, store_->last_sequence());
}

TEST_F(DurableStoreTest, WriteBatchGetsConsecutiveSequences) {
  WriteBatch batch;
  batch.Put("a", "1");
  batch.Put("b", "2");
  batch.Delete("a");
  ASSERT_TRUE(store_->Write(&batch).ok());
  EXPECT_EQ(1u, batch.Sequence());
  EXPECT_EQ(3u, store_->last_sequence());
  EXPECT_EQ("NOT_FOUND", Get("a"));
  EXPECT_EQ("2", Get("b"));
  Reopen();
  EXPECT_EQ(3u, store_->last_sequence());
  EXPECT_EQ(1u, store_->recovery_report().batches_applied);
}

TEST_F(DurableStoreTest, MalformedBatchIsRejectedAndNotLogged) {
  WriteBatch batch;
  batch.Put("a", "1");
  std::string rep(batch.Contents());
  rep[8] = 5;  // count lies
  ASSERT_TRUE(batch.SetContents(rep).ok());
  EXPECT_TRUE(store_->Write(&batch).IsCorruption());
  EXPECT_EQ("NOT_FOUND", Get("a"));
  Reopen({.paranoid_checks = true});
  EXPECT_EQ(0u, store_->last_sequence());
}

TEST_F(DurableStoreTest, SecondOpenOfTheSameDirectoryFails) {
  std::unique_ptr<DurableStore> other;
  EXPECT_FALSE(DurableStore::Open({}, dir_.path(), &other).ok());
}

TEST_F(DurableStoreTest, CheckpointReplacesTheLogs) {
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(store_->Put(fmt::format("k{:03d}", i), "v").ok());
  Reopen();  // now 000001.log (replayed) and 000002.log (current)
  ASSERT_TRUE(store_->Delete("k000").ok());
  ASSERT_TRUE(store_->Checkpoint().ok());
  EXPECT_EQ((std::vector<std::string>{"000003.log", "CHECKPOINT", "LOCK"}), Files());
  ASSERT_TRUE(store_->Put("after", "checkpoint").ok());
  Reopen();
  const auto& report = store_->recovery_report();
  EXPECT_TRUE(report.loaded_checkpoint);
  EXPECT_EQ(99u, report.checkpoint_entries);
  EXPECT_EQ(1u, report.batches_applied);
  EXPECT_EQ(102u, store_->last_sequence());
  EXPECT_EQ("NOT_FOUND", Get("k000"));
  EXPECT_EQ("v", Get("k099"));
  EXPECT_EQ("checkpoint", Get("after"));
  EXPECT_EQ(100u, store_->size());
}

TEST_F(DurableStoreTest, CheckpointOfAnEmptyStore) {
  ASSERT_TRUE(store_->Checkpoint().ok());
  Reopen({.paranoid_checks = true});
  EXPECT_TRUE(store_->recovery_report().loaded_checkpoint);
  EXPECT_EQ(0u, store_->size());
}

TEST_F(DurableStoreTest, AutomaticCheckpointKeepsTheLogSmall) {
  Reopen({.checkpoint_log_bytes = 4096});
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(store_->Put(fmt::format("key{:04d}", i % 300), std::to_string(i)).ok());
  }
  uint64_t size = 0;
  ASSERT_TRUE(FileSystem::Default()->GetFileSize(store_->log_path(), &size).ok());
  EXPECT_LT(size, 4096u);
  Reopen({.paranoid_checks = true});
  EXPECT_EQ(300u, store_->size());
  EXPECT_EQ("499", Get("key0199"));
  EXPECT_EQ(500u, store_->last_sequence());
}

// A crash after CHECKPOINT's rename but before the old log was deleted leaves both. The old
// log's batches are already in the checkpoint: recovery must skip them by sequence number.
TEST_F(DurableStoreTest, LeftoverOldLogIsSkippedBySequence) {
  ASSERT_TRUE(store_->Put("k", "old").ok());
  ASSERT_TRUE(store_->Delete("gone").ok());
  const std::string old_log = ReadFile(store_->log_path());
  ASSERT_TRUE(store_->Put("gone", "back").ok());
  ASSERT_TRUE(store_->Put("k", "new").ok());
  ASSERT_TRUE(store_->Checkpoint().ok());
  store_.reset();
  WriteFile(LogFileName(dir_.path(), 1), old_log);  // "undelete" it
  Reopen({.paranoid_checks = true});
  EXPECT_EQ(2u, store_->recovery_report().batches_skipped);
  EXPECT_EQ("new", Get("k"));
  EXPECT_EQ("back", Get("gone"));
}

TEST_F(DurableStoreTest, StaleCheckpointTmpIsIgnoredAndRemoved) {
  ASSERT_TRUE(store_->Put("k", "v").ok());
  store_.reset();
  WriteFile(dir_ / "CHECKPOINT.tmp", "half a snapshot");
  Reopen({.paranoid_checks = true});
  EXPECT_EQ("v", Get("k"));
  EXPECT_FALSE(FileSystem::Default()->FileExists(dir_ / "CHECKPOINT.tmp"));
}

TEST_F(DurableStoreTest, TornTailIsDroppedAndReportedOnce) {
  ASSERT_TRUE(store_->Put("a", "1").ok());
  ASSERT_TRUE(store_->Put("b", std::string(100, '2')).ok());
  const fs::path log = store_->log_path();
  store_.reset();
  std::string bytes = ReadFile(log);
  WriteFile(log, bytes.substr(0, bytes.size() - 30));  // the crash cut the last append
  Reopen({.paranoid_checks = true});  // a torn tail is not corruption, even when paranoid
  const auto& report = store_->recovery_report();
  EXPECT_EQ("1", Get("a"));
  EXPECT_EQ("NOT_FOUND", Get("b"));
  // "a"'s record is 7 + 12 + 1 + 2 + 2 = 24 bytes; "b"'s is 123, of which 93 remain.
  EXPECT_EQ(93u, report.torn_tail_bytes);
  EXPECT_EQ(0u, report.dropped_bytes);
  ASSERT_EQ(1u, report.problems.size());
  EXPECT_EQ(fmt::format("{}: torn tail: dropped the incomplete last record, 93 bytes at "
                        "offset 24", log.string()),
            report.problems[0]);
  EXPECT_TRUE(report.checkpointed_on_open);
  Reopen({.paranoid_checks = true});
  EXPECT_EQ(0u, store_->recovery_report().torn_tail_bytes);
  EXPECT_EQ("1", Get("a"));
}

class DamagedLogTest : public DurableStoreTest {
 protected:
  // Writes 3 blocks' worth of records (each 7 + 12 + 1 + 1+7 + 1+100 = 129 bytes; 254 fill
  // block 0 up to a 2-byte zero trailer), then flips a byte of record #1, at offset 129.
  void SetUp() override {
    for (int i = 0; i < 1000; ++i) {
      ASSERT_TRUE(store_->Put(fmt::format("key{:04d}", i), std::string(100, 'v')).ok());
    }
    log_ = store_->log_path();
    store_.reset();
    std::string bytes = ReadFile(log_);
    ASSERT_GT(bytes.size(), 3 * log::kBlockSize);
    bytes[129 + 20] ^= 0x20;
    WriteFile(log_, bytes);
  }
  fs::path log_;
};

TEST_F(DamagedLogTest, ParanoidOpenFailsNamingFileAndOffset) {
  Status s = TryReopen({.paranoid_checks = true});
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(fmt::format("Corruption: {}: checksum mismatch at offset 129", log_.string()),
            s.ToString());
}

TEST_F(DamagedLogTest, TolerantOpenSkipsTheBlockAndReportsIt) {
  Status s = TryReopen({.paranoid_checks = false});
  ASSERT_TRUE(s.ok()) << s.ToString();
  const auto& report = store_->recovery_report();
  // Record 0 survives; the rest of block 0 is dropped; everything from block 1 on is back.
  EXPECT_EQ(log::kBlockSize - 129, report.dropped_bytes);
  EXPECT_EQ("NOT_FOUND", Get("key0253"));
  EXPECT_EQ(std::string(100, 'v'), Get("key0254"));
  EXPECT_EQ("NOT_FOUND", Get("key0001"));
  EXPECT_EQ(std::string(100, 'v'), Get("key0000"));
  EXPECT_EQ(std::string(100, 'v'), Get("key0999"));
  ASSERT_GE(report.problems.size(), 1u);
  EXPECT_EQ(fmt::format("Corruption: {}: checksum mismatch at offset 129", log_.string()),
            report.problems[0]);
  // The damage was folded into a checkpoint: the next open is clean.
  Reopen({.paranoid_checks = true});
  EXPECT_EQ(0u, store_->recovery_report().dropped_bytes);
}

// A FileSystem whose writable files fail every Append after the first `budget` calls.
class FailingFileSystem final : public testutil::ForwardingFileSystem {
 public:
  explicit FailingFileSystem(int budget)
      : ForwardingFileSystem(FileSystem::Default()), budget_(budget) {}
  Status NewWritableFile(const fs::path& p, std::unique_ptr<WritableFile>* r) override {
    Status s = base()->NewWritableFile(p, r);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), &budget_);
    return s;
  }

 private:
  class File final : public testutil::ForwardingWritableFile {
   public:
    File(std::unique_ptr<WritableFile> base, int* budget)
        : ForwardingWritableFile(std::move(base)), budget_(budget) {}
    Status Append(std::string_view data) override {
      if ((*budget_)-- <= 0) return Status::IOError("{}: injected append failure", path().string());
      return base()->Append(data);
    }

   private:
    int* budget_;
  };
  int budget_;
};

TEST_F(DurableStoreTest, FailedLogWriteIsStickyAndLeavesMemoryUnchanged) {
  FailingFileSystem failing(3);  // header+payload of the first put, then the header of the 2nd
  Reopen({.fs = &failing});
  ASSERT_TRUE(store_->Put("a", "1").ok());
  Status s = store_->Put("b", "2");
  EXPECT_TRUE(s.IsIOError());
  EXPECT_EQ("NOT_FOUND", Get("b"));
  EXPECT_EQ(s, store_->Put("c", "3"));  // refused with the same error
  Reopen();
  EXPECT_EQ("1", Get("a"));
  EXPECT_EQ("NOT_FOUND", Get("b"));
}

// A checkpoint closes two files: CHECKPOINT.tmp (close #0), then the old log (close #1) as it
// switches to a new one. If that second close fails there is no log to write to: the store
// must refuse writes with that error (naming the log), not crash, and keep serving reads.
TEST_F(DurableStoreTest, FailedCloseOfOldLogInCheckpointIsSticky) {
  testutil::FaultInjectionFileSystem faulty(FileSystem::Default());
  Reopen({.fs = &faulty});
  ASSERT_TRUE(store_->Put("a", "1").ok());
  const fs::path old_log = store_->log_path();
  faulty.FailAfter(testutil::FaultInjectionFileSystem::Op::kClose, 1);
  Status s = store_->Checkpoint();
  ASSERT_EQ(1, faulty.Injected(testutil::FaultInjectionFileSystem::Op::kClose));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(old_log.string())) << s.ToString();
  EXPECT_EQ(s, store_->Put("b", "2"));  // refused with the original error
  EXPECT_EQ(s, store_->Delete("a"));
  EXPECT_EQ(s, store_->Checkpoint());
  EXPECT_EQ("1", Get("a"));  // reads keep working
  EXPECT_EQ("NOT_FOUND", Get("b"));
  Reopen();
  EXPECT_EQ("1", Get("a"));
  EXPECT_EQ("NOT_FOUND", Get("b"));
}

// The same through the automatic checkpoint a Put triggers: that Put is durable and returns
// OK; the next write gets the close error.
TEST_F(DurableStoreTest, FailedCloseOfOldLogInAutomaticCheckpointFailsTheNextWrite) {
  using Op = testutil::FaultInjectionFileSystem::Op;
  testutil::FaultInjectionFileSystem faulty(FileSystem::Default());
  Reopen({.checkpoint_log_bytes = 200, .fs = &faulty});
  faulty.FailAfter(Op::kClose, 1);
  int acked = 0;
  while (faulty.Injected(Op::kClose) == 0 && acked < 100) {
    ASSERT_TRUE(store_->Put(fmt::format("key{:03d}", acked), "value").ok());
    ++acked;
  }
  ASSERT_EQ(1, faulty.Injected(Op::kClose));
  Status s = store_->Put("late", "x");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("injected close failure")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(".log")) << s.ToString();
  EXPECT_EQ(s, store_->Put("later", "y"));
  EXPECT_EQ(static_cast<size_t>(acked), store_->size());
  EXPECT_EQ("value", Get(fmt::format("key{:03d}", acked - 1)));
  Reopen({.paranoid_checks = true});
  EXPECT_EQ(static_cast<size_t>(acked), store_->size());
  EXPECT_EQ("value", Get("key000"));
  EXPECT_EQ("value", Get(fmt::format("key{:03d}", acked - 1)));
  EXPECT_EQ("NOT_FOUND", Get("late"));
}

}  // namespace

namespace testutil {
INSTANTIATE_TYPED_TEST_SUITE_P(Step2, StoreConformanceTest, DurableStoreTraits);
}  // namespace testutil
}  // namespace lsm

namespace lsm {
namespace {

// Power loss: the page cache is gone, each file keeps only the bytes it had at its last
// successful fsync. With sync = true every acknowledged write — across automatic checkpoints —
// is among them; with sync = false only what a checkpoint or a later sync made durable is.
TEST_F(DurableStoreTest, PowerLossKeepsEverySyncedWrite) {
  for (bool sync : {true, false}) {
    SCOPED_TRACE(sync ? "sync" : "no sync");
    TempDir dir;
    testutil::FaultInjectionFileSystem faulty(FileSystem::Default());
    std::map<std::string, std::string> acked;
    {
      std::unique_ptr<DurableStore> store;
      ASSERT_TRUE(DurableStore::Open({.sync = sync, .checkpoint_log_bytes = 4096, .fs = &faulty},
                                     dir.path(), &store)
                      .ok());
      for (int i = 0; i < 300; ++i) {
        const std::string key = fmt::format("key{:03}", i % 97);
        const std::string value = fmt::format("value {}", i);
        ASSERT_TRUE(store->Put(key, value).ok());
        acked[key] = value;
      }
      ASSERT_TRUE(faulty.DropUnsyncedData().ok());  // the power cut, while still open
    }
    std::unique_ptr<DurableStore> store;
    ASSERT_TRUE(DurableStore::Open({}, dir.path(), &store).ok());
    int present = 0;
    for (const auto& [key, value] : acked) {
      const std::string got = testutil::GetAsString(*store, key);
      if (sync) {
        EXPECT_EQ(value, got) << key;
      }
      if (got == value) ++present;
    }
    if (sync) {
      EXPECT_EQ(static_cast<int>(acked.size()), present);
    }
  }
}

}  // namespace
}  // namespace lsm
