// A damaged block in a compaction's input: the compaction reads every input block with its
// checksum verified (CompactionJob::MakeInputIterator), so it must fail with a Corruption that
// names the damaged table — never copy the damaged bytes into a new table under a fresh, valid
// checksum, never install a partial output, never delete its inputs — while the DB keeps
// answering reads from the data it still has.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/step5/db_test_util.h"

namespace lsm::testutil {
namespace {

// The table files (*.ldb) in dir, by file number ascending (older first).
std::vector<std::filesystem::path> TableFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> tables;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".ldb") tables.push_back(e.path());
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

// Flips every bit of the byte at offset in file.
void FlipByte(const std::filesystem::path& file, std::streamoff offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f) << file;
  f.seekg(offset);
  char c = 0;
  f.read(&c, 1);
  ASSERT_TRUE(f) << file << " has no byte at " << offset;
  c = static_cast<char>(~c);
  f.seekp(offset);
  f.write(&c, 1);
  ASSERT_TRUE(f) << file;
}

std::string Key(int i) { return fmt::format("key{:05d}", i); }

TEST(CompactionInputDamage, DamagedBlockFailsTheCompactionNamingTheTableAndKeepsItsInputs) {
  // Big memtable and no compression: each Flush makes exactly one table whose first data
  // block starts at offset 0 with raw key bytes; two tables trigger no compaction of their own
  // (the first flush may be placed below L0, the overlapping second one stays at L0).
  Options options = SmallOptions();
  options.write_buffer_size = 4 << 20;
  options.compression = CompressionType::kNone;
  DBFixture t(options);
  const std::string older(100, 'o'), newer(100, 'n');
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(t.db_->Put(WriteOptions{}, Key(i), older).ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  for (int i = 100; i < 300; ++i) ASSERT_TRUE(t.db_->Put(WriteOptions{}, Key(i), newer).ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  ASSERT_EQ(t.TotalTableFiles(), 2);
  ASSERT_TRUE(t.WaitForBackgroundWork());
  const std::string layout = t.Property("lsm.sstables");
  t.Close();

  const std::vector<std::filesystem::path> before = TableFiles(t.dir_.path());
  ASSERT_EQ(before.size(), 2u);
  const std::filesystem::path damaged = before[0];  // the older table: keys 0..199
  FlipByte(damaged, 10);                            // inside its first data block

  t.Reopen();
  const Status s = t.db_->CompactRange(nullptr, nullptr);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(damaged.filename().string()), std::string::npos)
      << "the error does not name " << damaged.filename() << ": " << s.ToString();

  // Nothing was installed and no input deleted: the same two tables at the same levels. (A
  // partial output may stay on disk: after a background error the DB does not know what the
  // MANIFEST holds, so it deletes nothing until the next Open, as LevelDB does.)
  EXPECT_EQ(t.Property("lsm.sstables"), layout);
  const std::vector<std::filesystem::path> after = TableFiles(t.dir_.path());
  for (const auto& f : before) {
    EXPECT_NE(std::find(after.begin(), after.end(), f), after.end()) << f << " was deleted";
  }

  // The intact newer table still answers for its keys; the damaged block is reported, not
  // skipped: a key that lives only in it is an error or its true value, never NotFound.
  EXPECT_EQ(t.Get(Key(150)), newer);
  EXPECT_EQ(t.Get(Key(299)), newer);
  const std::string first = t.Get(Key(0));
  EXPECT_TRUE(first == older || first.find("Corruption") != std::string::npos) << first;

  // The error is sticky for writes (the tree could not be compacted), and reopening — with
  // the damage still there — is allowed: the tables are only read when a key needs them.
  EXPECT_FALSE(t.db_->Put(WriteOptions{}, "after", "x").ok());
  t.Reopen();
  EXPECT_EQ(t.Get(Key(250)), newer);
  EXPECT_EQ(TableFiles(t.dir_.path()), before) << "Open did not delete the partial output";
}

}  // namespace
}  // namespace lsm::testutil
