// Compatibility with the real LevelDB 1.23 (Debian libleveldb): each engine opens the other's
// directory — MANIFEST, CURRENT, tables (with and without snappy) and logs with unflushed
// writes — and reads every key, by point lookup and by iteration.
#include <map>

#include <gtest/gtest.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include "common/random.h"
#include "tests/step5/db_test_util.h"

namespace lsm {
namespace {

using Model = std::map<std::string, std::string>;

Model ReadWithLevelDB(const std::filesystem::path& dir) {
  leveldb::DB* raw = nullptr;
  leveldb::Options options;
  options.paranoid_checks = true;
  leveldb::Status s = leveldb::DB::Open(options, dir.string(), &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  std::unique_ptr<leveldb::DB> db(raw);
  Model out;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace(it->key().ToString(), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  for (const auto& [k, v] : out) {
    std::string got;
    EXPECT_TRUE(db->Get(leveldb::ReadOptions(), k, &got).ok());
    EXPECT_EQ(v, got);
  }
  return out;
}

// Writes through our DB: compacted tables, L0 tables, and an unflushed log tail.
Model WriteWithOurs(const std::filesystem::path& dir, CompressionType compression,
                    CompactionStyle style = CompactionStyle::kLeveled,
                    std::string* amplification = nullptr) {
  Options options = testutil::SmallOptions();
  options.compression = compression;
  options.compaction_style = style;
  std::unique_ptr<DB> db;
  EXPECT_TRUE(DB::Open(options, dir, &db).ok());
  Model model;
  Random rnd(7);
  for (int i = 0; i < 3000; ++i) {
    std::string k = fmt::format("key{:05d}", rnd.Uniform(1500));
    if (rnd.OneIn(5)) {
      EXPECT_TRUE(db->Delete(k).ok());
      model.erase(k);
    } else {
      std::string v = fmt::format("value{}-", i) + std::string(rnd.Uniform(200), 'x');
      EXPECT_TRUE(db->Put(k, v).ok());
      model[k] = v;
    }
    if (i == 1500) {
      EXPECT_TRUE(db->CompactRange(nullptr, nullptr).ok());
    }
  }
  // Last writes stay only in the log (no flush on close).
  EXPECT_TRUE(db->Put("zz-unflushed", "in the log only").ok());
  model["zz-unflushed"] = "in the log only";
  if (amplification != nullptr) {
    EXPECT_TRUE(db->GetProperty("lsm.amplification", amplification));
  }
  return model;
}

// "sorted-runs N" from the lsm.amplification report.
int SortedRunCount(const std::string& report) {
  const size_t pos = report.find("sorted-runs ");
  return pos == std::string::npos ? -1 : std::stoi(report.substr(pos + 12));
}

// Every key WriteWithOurs may have written but deleted is absent for LevelDB too (a run read
// in the wrong order would bring an old version back).
void ExpectLevelDBFindsNoDeletedKey(const std::filesystem::path& dir, const Model& model) {
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(leveldb::Options(), dir.string(), &raw);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::unique_ptr<leveldb::DB> db(raw);
  for (int i = 0; i < 1500; ++i) {
    const std::string k = fmt::format("key{:05d}", i);
    std::string got;
    s = db->Get(leveldb::ReadOptions(), k, &got);
    if (model.contains(k)) {
      EXPECT_TRUE(s.ok()) << k << ": " << s.ToString();
      EXPECT_EQ(model.at(k), got) << k;
    } else {
      EXPECT_TRUE(s.IsNotFound()) << k << " came back: " << s.ToString();
    }
  }
}

// A tiered or lazy-leveled tree is several sorted runs laid out as LevelDB levels (L0 files
// newest-numbered first, then one run per level): LevelDB 1.23 reads it as it is.
TEST(LevelDBCompat, LevelDBReadsOurTieredDatabase) {
  testutil::TempDir dir;
  std::string report;
  Model model = WriteWithOurs(dir.path(), CompressionType::kSnappy, CompactionStyle::kTiered,
                              &report);
  EXPECT_NE(std::string::npos, report.find("style tiered")) << report;
  EXPECT_GE(SortedRunCount(report), 2) << report;
  ExpectLevelDBFindsNoDeletedKey(dir.path(), model);
  EXPECT_EQ(model, ReadWithLevelDB(dir.path()));
}

TEST(LevelDBCompat, LevelDBReadsOurLazyLeveledDatabase) {
  testutil::TempDir dir;
  std::string report;
  Model model = WriteWithOurs(dir.path(), CompressionType::kNone, CompactionStyle::kLazyLeveled,
                              &report);
  EXPECT_NE(std::string::npos, report.find("style lazy-leveled")) << report;
  EXPECT_GE(SortedRunCount(report), 2) << report;
  ExpectLevelDBFindsNoDeletedKey(dir.path(), model);
  EXPECT_EQ(model, ReadWithLevelDB(dir.path()));
}

// And after LevelDB has compacted a tiered tree its own way, we read it back in tiered style.
TEST(LevelDBCompat, TieredDatabaseSurvivesARoundTripThroughLevelDB) {
  testutil::TempDir dir;
  Model model = WriteWithOurs(dir.path(), CompressionType::kSnappy, CompactionStyle::kTiered);
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir.path().string(), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "from-leveldb", "1").ok());
    db->CompactRange(nullptr, nullptr);
    model["from-leveldb"] = "1";
  }
  Options options = testutil::SmallOptions();
  options.compaction_style = CompactionStyle::kTiered;
  options.paranoid_checks = true;
  std::unique_ptr<DB> ours;
  Status s = DB::Open(options, dir.path(), &ours);
  ASSERT_TRUE(s.ok()) << s.ToString();
  Model got;
  auto it = ours->NewIterator(ReadOptions{});
  for (it->SeekToFirst(); it->Valid(); it->Next()) got.emplace(it->key(), it->value());
  EXPECT_TRUE(it->status().ok());
  EXPECT_EQ(model, got);
}

TEST(LevelDBCompat, LevelDBReadsOurDatabaseUncompressed) {
  testutil::TempDir dir;
  Model model = WriteWithOurs(dir.path(), CompressionType::kNone);
  EXPECT_EQ(model, ReadWithLevelDB(dir.path()));
}

TEST(LevelDBCompat, LevelDBReadsOurDatabaseWithSnappy) {
  testutil::TempDir dir;
  Model model = WriteWithOurs(dir.path(), CompressionType::kSnappy);
  EXPECT_EQ(model, ReadWithLevelDB(dir.path()));
}

TEST(LevelDBCompat, WeReadLevelDBsDatabaseIncludingItsLog) {
  testutil::TempDir dir;
  Model model;
  {
    leveldb::DB* raw = nullptr;
    leveldb::Options options;
    options.create_if_missing = true;
    options.write_buffer_size = 32 * 1024;
    ASSERT_TRUE(leveldb::DB::Open(options, dir.path().string(), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    Random rnd(9);
    for (int i = 0; i < 4000; ++i) {
      std::string k = fmt::format("k{:05d}", rnd.Uniform(2000));
      if (rnd.OneIn(6)) {
        ASSERT_TRUE(db->Delete(leveldb::WriteOptions(), k).ok());
        model.erase(k);
      } else {
        std::string v = fmt::format("v{}", i) + std::string(rnd.Uniform(150), 'y');
        ASSERT_TRUE(db->Put(leveldb::WriteOptions(), k, v).ok());
        model[k] = v;
      }
    }
    db->CompactRange(nullptr, nullptr);
    leveldb::WriteBatch batch;  // unflushed, in LevelDB's log
    batch.Put("log-only-1", "a");
    batch.Put("log-only-2", "b");
    ASSERT_TRUE(db->Write(leveldb::WriteOptions(), &batch).ok());
    model["log-only-1"] = "a";
    model["log-only-2"] = "b";
  }
  std::unique_ptr<DB> ours;
  Status s = DB::Open(Options{.paranoid_checks = true}, dir.path(), &ours);
  ASSERT_TRUE(s.ok()) << s.ToString();
  Model forward, backward;
  auto it = ours->NewIterator(ReadOptions{});
  for (it->SeekToFirst(); it->Valid(); it->Next()) forward.emplace(it->key(), it->value());
  for (it->SeekToLast(); it->Valid(); it->Prev()) backward.emplace(it->key(), it->value());
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  it.reset();
  EXPECT_EQ(model, forward);
  EXPECT_EQ(model, backward);
  for (const auto& [k, v] : model) {
    std::string got;
    ASSERT_TRUE(ours->Get(k, &got).ok()) << k;
    ASSERT_EQ(v, got);
  }
  // And after we wrote to it (our MANIFEST, our tables), LevelDB reads it again.
  ASSERT_TRUE(ours->Put("ours", "1").ok());
  ASSERT_TRUE(ours->CompactRange(nullptr, nullptr).ok());
  model["ours"] = "1";
  ours.reset();
  EXPECT_EQ(model, ReadWithLevelDB(dir.path()));
}

}  // namespace
}  // namespace lsm
