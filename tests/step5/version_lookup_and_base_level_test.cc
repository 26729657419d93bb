// Three pieces of the LSM tree on their own, over a hand-built Version, with no DB running:
// LookupInVersion over real tables (which file answers, what a lookup costs), the compaction
// score, and Compaction::IsBaseLevelForKey. No compaction runs here, so a bug in the code
// that drops entries cannot fail these. (Exercise mode judges step5.get, step5.score and
// step5.base-level by these before the tasks after them are written.)
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "step5_lsm/build_table.h"
#include "step5_lsm/compaction.h"
#include "step5_lsm/table_cache.h"
#include "step5_lsm/version.h"
#include "step5_lsm/version_set.h"
#include "tests/step3/key_test_util.h"
#include "tests/step5/vector_iterator.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

using testutil::IKey;

struct Entry {
  std::string user_key;
  SequenceNumber seq;
  ValueType type;
  std::string value;
};

// Tables written with BuildTable into a temporary directory, placed by hand into a Version.
class LookupInVersionTest : public ::testing::Test {
 protected:
  // Writes table #number from entries (sorted here) and adds it to `level`.
  void AddTable(int level, uint64_t number, std::vector<Entry> entries) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& e : entries) rows.emplace_back(IKey(e.user_key, e.seq, e.type), e.value);
    std::sort(rows.begin(), rows.end(), [this](const auto& a, const auto& b) {
      return icmp_.Compare(a.first, b.first) < 0;
    });
    testutil::VectorIterator it(&icmp_, rows);
    auto meta = std::make_shared<FileMetaData>();
    meta->number = number;
    ASSERT_TRUE(BuildTable(FileSystem::Default(), dir_.path(), options_, &it, meta.get()).ok());
    ASSERT_GT(meta->file_size, 0u);
    version_.files[level].push_back(meta);
  }

  // "value", "NOT_FOUND" or the error; the lookup's stats in stats_.
  std::string Get(std::string_view user_key, SequenceNumber snapshot = kMaxSequenceNumber) {
    stats_ = GetStats();
    std::string value;
    Status s = LookupInVersion(version_, icmp_, &cache_, TableReadOptions(),
                               LookupKey(user_key, snapshot), &value, &stats_);
    if (s.IsNotFound()) return "NOT_FOUND";
    return s.ok() ? value : s.ToString();
  }

  static TableOptions InternalKeyTables(const InternalKeyComparator* icmp) {
    TableOptions options;
    options.comparator = icmp;
    return options;
  }

  InternalKeyComparator icmp_{BytewiseComparator()};
  testutil::TempDir dir_;
  TableOptions options_ = InternalKeyTables(&icmp_);
  TableCache cache_{dir_.path(), FileSystem::Default(), options_, 100};
  Version version_;
  GetStats stats_;
};

// L0 files overlap: the newest (largest number) must answer, whatever the list's order.
TEST_F(LookupInVersionTest, TheNewestLevel0FileAnswersFirst) {
  AddTable(0, 1, {{"k", 1, ValueType::kValue, "oldest"}, {"z", 1, ValueType::kValue, "z1"}});
  AddTable(0, 3, {{"k", 9, ValueType::kValue, "newest"}});
  AddTable(0, 2, {{"a", 5, ValueType::kValue, "a5"}, {"k", 5, ValueType::kValue, "middle"}});
  EXPECT_EQ("newest", Get("k"));
  EXPECT_EQ(1, stats_.tables_searched);
  EXPECT_EQ("middle", Get("k", 8));  // a snapshot before #3's write sees #2's
  EXPECT_EQ("oldest", Get("k", 4));
  EXPECT_EQ("z1", Get("z"));
  EXPECT_EQ("a5", Get("a"));
}

// A tombstone answers NotFound and ends the search: the older value below must not come back.
TEST_F(LookupInVersionTest, ATombstoneHidesTheOlderValuesBelowIt) {
  AddTable(0, 7, {{"k", 20, ValueType::kDeletion, ""}});
  AddTable(1, 5, {{"k", 10, ValueType::kValue, "L1"}});
  AddTable(2, 4, {{"k", 2, ValueType::kValue, "L2"}, {"m", 2, ValueType::kValue, "m2"}});
  EXPECT_EQ("NOT_FOUND", Get("k"));
  EXPECT_EQ(1, stats_.tables_searched);
  EXPECT_EQ("L1", Get("k", 19));
  EXPECT_EQ("m2", Get("m"));
}

// Below L0 the files of a level are disjoint: at most one (found by binary search) can hold
// the key, and a key between files or before the first reads no file of that level.
TEST_F(LookupInVersionTest, AtMostOneFileIsReadPerDeeperLevel) {
  AddTable(1, 10, {{"a", 1, ValueType::kValue, "a"}, {"c", 1, ValueType::kValue, "c"}});
  AddTable(1, 11, {{"e", 1, ValueType::kValue, "e"}, {"g", 1, ValueType::kValue, "g"}});
  AddTable(1, 12, {{"p", 1, ValueType::kValue, "p"}, {"r", 1, ValueType::kValue, "r"}});
  EXPECT_EQ("g", Get("g"));
  EXPECT_EQ(1, stats_.tables_searched);
  EXPECT_EQ("NOT_FOUND", Get("d"));  // between #10 and #11
  EXPECT_EQ(0, stats_.tables_searched);
  EXPECT_EQ("NOT_FOUND", Get("f"));  // inside #11's range, not in it
  EXPECT_EQ(1, stats_.tables_searched);
  EXPECT_EQ("NOT_FOUND", Get("s"));  // after the last file
  EXPECT_EQ(0, stats_.tables_searched);
  EXPECT_EQ("p", Get("p"));
}

// The first file read that did not answer is charged a seek once a second file is needed.
TEST_F(LookupInVersionTest, SeekFileIsTheFirstFileThatDidNotAnswer) {
  AddTable(0, 20, {{"a", 30, ValueType::kValue, "a"}, {"z", 30, ValueType::kValue, "z"}});
  AddTable(1, 21, {{"m", 3, ValueType::kValue, "m"}, {"p", 3, ValueType::kValue, "p"}});
  AddTable(2, 22, {{"n", 2, ValueType::kValue, "n"}});
  EXPECT_EQ("a", Get("a"));
  EXPECT_EQ(nullptr, stats_.seek_file);  // one file answered
  EXPECT_EQ("m", Get("m"));
  EXPECT_EQ(2, stats_.tables_searched);
  ASSERT_NE(nullptr, stats_.seek_file);
  EXPECT_EQ(20u, stats_.seek_file->number);
  EXPECT_EQ(0, stats_.seek_file_level);
  EXPECT_EQ("NOT_FOUND", Get("o"));  // #20 and #21 read, neither has it
  EXPECT_EQ(2, stats_.tables_searched);
  ASSERT_NE(nullptr, stats_.seek_file);
  EXPECT_EQ(20u, stats_.seek_file->number);
}

// Files at levels by hand (no tables); the Version is finalized like the VersionSet does.
class VersionByHand : public ::testing::Test {
 protected:
  void Add(int level, uint64_t number, std::string_view smallest, std::string_view largest,
           uint64_t size = 1 << 20) {
    auto f = std::make_shared<FileMetaData>();
    f->number = number;
    f->file_size = size;
    f->smallest = InternalKey(smallest, 100, ValueType::kValue);
    f->largest = InternalKey(largest, 100, ValueType::kValue);
    version_->files[level].push_back(f);
  }
  void Finalize() {
    version_->compaction_score = -1;
    version_->compaction_level = -1;
    version_->Finalize(version_->limits);
  }

  InternalKeyComparator icmp_{BytewiseComparator()};
  std::shared_ptr<Version> version_ = std::make_shared<Version>();
};

// The last level has nowhere to compact to: however big it is, it is never the level picked.
TEST_F(VersionByHand, ScoreSkipsTheLastLevelAndKeepsTheHighest) {
  Add(kNumLevels - 1, 1, "a", "z", uint64_t{1} << 40);
  Add(0, 2, "a", "z");
  Finalize();
  EXPECT_DOUBLE_EQ(0.25, version_->compaction_score);  // 1 L0 file of 4
  EXPECT_EQ(0, version_->compaction_level);
  Add(3, 3, "a", "b", 300u << 20);  // 300 MiB of L3's 1000 MiB
  Add(2, 4, "a", "b", 50u << 20);   // 50 MiB of L2's 100 MiB
  Finalize();
  EXPECT_DOUBLE_EQ(0.5, version_->compaction_score);
  EXPECT_EQ(2, version_->compaction_level);
}

// An L0 compaction whose inputs leave older L0 files out: a key one of them may hold is not
// at its base level, nor is a key a deeper level holds.
TEST_F(VersionByHand, OlderLevel0FilesOutsideTheInputsAndDeeperLevelsHoldKeys) {
  Add(0, 1, "a", "c");
  Add(0, 2, "b", "d");
  Add(0, 3, "a", "z");
  Add(4, 9, "m", "n");
  LevelInputs inputs;
  inputs[0] = {version_->files[0][2]};  // the newest L0 file only
  Compaction c(&icmp_, version_, inputs, 0, "test");
  EXPECT_FALSE(c.IsBaseLevelForKey("a"));  // #1
  EXPECT_FALSE(c.IsBaseLevelForKey("d"));  // #2
  EXPECT_TRUE(c.IsBaseLevelForKey("e"));
  EXPECT_FALSE(c.IsBaseLevelForKey("m"));  // L4 #9
  EXPECT_TRUE(c.IsBaseLevelForKey("o"));
}

// Keys come in ascending order, so each deeper level's position only moves forward: files
// passed are never looked at again, files not reached yet still count.
TEST_F(VersionByHand, BaseLevelWalksEachDeeperLevelInKeyOrder) {
  Add(1, 1, "a", "z");
  Add(3, 2, "b", "c");
  Add(3, 3, "e", "f");
  Add(3, 4, "h", "i");
  Add(5, 5, "k", "k");
  Compaction c(&icmp_, version_, 1);  // output level 2: levels 3.. are below it
  EXPECT_TRUE(c.IsBaseLevelForKey("a"));
  EXPECT_FALSE(c.IsBaseLevelForKey("b"));
  EXPECT_FALSE(c.IsBaseLevelForKey("c"));
  EXPECT_TRUE(c.IsBaseLevelForKey("d"));
  EXPECT_FALSE(c.IsBaseLevelForKey("f"));
  EXPECT_TRUE(c.IsBaseLevelForKey("g"));
  EXPECT_FALSE(c.IsBaseLevelForKey("h"));
  EXPECT_TRUE(c.IsBaseLevelForKey("j"));
  EXPECT_FALSE(c.IsBaseLevelForKey("k"));  // L5
  EXPECT_TRUE(c.IsBaseLevelForKey("l"));
}

}  // namespace
}  // namespace lsm
