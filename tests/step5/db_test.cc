#include "step5_lsm/db.h"

#include <map>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/random.h"
#include "step5_lsm/filename.h"
#include "step5_lsm/version_edit.h"
#include "tests/step5/db_test_util.h"
#include "tests/support/store_conformance.h"

namespace lsm {
namespace {

using testutil::DBFixture;
using testutil::SmallOptions;

struct DBTraits {
  using Store = DB;
  static std::unique_ptr<Store> Open(const std::filesystem::path& dir) {
    std::unique_ptr<DB> db;
    Status s = DB::Open(SmallOptions(), dir, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return db;
  }
};

std::string Key(int i) { return fmt::format("key{:06d}", i); }

TEST(DB, PutGetDeleteAcrossFlushAndReopen) {
  DBFixture t;
  ASSERT_TRUE(t.db_->Put("foo", "v1").ok());
  EXPECT_EQ("v1", t.Get("foo"));
  ASSERT_TRUE(t.db_->Flush().ok());
  EXPECT_EQ(1, t.TotalTableFiles());
  EXPECT_EQ("v1", t.Get("foo"));  // from the table now
  ASSERT_TRUE(t.db_->Put("foo", "v2").ok());
  ASSERT_TRUE(t.db_->Put("bar", "b").ok());
  EXPECT_EQ("v2", t.Get("foo"));  // memtable shadows the table
  ASSERT_TRUE(t.db_->Delete("foo").ok());
  EXPECT_EQ("NOT_FOUND", t.Get("foo"));  // tombstone in memtable hides table value
  t.Reopen();                            // the log is replayed
  EXPECT_EQ("NOT_FOUND", t.Get("foo"));
  EXPECT_EQ("b", t.Get("bar"));
  t.Reopen();
  EXPECT_EQ("b", t.Get("bar"));
}

TEST(DB, OpenOptionsAndLock) {
  testutil::TempDir dir;
  std::unique_ptr<DB> db;
  Status s = DB::Open(Options{}, dir / "none", &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  ASSERT_TRUE(DB::Open(Options{.create_if_missing = true}, dir / "db", &db).ok());
  std::unique_ptr<DB> second;
  s = DB::Open(Options{.create_if_missing = true}, dir / "db", &second);
  EXPECT_TRUE(s.IsIOError()) << "LOCK must be held: " << s.ToString();
  db.reset();
  s = DB::Open(Options{.create_if_missing = true, .error_if_exists = true}, dir / "db", &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  ASSERT_TRUE(DB::Open(Options{}, dir / "db", &db).ok());
  db.reset();
  ASSERT_TRUE(DestroyDB(dir / "db", Options{}).ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "db"));
}

TEST(DB, FreshDatabaseFilesMatchLevelDB) {
  testutil::TempDir dir;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(Options{.create_if_missing = true}, dir.path(), &db).ok());
  db.reset();
  std::string current;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), dir / "CURRENT", &current).ok());
  // MANIFEST-000001 from NewDB is replaced by the MANIFEST written on open (number 2), whose
  // log is 000003.log — the same numbering LevelDB 1.23 produces.
  EXPECT_EQ("MANIFEST-000002\n", current);
  EXPECT_TRUE(std::filesystem::exists(dir / "000003.log"));
  EXPECT_FALSE(std::filesystem::exists(dir / "MANIFEST-000001"));
  EXPECT_TRUE(std::filesystem::exists(dir / "LOCK"));
}

TEST(DB, IteratorBothDirectionsAndSeek) {
  DBFixture t;
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(t.db_->Put(Key(i), std::to_string(i)).ok());
  for (int i = 0; i < 500; i += 3) ASSERT_TRUE(t.db_->Delete(Key(i)).ok());
  auto forward = t.Contents();
  EXPECT_EQ(forward, t.ContentsBackward());
  EXPECT_EQ(333u, forward.size());
  auto it = t.db_->NewIterator(ReadOptions{});
  it->Seek(Key(3));  // deleted: lands on the next live key
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(Key(4), it->key());
  it->Prev();
  EXPECT_EQ(Key(2), it->key());
  it->Seek("zzz");
  EXPECT_FALSE(it->Valid());
}

TEST(DB, SnapshotsSeeThePastAcrossFlushesAndCompactions) {
  DBFixture t;
  ASSERT_TRUE(t.db_->Put("k", "v1").ok());
  const Snapshot* s1 = t.db_->GetSnapshot();
  ASSERT_TRUE(t.db_->Put("k", "v2").ok());
  ASSERT_TRUE(t.db_->Delete("k").ok());
  const Snapshot* s2 = t.db_->GetSnapshot();
  ASSERT_TRUE(t.db_->Put("k", "v3").ok());
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ("v1", t.Get("k", s1));
  EXPECT_EQ("NOT_FOUND", t.Get("k", s2));
  EXPECT_EQ("v3", t.Get("k"));
  EXPECT_EQ((std::map<std::string, std::string>{{"k", "v1"}}), t.Contents(s1));
  EXPECT_TRUE(t.Contents(s2).empty());
  t.db_->ReleaseSnapshot(s1);
  t.db_->ReleaseSnapshot(s2);
}

TEST(DB, CompactRangeDropsTombstonesAndShadowedVersions) {
  DBFixture t;
  std::string big(1000, 'x');
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(t.db_->Put(Key(i), big + std::to_string(round)).ok());
  }
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(t.db_->Delete(Key(i)).ok());
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  // Everything is deleted and no snapshot needs it: nothing is left on disk.
  EXPECT_EQ(0, t.TotalTableFiles());
  EXPECT_TRUE(t.Contents().empty());
}

TEST(DB, FlushesAndCompactionsHappenAndDataSurvives) {
  DBFixture t;
  Random rnd(301);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 6000; ++i) {
    std::string k = Key(static_cast<int>(rnd.Uniform(3000)));
    std::string v = rnd.Bytes(100);
    ASSERT_TRUE(t.db_->Put(k, v).ok());
    model[k] = v;
  }
  std::string stats;
  ASSERT_TRUE(t.db_->GetProperty("lsm.stats", &stats));
  EXPECT_NE(std::string::npos,
            stats.find("write amplification (table bytes / user key+value bytes)"))
      << stats;
  EXPECT_GT(t.TotalTableFiles(), 0);
  EXPECT_EQ(model, t.Contents());
  t.Reopen();
  EXPECT_EQ(model, t.Contents());
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(0, t.FilesAtLevel(0));
  EXPECT_EQ(model, t.Contents());
  std::string levels;
  ASSERT_TRUE(t.db_->GetProperty("lsm.levels", &levels));
  EXPECT_EQ(std::string::npos, levels.find("L0:")) << levels << stats;  // all pushed down
  ASSERT_TRUE(t.WaitForBackgroundWork());
  EXPECT_EQ("none", t.Property("lsm.pending-work"));
  EXPECT_EQ("0", t.Property("lsm.compaction-pending"));
  EXPECT_FALSE(t.db_->GetProperty("lsm.unknown", &levels));
}

TEST(DB, BlockCacheCountsHitsWhenTablesAreNotMapped) {
  Options options = SmallOptions();
  options.mmap_tables = false;  // every data block read goes through the block cache
  DBFixture t(options);
  ASSERT_TRUE(t.db_->Put("k", "v").ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  EXPECT_EQ("v", t.Get("k"));  // miss: the block is read and cached
  EXPECT_EQ("v", t.Get("k"));  // hit
  std::string cache;
  ASSERT_TRUE(t.db_->GetProperty("lsm.block-cache", &cache));
  EXPECT_EQ(0u, cache.find("hits ")) << cache;
  EXPECT_EQ(std::string::npos, cache.find("hits 0 ")) << cache;
  EXPECT_EQ(std::string::npos, cache.find("misses 0 ")) << cache;
}

// The table files in dir, by name, with their sizes.
std::map<std::string, uint64_t> TableFiles(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(FileSystem::Default()->GetChildren(dir, &names).ok());
  std::map<std::string, uint64_t> tables;
  for (const auto& name : names) {
    uint64_t n;
    FileType type;
    if (!ParseFileName(name, &n, &type) || type != FileType::kTableFile) continue;
    EXPECT_TRUE(FileSystem::Default()->GetFileSize(dir / name, &tables[name]).ok());
  }
  return tables;
}

// Compacted-away tables, old logs and MANIFESTs are deleted; so is an orphan table (one the
// MANIFEST does not name, as a crash between writing a table and logging its edit leaves).
TEST(DB, ObsoleteFilesAreDeleted) {
  DBFixture t;
  // The first table holds ghost=boo; keep its bytes to plant as the orphan later.
  ASSERT_TRUE(t.db_->Put("ghost", "boo").ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  const auto first = TableFiles(t.dir_.path());
  ASSERT_EQ(1u, first.size());
  std::string orphan_bytes;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), t.dir_ / first.begin()->first,
                               &orphan_bytes).ok());
  ASSERT_TRUE(t.db_->Delete("ghost").ok());
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(t.db_->Put(Key(i % 500), std::string(200, 'v')).ok());
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());  // the tombstone is dropped too
  t.Reopen();
  std::vector<std::string> names;
  ASSERT_TRUE(FileSystem::Default()->GetChildren(t.dir_.path(), &names).ok());
  int tables = 0, logs = 0, manifests = 0;
  uint64_t max_number = 0;
  for (const auto& name : names) {
    uint64_t n;
    FileType type;
    if (!ParseFileName(name, &n, &type)) continue;
    max_number = std::max(max_number, n);
    tables += type == FileType::kTableFile;
    logs += type == FileType::kLogFile;
    manifests += type == FileType::kDescriptorFile;
  }
  EXPECT_EQ(t.TotalTableFiles(), tables);
  EXPECT_EQ(1, logs);
  EXPECT_EQ(1, manifests);
  EXPECT_EQ(0u, TableFiles(t.dir_.path()).count(first.begin()->first));  // compacted away

  // Plant the orphan: a valid table with a number no file has had, named by no MANIFEST.
  const auto live = TableFiles(t.dir_.path());
  ASSERT_FALSE(live.empty());
  const std::map<std::string, std::string> model = t.Contents();
  ASSERT_EQ(500u, model.size());
  t.Close();
  const std::filesystem::path orphan = TableFileName(t.dir_.path(), max_number + 100);
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), orphan_bytes, orphan, true).ok());
  t.Reopen();
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_EQ(live, TableFiles(t.dir_.path()));  // the live tables are untouched
  EXPECT_EQ("NOT_FOUND", t.Get("ghost"));      // the orphan's data was never read
  EXPECT_EQ(model, t.Contents());
}

TEST(DB, WriteBatchIsAtomicAndOrdered) {
  DBFixture t;
  WriteBatch batch;
  batch.Put("a", "1");
  batch.Put("b", "2");
  batch.Delete("a");
  batch.Put("c", "3");
  ASSERT_TRUE(t.db_->Write(WriteOptions{.sync = true}, &batch).ok());
  EXPECT_EQ("NOT_FOUND", t.Get("a"));
  EXPECT_EQ("2", t.Get("b"));
  t.Reopen();
  EXPECT_EQ((std::map<std::string, std::string>{{"b", "2"}, {"c", "3"}}), t.Contents());
}

TEST(DB, MissingTableFileIsCorruptionOnOpen) {
  DBFixture t;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(t.db_->Put(Key(i), "v").ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  t.Close();
  for (const auto& e : std::filesystem::directory_iterator(t.dir_.path())) {
    if (e.path().extension() == ".ldb") std::filesystem::remove(e.path());
  }
  std::unique_ptr<DB> db;
  Status s = DB::Open(t.options_, t.dir_.path(), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST(DB, CorruptLogMiddleIsToleratedOrFatalWhenParanoid) {
  DBFixture t;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(t.db_->Put(Key(i), "value").ok());
  t.Close();
  // Flip a byte in the middle of the (only) log's records.
  std::filesystem::path log;
  for (const auto& e : std::filesystem::directory_iterator(t.dir_.path())) {
    if (e.path().extension() == ".log") log = e.path();
  }
  ASSERT_FALSE(log.empty());
  std::string data;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), log, &data).ok());
  ASSERT_GT(data.size(), 200u);
  data[data.size() / 2] ^= 0x40;
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), data, log, true).ok());

  std::unique_ptr<DB> db;
  Options paranoid = t.options_;
  paranoid.paranoid_checks = true;
  Status s = DB::Open(paranoid, t.dir_.path(), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  db.reset();
  t.Reopen();  // tolerant: drops the damaged block, keeps what came before
  EXPECT_EQ("value", t.Get(Key(0)));
}

// Random operations against a std::map model, with snapshots, flushes, compactions and
// reopens mixed in. Tiny buffers make the LSM reshape itself constantly.
TEST(DB, ModelBasedRandomOperations) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    Options options = SmallOptions();
    options.write_buffer_size = 8 * 1024;
    options.compression = seed % 2 ? CompressionType::kSnappy : CompressionType::kNone;
    DBFixture t(options);
    Random rnd(seed);
    std::map<std::string, std::string> model;
    std::vector<std::pair<const Snapshot*, std::map<std::string, std::string>>> snaps;
    for (int op = 0; op < 4000; ++op) {
      const std::string key = Key(static_cast<int>(rnd.Skewed(10)));
      const uint64_t r = rnd.Uniform(100);
      if (r < 50) {
        std::string v = rnd.Bytes(rnd.Skewed(9));
        ASSERT_TRUE(t.db_->Put(key, v).ok());
        model[key] = v;
      } else if (r < 70) {
        ASSERT_TRUE(t.db_->Delete(key).ok());
        model.erase(key);
      } else if (r < 90) {
        auto it = model.find(key);
        ASSERT_EQ(it == model.end() ? "NOT_FOUND" : it->second, t.Get(key)) << "op " << op;
      } else if (r < 93) {
        if (snaps.size() < 3) {
          snaps.emplace_back(t.db_->GetSnapshot(), model);
        } else {
          const size_t i = rnd.Uniform(snaps.size());
          ASSERT_EQ(snaps[i].second, t.Contents(snaps[i].first)) << "op " << op;
          t.db_->ReleaseSnapshot(snaps[i].first);
          snaps.erase(snaps.begin() + static_cast<long>(i));
        }
      } else if (r < 96) {
        ASSERT_EQ(model, t.Contents()) << "op " << op;
      } else if (r < 97) {
        std::string a = Key(static_cast<int>(rnd.Uniform(1024)));
        std::string b = Key(static_cast<int>(rnd.Uniform(1024)));
        if (a > b) std::swap(a, b);
        std::string_view av = a, bv = b;
        ASSERT_TRUE(t.db_->CompactRange(&av, &bv).ok());
      } else if (r < 98) {
        for (auto& s : snaps) t.db_->ReleaseSnapshot(s.first);
        snaps.clear();
        t.Reopen();
      }
    }
    ASSERT_EQ(model, t.Contents());
    ASSERT_EQ(model, t.ContentsBackward());
    for (auto& s : snaps) {
      ASSERT_EQ(s.second, t.Contents(s.first));
      t.db_->ReleaseSnapshot(s.first);
    }
    t.Reopen();
    ASSERT_EQ(model, t.Contents());
  }
}

// Tiny files and level budgets (LevelDB's are 2 MiB and 10 MiB) push a few hundred KiB of
// data down to L3 and beyond, so compactions between deep levels run in a test-sized run.
TEST(DB, SmallLevelLimitsDriveDataIntoDeepLevels) {
  constexpr uint64_t kSeed = 7;
  SCOPED_TRACE(::testing::Message() << "seed=" << kSeed);
  Options options = SmallOptions();
  options.write_buffer_size = 8 * 1024;
  options.max_file_size = 4 * 1024;
  options.max_bytes_for_level_base = 16 * 1024;
  options.compression = CompressionType::kNone;
  DBFixture t(options);
  Random rnd(kSeed);
  std::map<std::string, std::string> model;
  for (int op = 0; op < 6000; ++op) {
    const std::string key = Key(static_cast<int>(rnd.Uniform(6000)));
    if (rnd.Uniform(100) < 80) {
      std::string v = rnd.Bytes(100 + rnd.Uniform(100));
      ASSERT_TRUE(t.db_->Put(key, v).ok());
      model[key] = v;
    } else {
      ASSERT_TRUE(t.db_->Delete(key).ok());
      model.erase(key);
    }
  }
  t.WaitForBackgroundWork();
  int deepest = 0;
  for (int level = 0; level < kNumLevels; ++level) {
    if (t.FilesAtLevel(level) > 0) deepest = level;
  }
  std::string levels;
  ASSERT_TRUE(t.db_->GetProperty("lsm.levels", &levels));
  SCOPED_TRACE(levels);
  ::testing::Test::RecordProperty("deepest_level", deepest);
  EXPECT_GE(deepest, 3) << "no table reached L3";

  auto check_every_key = [&](std::string_view when) {
    SCOPED_TRACE(when);
    for (int i = 0; i < 6000; ++i) {
      auto it = model.find(Key(i));
      ASSERT_EQ(it == model.end() ? "NOT_FOUND" : it->second, t.Get(Key(i))) << Key(i);
    }
    ASSERT_EQ(model, t.Contents());
  };
  check_every_key("after the writes");
  t.Reopen();
  check_every_key("after reopening");
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  check_every_key("after CompactRange");
}

}  // namespace

namespace testutil {
INSTANTIATE_TYPED_TEST_SUITE_P(Step5, StoreConformanceTest, DBTraits);
}  // namespace testutil
}  // namespace lsm
