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
Model WriteWithOurs(const std::filesystem::path& dir, CompressionType compression) {
  Options options = testutil::SmallOptions();
  options.compression = compression;
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
  return model;
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
