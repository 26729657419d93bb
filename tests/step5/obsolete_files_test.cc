// After a flush or compaction is over, the directory holds exactly the tables of the current
// Version: a compaction's inputs are deleted when it ends, not at some later background job.
// (They used to survive until the next flush or compaction, because the finished Compaction
// still held its input Version when RemoveObsoleteFiles ran, inflating the space a database
// takes on disk once writes stop.)
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "step5_lsm/filename.h"
#include "tests/step5/db_test_util.h"
#include "tests/support/compaction_styles.h"

namespace lsm {
namespace {

using testutil::DBFixture;

// Table numbers named by "lsm.sstables" (" 12:3456[...]" per file).
std::set<uint64_t> LiveTables(DBFixture& db) {
  std::set<uint64_t> out;
  std::istringstream in(db.Property("lsm.sstables"));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(" ")) out.insert(std::stoull(line.substr(1, line.find(':') - 1)));
  }
  return out;
}

std::set<uint64_t> TablesOnDisk(const std::filesystem::path& dir) {
  std::set<uint64_t> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    uint64_t number = 0;
    FileType type;
    if (ParseFileName(entry.path().filename().string(), &number, &type) &&
        type == FileType::kTableFile) {
      out.insert(number);
    }
  }
  return out;
}

class ObsoleteFiles : public ::testing::TestWithParam<CompactionStyle> {};

TEST_P(ObsoleteFiles, CompactionInputsAreDeletedWhenItEnds) {
  Options options = testutil::SmallOptions();
  options.compaction_style = GetParam();
  DBFixture db(options);
  const std::string value(100, 'v');
  for (int i = 0; i < 6000; ++i) {
    ASSERT_TRUE(db.db_->Put({}, fmt::format("key{:06}", (i * 7919) % 3000), value).ok());
  }
  db.WaitForBackgroundWork();
  ASSERT_NE(std::string::npos, db.Property("lsm.stats").find(
                                   "write amplification (table bytes / user key+value bytes)"));
  EXPECT_EQ(LiveTables(db), TablesOnDisk(db.dir_.path())) << db.Property("lsm.sstables");

  // A manual compaction of everything: when CompactRange returns, only its outputs remain.
  ASSERT_TRUE(db.db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(LiveTables(db), TablesOnDisk(db.dir_.path())) << db.Property("lsm.sstables");
}

INSTANTIATE_TEST_SUITE_P(Styles, ObsoleteFiles, ::testing::ValuesIn(testutil::kAllStyles),
                         testutil::StyleParamName);

}  // namespace
}  // namespace lsm
