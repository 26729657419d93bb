// A table read through a memory map (common/mmap_file.h): same answers as through pread, blocks
// borrowed in place, and a damaged block reported on every read (a block is marked checked
// only after its checksum passed).
#include <map>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/mmap_file.h"
#include "tests/step4/table_test_util.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

std::string Key(int i) { return fmt::format("key{:05d}", i); }

class MmapTableTest : public testing::Test {
 protected:
  MmapTableTest() {
    for (int i = 0; i < 300; ++i) model_[Key(i * 2)] = fmt::format("value-{}", i);
    options_ = TableOptions{.block_size = 256};
    bytes_ = testutil::BuildTable(options_, model_);
  }

  // Writes `bytes` to a file and opens it mapped; nullptr (with a test failure) if it cannot.
  std::unique_ptr<TableReader> OpenMapped(const std::string& bytes) {
    const auto path = dir_ / "000001.ldb";
    EXPECT_TRUE(WriteStringToFile(FileSystem::Default(), bytes, path, false).ok());
    std::unique_ptr<MmapFile> file;
    EXPECT_TRUE(MmapFile::Open(path, &file).ok());
    std::unique_ptr<TableReader> table;
    Status s = TableReader::Open(options_, std::move(file), bytes.size(), &table);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return table;
  }

  testutil::TempDir dir_;
  TableOptions options_;
  std::map<std::string, std::string> model_;
  std::string bytes_;
};

TEST_F(MmapTableTest, MmapFileReadsViewsOfTheFile) {
  const auto path = dir_ / "f";
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), "hello world", path, false).ok());
  std::unique_ptr<MmapFile> file;
  ASSERT_TRUE(MmapFile::Open(path, &file).ok());
  std::string_view got;
  ASSERT_TRUE(file->Read(6, 100, nullptr, &got).ok());
  EXPECT_EQ("world", got);  // short at the end, like pread
  ASSERT_TRUE(file->Read(11, 4, nullptr, &got).ok());
  EXPECT_TRUE(got.empty());
  EXPECT_EQ("hello world", file->contents());
  std::unique_ptr<MmapFile> missing;
  Status s = MmapFile::Open(dir_ / "nope", &missing);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("nope")) << s.ToString();
}

TEST_F(MmapTableTest, AnswersLikeTheModel) {
  auto table = OpenMapped(bytes_);
  ASSERT_NE(nullptr, table);  // a failed Open must fail the test, not crash it
  for (int i = 0; i < 600; ++i) {
    std::string v;
    Status s = table->Get(Key(i), &v);
    auto it = model_.find(Key(i));
    if (it == model_.end()) {
      EXPECT_TRUE(s.IsNotFound()) << i;
    } else {
      ASSERT_TRUE(s.ok()) << i << " " << s.ToString();
      EXPECT_EQ(it->second, v);
    }
  }
  std::map<std::string, std::string> scanned;
  auto it = table->NewIterator();
  for (it->SeekToLast(); it->Valid(); it->Prev()) scanned.emplace(it->key(), it->value());
  EXPECT_TRUE(it->status().ok());
  EXPECT_EQ(model_, scanned);
  EXPECT_GT(table->blocks_read(), 0u);
  EXPECT_EQ(0u, table->cache_hits());  // mapped blocks bypass any cache
}

TEST_F(MmapTableTest, DamagedBlockIsReportedOnEveryReadUnlessUnverified) {
  std::string bad = bytes_;
  bad[10] ^= 0x20;  // inside data block 0 (a value or key byte)
  auto table = OpenMapped(bad);
  ASSERT_NE(nullptr, table);
  std::string v;
  for (int round = 0; round < 2; ++round) {  // never marked checked after a failure
    Status s = table->Get(Key(0), &v);
    EXPECT_TRUE(s.IsCorruption()) << round << " " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find("000001.ldb")) << s.ToString();
  }
  // A later block is unaffected.
  EXPECT_TRUE(table->Get(Key(598), &v).ok());
  // Without verification the damaged bytes are read as they are (LevelDB's default).
  const TableReadOptions unverified{.verify_checksums = false};
  Status s = table->Get(unverified, Key(0), [](std::string_view, std::string_view) {});
  EXPECT_TRUE(s.ok()) << s.ToString();
}

}  // namespace
}  // namespace lsm
