// Recovery of damaged logs: replay stops at the first damage (a consistent prefix, never a
// skip-and-continue that could resurrect a deleted key), what was dropped is reported — the
// info LOG, "lsm.recovery", EventListener::OnRecovery — and kept in lost/; a torn tail stays
// quiet; paranoid_checks refuses.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step2_wal/log_file_name.h"
#include "step2_wal/wal_writer.h"
#include "step5_lsm/db.h"
#include "step5_lsm/filename.h"
#include "tests/step5/db_test_util.h"
#include "tests/support/compaction_styles.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

using testutil::DBFixture;
using testutil::TempDir;
using Model = std::map<std::string, std::string>;

Options BigBufferOptions(CompactionStyle style) {
  Options options = testutil::SmallOptions();
  options.compaction_style = style;
  options.write_buffer_size = 16 << 20;  // everything stays in the log
  return options;
}

std::string ReadText(const std::filesystem::path& path) {
  std::string text;
  EXPECT_TRUE(ReadFileToString(FileSystem::Default(), path, &text).ok()) << path;
  return text;
}

std::vector<uint64_t> LogNumbers(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(FileSystem::Default()->GetChildren(dir, &names).ok());
  std::vector<uint64_t> logs;
  for (const auto& name : names) {
    uint64_t n;
    if (ParseLogFileName(name, &n)) logs.push_back(n);
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

struct RecordingListener final : EventListener {
  std::vector<RecoveryInfo> recoveries;
  void OnRecovery(const RecoveryInfo& info) override { recoveries.push_back(info); }
};

// Random puts and deletes over a few keys, one log record each; models[k] is the state after
// the first k writes.
std::vector<Model> WriteHistory(DB* db, int ops, uint64_t seed) {
  Random rnd(seed);
  std::vector<Model> models(1);
  for (int op = 0; op < ops; ++op) {
    Model next = models.back();
    const std::string key = fmt::format("key{:02}", rnd.Uniform(40));
    if (rnd.Uniform(3) == 0) {
      EXPECT_TRUE(db->Delete(key).ok());
      next.erase(key);
    } else {
      const std::string value = fmt::format("{}-{}", op, std::string(100, 'v'));
      EXPECT_TRUE(db->Put(key, value).ok());
      next[key] = value;
    }
    models.push_back(std::move(next));
  }
  return models;
}

void FlipByte(const std::filesystem::path& path, uint64_t offset) {
  std::string data = ReadText(path);
  ASSERT_LT(offset, data.size());
  data[offset] ^= 0x40;
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), data, path, true).ok());
}

// Every test runs under each compaction style: recovery must not depend on the policy.
class DBRecovery : public ::testing::TestWithParam<CompactionStyle> {};

TEST_P(DBRecovery, DamageInTheMiddleOfALogStopsReplayAtAConsistentPrefix) {
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    RecordingListener listener;
    Options options = BigBufferOptions(GetParam());
    options.listener = &listener;
    DBFixture t(options);
    constexpr int kOps = 600;  // ~80 KB of log: the damage lands in block 1 of 3
    const std::vector<Model> models = WriteHistory(t.db_.get(), kOps, seed);
    t.Close();
    const std::vector<uint64_t> logs = LogNumbers(t.dir_.path());
    ASSERT_EQ(1u, logs.size());
    const auto log = LogFileName(t.dir_.path(), logs[0]);
    uint64_t size = 0;
    ASSERT_TRUE(FileSystem::Default()->GetFileSize(log, &size).ok());
    const uint64_t flipped = size / 2;
    FlipByte(log, flipped);

    // Paranoid refuses, naming the file.
    {
      Options paranoid = options;
      paranoid.paranoid_checks = true;
      std::unique_ptr<DB> db;
      Status s = DB::Open(paranoid, t.dir_.path(), &db);
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
      EXPECT_NE(std::string::npos, s.ToString().find(log.filename().string())) << s.ToString();
    }

    t.Reopen();
    // The state is exactly the history up to some write before the damage: nothing after
    // the damage was applied, so no delete was lost while older writes stayed.
    const Model contents = t.Contents();
    int prefix = -1;
    for (int k = kOps; k >= 0; --k) {
      if (models[k] == contents) {
        prefix = k;
        break;
      }
    }
    ASSERT_GE(prefix, 0) << "the recovered state is no prefix of the history";
    EXPECT_LT(prefix, kOps);
    EXPECT_GT(prefix, kOps / 4);  // everything in the block before the damage survived

    // Reported: the property, the LOG (with the offset), the listener.
    std::string recovery;
    ASSERT_TRUE(t.db_->GetProperty("lsm.recovery", &recovery));
    EXPECT_NE(std::string::npos, recovery.find("DAMAGED")) << recovery;
    EXPECT_NE(std::string::npos, recovery.find(fmt::format("{} records replayed", prefix)))
        << recovery;
    ASSERT_EQ(2u, listener.recoveries.size());  // the fixture's first open, then this one
    const RecoveryInfo info = listener.recoveries[1];
    EXPECT_TRUE(info.lost_data());
    ASSERT_EQ(1u, info.logs.size());
    EXPECT_TRUE(info.logs[0].damaged);
    EXPECT_EQ(static_cast<uint64_t>(prefix), info.logs[0].records_replayed);
    EXPECT_LE(info.logs[0].damage_offset, flipped);
    EXPECT_EQ(size - info.logs[0].damage_offset, info.logs[0].bytes_dropped);
    EXPECT_GT(info.logs[0].records_dropped, 0u);  // intact records after the damage
    const std::string log_text = ReadText(InfoLogFileName(t.dir_.path()));
    EXPECT_NE(std::string::npos, log_text.find("WARNING: " + info.logs[0].Describe()))
        << log_text;
    EXPECT_NE(std::string::npos, log_text.find(log.string())) << log_text;

    // The dropped bytes are kept, byte for byte.
    const auto kept = t.dir_.path() / "lost" / log.filename();
    EXPECT_EQ(kept.string(), info.logs[0].kept_as);
    uint64_t kept_size = 0;
    ASSERT_TRUE(FileSystem::Default()->GetFileSize(kept, &kept_size).ok());
    EXPECT_EQ(size, kept_size);

    // The next open is clean: the state is stable and nothing is reported again.
    t.Reopen();
    EXPECT_EQ(contents, t.Contents());
    ASSERT_TRUE(t.db_->GetProperty("lsm.recovery", &recovery));
    EXPECT_EQ(std::string::npos, recovery.find("DAMAGED")) << recovery;
    ASSERT_EQ(3u, listener.recoveries.size());
    EXPECT_FALSE(listener.recoveries[2].lost_data());
    // DestroyDB removes lost/ too.
    t.Close();
    ASSERT_TRUE(DestroyDB(t.dir_.path(), options).ok());
    EXPECT_FALSE(std::filesystem::exists(t.dir_.path()));
  }
}

// The issue's exact case: a delete written after the damage must not be "half applied".
TEST_P(DBRecovery, DeleteAfterTheDamageCannotResurrectThroughSkippedRecords) {
  DBFixture t(BigBufferOptions(GetParam()));
  ASSERT_TRUE(t.db_->Put("victim", "old").ok());
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(t.db_->Put(fmt::format("filler{:04}", i), std::string(100, 'f')).ok());
  }
  ASSERT_TRUE(t.db_->Delete("victim").ok());
  ASSERT_TRUE(t.db_->Put("last", "written after the delete").ok());
  t.Close();
  const auto log = LogFileName(t.dir_.path(), LogNumbers(t.dir_.path()).at(0));
  uint64_t size = 0;
  ASSERT_TRUE(FileSystem::Default()->GetFileSize(log, &size).ok());
  FlipByte(log, size / 2);
  t.Reopen();
  // Either both the delete and the write after it are there, or neither: never "last"
  // without the delete that preceded it.
  if (t.Get("last") != "NOT_FOUND") {
    EXPECT_EQ("NOT_FOUND", t.Get("victim"));
  } else {
    EXPECT_EQ("old", t.Get("victim"));
  }
  EXPECT_EQ("NOT_FOUND", t.Get("last"));  // it lies after the damage
}

TEST_P(DBRecovery, TornTailIsQuietAndNormal) {
  RecordingListener listener;
  Options options = BigBufferOptions(GetParam());
  options.listener = &listener;
  DBFixture t(options);
  const std::vector<Model> models = WriteHistory(t.db_.get(), 200, 9);
  t.Close();
  const auto log = LogFileName(t.dir_.path(), LogNumbers(t.dir_.path()).at(0));
  std::string data = ReadText(log);
  data.resize(data.size() - 20);  // the last record, cut by a crash mid-append
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), data, log, true).ok());

  t.options_.paranoid_checks = true;  // a torn tail is not damage: even paranoid opens
  t.Reopen();
  EXPECT_EQ(models[199], t.Contents());
  std::string recovery;
  ASSERT_TRUE(t.db_->GetProperty("lsm.recovery", &recovery));
  EXPECT_NE(std::string::npos, recovery.find("199 records replayed; torn tail of")) << recovery;
  EXPECT_EQ(std::string::npos, recovery.find("DAMAGED")) << recovery;
  ASSERT_EQ(2u, listener.recoveries.size());
  EXPECT_FALSE(listener.recoveries[1].lost_data());
  EXPECT_GT(listener.recoveries[1].logs.at(0).torn_tail_bytes, 0u);
  EXPECT_EQ(std::string::npos, ReadText(InfoLogFileName(t.dir_.path())).find("WARNING"));
  EXPECT_FALSE(std::filesystem::exists(t.dir_.path() / "lost"));
}

// Writes a log by hand, one record per element.
void WriteLog(const std::filesystem::path& path, const std::vector<std::string>& records) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(FileSystem::Default()->NewWritableFile(path, &file).ok());
  WalWriter writer(file.get());
  for (const std::string& record : records) ASSERT_TRUE(writer.AddRecord(record).ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Close().ok());
}

std::string PutRecord(SequenceNumber sequence, std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.Put(key, value);
  batch.SetSequence(sequence);
  return std::string(batch.Contents());
}

TEST_P(DBRecovery, DamageInOneLogSkipsEveryLaterLog) {
  RecordingListener listener;
  Options options = BigBufferOptions(GetParam());
  options.listener = &listener;
  DBFixture t(options);
  ASSERT_TRUE(t.db_->Put("base", "in a table").ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  t.Close();
  // Two logs newer than the MANIFEST's log number, as a crash with two live logs leaves.
  const uint64_t first = 100, second = 101;
  std::string bad_batch = PutRecord(1002, "bad", "x");
  bad_batch[8] = 5;  // the header claims 5 records: the checksum is fine, the batch is not
  WriteLog(LogFileName(t.dir_.path(), first),
           {PutRecord(1000, "a", "1"), PutRecord(1001, "b", "2"), bad_batch,
            PutRecord(1003, "c", "3")});
  WriteLog(LogFileName(t.dir_.path(), second),
           {PutRecord(2000, "d", "4"), PutRecord(2001, "a", "overwritten later")});

  t.Reopen();
  EXPECT_EQ("in a table", t.Get("base"));
  EXPECT_EQ("1", t.Get("a"));
  EXPECT_EQ("2", t.Get("b"));
  EXPECT_EQ("NOT_FOUND", t.Get("bad"));
  EXPECT_EQ("NOT_FOUND", t.Get("c"));  // after the bad batch
  EXPECT_EQ("NOT_FOUND", t.Get("d"));  // in the later log
  ASSERT_EQ(2u, listener.recoveries.size());  // the fixture's first open, then this one
  const RecoveryInfo& info = listener.recoveries.back();
  ASSERT_EQ(3u, info.logs.size());  // the empty log of the last session, then ours
  EXPECT_FALSE(info.logs[0].lost_data());
  EXPECT_EQ(first, info.logs[1].log_number);
  EXPECT_TRUE(info.logs[1].damaged);
  EXPECT_EQ(2u, info.logs[1].records_replayed);
  EXPECT_EQ(1u, info.logs[1].records_dropped);
  EXPECT_EQ(second, info.logs[2].log_number);
  EXPECT_TRUE(info.logs[2].skipped);
  EXPECT_EQ(2u, info.logs[2].records_dropped);
  EXPECT_TRUE(std::filesystem::exists(t.dir_.path() / "lost" / "000100.log"));
  EXPECT_TRUE(std::filesystem::exists(t.dir_.path() / "lost" / "000101.log"));
  std::string recovery;
  ASSERT_TRUE(t.db_->GetProperty("lsm.recovery", &recovery));
  EXPECT_NE(std::string::npos, recovery.find("log #101: SKIPPED")) << recovery;
  // Writes after recovery get sequences above everything replayed.
  ASSERT_TRUE(t.db_->Put("a", "new").ok());
  t.Reopen();
  EXPECT_EQ("new", t.Get("a"));
}

TEST_P(DBRecovery, InfoLogRecordsOpenAndKeepsThePreviousOne) {
  Options options = testutil::SmallOptions();
  options.compaction_style = GetParam();
  DBFixture t(options);
  Random rnd(5);
  for (int i = 0; i < 2000; ++i) {  // random order: flushes overlap, so compactions run
    ASSERT_TRUE(t.db_->Put(fmt::format("k{:05}", rnd.Uniform(1000)), std::string(100, 'x')).ok());
  }
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  t.Reopen();
  const std::string current = ReadText(InfoLogFileName(t.dir_.path()));
  const std::string old = ReadText(OldInfoLogFileName(t.dir_.path()));
  EXPECT_NE(std::string::npos, current.find("opening ")) << current;
  EXPECT_NE(std::string::npos, current.find("records replayed")) << current;
  EXPECT_NE(std::string::npos, old.find("flushed memtable to table #")) << old;
  EXPECT_NE(std::string::npos, old.find("compacted ")) << old;
  // Lines start with a timestamp: 2026/12/01-21:19:49.123456
  ASSERT_GE(current.size(), 27u);
  EXPECT_EQ('/', current[4]);
  EXPECT_EQ('-', current[10]);
  EXPECT_EQ('.', current[19]);
}

INSTANTIATE_TEST_SUITE_P(Styles, DBRecovery,
                         ::testing::ValuesIn(testutil::kAllStyles), testutil::StyleParamName);

}  // namespace
}  // namespace lsm
