// Compatibility with the real LevelDB 1.23 (the oracle): its .log files are read by our
// WalReader and decoded by our WriteBatch, and a log written by us is replayed by LevelDB.
#include <gtest/gtest.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include "common/file.h"
#include "step2_wal/wal_reader.h"
#include "step2_wal/wal_writer.h"
#include "step2_wal/write_batch.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

namespace fs = std::filesystem;

// Prints a batch's operations with their sequence numbers.
std::string Print(const WriteBatch& batch) {
  struct Printer : WriteBatch::Handler {
    std::string out;
    SequenceNumber seq = 0;
    void Put(std::string_view k, std::string_view v) override {
      out += fmt::format("Put({}, {})@{} ", k, v.size() > 20 ? std::to_string(v.size()) + "B" : std::string(v), seq++);
    }
    void Delete(std::string_view k) override { out += fmt::format("Delete({})@{} ", k, seq++); }
  } p;
  p.seq = batch.Sequence();
  Status s = batch.Iterate(&p);
  return s.ok() ? p.out : s.ToString();
}

std::string OnlyLogFile(const fs::path& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(FileSystem::Default()->GetChildren(dir, &names).ok());
  std::string log;
  for (const auto& n : names) {
    if (n.ends_with(".log")) {
      EXPECT_TRUE(log.empty()) << "two logs: " << log << " " << n;
      log = n;
    }
  }
  return log;
}

TEST(LevelDbCompat, OurReaderDecodesALogWrittenByLevelDb) {
  testutil::TempDir dir;
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* raw = nullptr;
  ASSERT_TRUE(leveldb::DB::Open(options, (dir / "db").string(), &raw).ok());
  std::unique_ptr<leveldb::DB> db(raw);
  leveldb::WriteOptions wo;
  ASSERT_TRUE(db->Put(wo, "apple", "red").ok());
  leveldb::WriteBatch batch;
  batch.Put("banana", "yellow");
  batch.Delete("apple");
  batch.Put(leveldb::Slice("nul\0key", 7), "x");
  ASSERT_TRUE(db->Write(wo, &batch).ok());
  ASSERT_TRUE(db->Put(wo, "big", std::string(70000, 'b')).ok());  // FIRST/MIDDLE/LAST
  ASSERT_TRUE(db->Delete(wo, "banana").ok());

  // Copy the log while the DB is open (LevelDB flushes each record to the OS).
  const std::string name = OnlyLogFile(dir / "db");
  ASSERT_FALSE(name.empty());
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), dir / "db" / name, &bytes).ok());
  db.reset();
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), bytes, dir / "copy.log", false).ok());

  std::unique_ptr<SequentialFile> file;
  ASSERT_TRUE(FileSystem::Default()->NewSequentialFile(dir / "copy.log", &file).ok());
  WalReader reader(file.get(), nullptr, /*checksum=*/true);
  std::string scratch;
  std::string_view record;
  std::vector<std::string> seen;
  while (reader.ReadRecord(&record, &scratch)) {
    WriteBatch b;
    ASSERT_TRUE(b.SetContents(record).ok());
    seen.push_back(Print(b));
  }
  EXPECT_EQ(0u, reader.dropped_bytes());
  EXPECT_EQ(0u, reader.torn_tail_bytes());
  EXPECT_EQ((std::vector<std::string>{
                "Put(apple, red)@1 ",
                std::string("Put(banana, yellow)@2 Delete(apple)@3 Put(nul\0key, x)@4 ", 56),
                "Put(big, 70000B)@5 ",
                "Delete(banana)@6 ",
            }),
            seen);
  // And byte for byte: our writer, given the same batches, writes the same file.
  testutil::TempDir ours;
  std::unique_ptr<WritableFile> out;
  ASSERT_TRUE(FileSystem::Default()->NewWritableFile(ours / "x.log", &out).ok());
  WalWriter writer(out.get());
  WriteBatch b1, b2, b3, b4;
  b1.Put("apple", "red");
  b1.SetSequence(1);
  b2.Put("banana", "yellow");
  b2.Delete("apple");
  b2.Put(std::string_view("nul\0key", 7), "x");
  b2.SetSequence(2);
  b3.Put("big", std::string(70000, 'b'));
  b3.SetSequence(5);
  b4.Delete("banana");
  b4.SetSequence(6);
  for (auto* b : {&b1, &b2, &b3, &b4}) ASSERT_TRUE(writer.AddRecord(b->Contents()).ok());
  ASSERT_TRUE(out->Close().ok());
  std::string our_bytes;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), ours / "x.log", &our_bytes).ok());
  EXPECT_TRUE(bytes == our_bytes) << "sizes " << bytes.size() << " vs " << our_bytes.size();
}

TEST(LevelDbCompat, LevelDbReplaysALogWrittenByUs) {
  testutil::TempDir dir;
  const std::string path = (dir / "db").string();
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* raw = nullptr;
  ASSERT_TRUE(leveldb::DB::Open(options, path, &raw).ok());
  delete raw;  // a fresh, empty DB: MANIFEST says "replay logs numbered >= its log"
  const std::string name = OnlyLogFile(path);
  ASSERT_FALSE(name.empty());

  std::unique_ptr<WritableFile> out;
  ASSERT_TRUE(FileSystem::Default()->NewWritableFile(dir / "db" / name, &out).ok());
  WalWriter writer(out.get());
  WriteBatch batch;
  batch.Put("apple", "red");
  batch.Put("cherry", std::string(50000, 'c'));
  batch.SetSequence(1);
  ASSERT_TRUE(writer.AddRecord(batch.Contents()).ok());
  batch.Clear();
  batch.Delete("apple");
  batch.Put("banana", "yellow");
  batch.SetSequence(3);
  ASSERT_TRUE(writer.AddRecord(batch.Contents()).ok());
  ASSERT_TRUE(out->Close().ok());

  options.paranoid_checks = true;
  ASSERT_TRUE(leveldb::DB::Open(options, path, &raw).ok());
  std::unique_ptr<leveldb::DB> db(raw);
  std::string value;
  EXPECT_TRUE(db->Get({}, "apple", &value).IsNotFound());
  ASSERT_TRUE(db->Get({}, "banana", &value).ok());
  EXPECT_EQ("yellow", value);
  ASSERT_TRUE(db->Get({}, "cherry", &value).ok());
  EXPECT_EQ(std::string(50000, 'c'), value);
}

}  // namespace
}  // namespace lsm
