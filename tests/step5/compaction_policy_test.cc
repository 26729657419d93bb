// The compaction policy as pure functions of level state: fake FileMetaData, no files.
#include "step5_lsm/compaction.h"

#include <gtest/gtest.h>

#include "step5_lsm/version.h"

namespace lsm {
namespace {

constexpr uint64_t kMiB = 1048576;

class CompactionPolicyTest : public ::testing::Test {
 protected:
  // Adds file #number at level covering user keys [smallest, largest].
  void Add(int level, uint64_t number, std::string_view smallest, std::string_view largest,
           uint64_t size = kMiB, SequenceNumber seq = 100) {
    VersionEdit edit;
    edit.AddFile(level, number, size, InternalKey(smallest, seq, ValueType::kValue),
                 InternalKey(largest, seq, ValueType::kValue));
    Apply(edit);
  }
  void Apply(const VersionEdit& edit) {
    VersionBuilder builder(&icmp_, version_.get());
    builder.Apply(edit);
    auto next = std::make_shared<Version>();
    ASSERT_TRUE(builder.SaveTo(next.get()).ok());
    next->Finalize(limits_);
    version_ = std::move(next);
  }
  static std::string Numbers(const FileList& files) {
    std::string out;
    for (const auto& f : files) out += std::to_string(f->number) + " ";
    return out;
  }
  std::unique_ptr<Compaction> Pick() { return PickCompaction(icmp_, version_, &pointers_); }

  InternalKeyComparator icmp_{BytewiseComparator()};
  CompactionLimits limits_;  // LevelDB's defaults unless a test changes them
  std::shared_ptr<Version> version_ = std::make_shared<Version>();
  CompactPointers pointers_;
};

TEST_F(CompactionPolicyTest, MaxBytesForLevelGrowsTenfold) {
  EXPECT_EQ(10.0 * kMiB, limits_.MaxBytesForLevel(1));
  EXPECT_EQ(100.0 * kMiB, limits_.MaxBytesForLevel(2));
  EXPECT_EQ(1000.0 * kMiB, limits_.MaxBytesForLevel(3));
  EXPECT_EQ(20 * kMiB, limits_.MaxGrandParentOverlapBytes());
  EXPECT_EQ(50 * kMiB, limits_.ExpandedCompactionByteSizeLimit());
}

TEST_F(CompactionPolicyTest, CustomLimitsShrinkLevelBudgetsAndOutputFiles) {
  limits_ = CompactionLimits{.target_file_size = 4096, .max_bytes_for_level_base = 16384};
  EXPECT_EQ(16384.0, limits_.MaxBytesForLevel(1));
  EXPECT_EQ(163840.0, limits_.MaxBytesForLevel(2));
  EXPECT_EQ(1638400.0, limits_.MaxBytesForLevel(3));
  EXPECT_EQ(40960u, limits_.MaxGrandParentOverlapBytes());
  EXPECT_EQ(102400u, limits_.ExpandedCompactionByteSizeLimit());
  // 32 KiB in L1 is twice its 16 KiB budget: compact L1 now.
  Add(1, 10, "a", "b", 16384);
  Add(1, 11, "c", "d", 16384);
  EXPECT_DOUBLE_EQ(2.0, version_->compaction_score);
  EXPECT_EQ(1, version_->compaction_level);
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(1, c->level());
  EXPECT_EQ(4096u, c->MaxOutputFileSize());
  EXPECT_NE(std::string::npos, version_->LevelMap().find("(200% of its 16.0 KiB limit)"))
      << version_->LevelMap();
}

TEST_F(CompactionPolicyTest, ScoreCountsL0FilesAndDeeperBytes) {
  for (int i = 0; i < 3; ++i) Add(0, 10 + i, "a", "z");
  EXPECT_DOUBLE_EQ(0.75, version_->compaction_score);
  EXPECT_EQ(nullptr, Pick());  // below the trigger: nothing to do
  Add(0, 13, "a", "z");
  EXPECT_DOUBLE_EQ(1.0, version_->compaction_score);
  EXPECT_EQ(0, version_->compaction_level);
  // 25 MiB in L1 (limit 10 MiB) beats 4 L0 files.
  for (int i = 0; i < 5; ++i) {
    Add(1, 20 + i, std::string(1, 'a' + 2 * i), std::string(1, 'b' + 2 * i), 5 * kMiB);
  }
  EXPECT_DOUBLE_EQ(2.5, version_->compaction_score);
  EXPECT_EQ(1, version_->compaction_level);
}

TEST_F(CompactionPolicyTest, FlushGoesToL2WhenNothingOverlaps) {
  EXPECT_EQ(2, PickLevelForMemTableOutput(icmp_, *version_, "a", "c"));
  Add(0, 5, "b", "d");
  EXPECT_EQ(0, PickLevelForMemTableOutput(icmp_, *version_, "a", "c"));  // overlaps L0
  EXPECT_EQ(2, PickLevelForMemTableOutput(icmp_, *version_, "e", "f"));
  Add(1, 6, "e", "e");
  EXPECT_EQ(0, PickLevelForMemTableOutput(icmp_, *version_, "e", "f"));  // overlaps L1
  Add(2, 7, "g", "h");
  EXPECT_EQ(1, PickLevelForMemTableOutput(icmp_, *version_, "g", "g"));  // overlaps L2
  // Too much grandparent overlap (L2 under an L0->L1 push) keeps it in L0.
  Add(2, 8, "x", "y", 21 * kMiB);
  EXPECT_EQ(0, PickLevelForMemTableOutput(icmp_, *version_, "x", "x"));
}

TEST_F(CompactionPolicyTest, L0CompactionTakesAllOverlappingL0AndL1Files) {
  Add(0, 10, "a", "c");
  Add(0, 11, "c", "e");  // overlaps #10 at "c"
  Add(0, 12, "m", "n");
  Add(0, 13, "x", "y");
  Add(1, 20, "b", "b");
  Add(1, 21, "d", "f");
  Add(1, 22, "g", "h");
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(0, c->level());
  EXPECT_EQ("10 11 ", Numbers(c->inputs(0)));  // widened from #10 to #11 through "c"
  EXPECT_EQ("20 21 ", Numbers(c->inputs(1)));
  EXPECT_FALSE(c->IsTrivialMove());
  EXPECT_EQ("L0 #10 #11 + L1 #20 #21 -> L1", c->Describe());
  // The compact pointer moves past the chosen range and the edit records it.
  EXPECT_EQ("e", ExtractUserKey(pointers_[0]));
  ASSERT_EQ(1u, c->edit()->compact_pointers().size());
}

TEST_F(CompactionPolicyTest, RoundRobinCompactPointerWalksTheLevel) {
  // L1 is over its limit; each pick takes the file after the previous pick, then wraps.
  Add(1, 1, "a", "b", 4 * kMiB);
  Add(1, 2, "c", "d", 4 * kMiB);
  Add(1, 3, "e", "f", 4 * kMiB);
  std::string picked;
  for (int i = 0; i < 4; ++i) {
    auto c = Pick();
    ASSERT_NE(nullptr, c);
    EXPECT_EQ(1, c->level());
    picked += Numbers(c->inputs(0));
    EXPECT_TRUE(c->IsTrivialMove());  // nothing in L2: just move the file
  }
  EXPECT_EQ("1 2 3 1 ", picked);
}

TEST_F(CompactionPolicyTest, InputsExpandWhenLevelPlusOneDoesNotGrow) {
  Add(1, 1, "a", "b", 4 * kMiB);
  Add(1, 2, "c", "d", 4 * kMiB);
  Add(1, 3, "e", "f", 4 * kMiB);
  Add(2, 10, "a", "d", kMiB);  // covers #1 and #2
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ("1 2 ", Numbers(c->inputs(0)));  // #2 joined for free
  EXPECT_EQ("10 ", Numbers(c->inputs(1)));
}

TEST_F(CompactionPolicyTest, BoundaryFilesSharingAUserKeyMoveTogether) {
  // Two L1 files split versions of user key "k": "k"@200 ends #1 and "k"@100 starts #2.
  VersionEdit edit;
  edit.AddFile(1, 1, 6 * kMiB, InternalKey("a", 300, ValueType::kValue),
               InternalKey("k", 200, ValueType::kValue));
  edit.AddFile(1, 2, 6 * kMiB, InternalKey("k", 100, ValueType::kValue),
               InternalKey("z", 100, ValueType::kValue));
  Apply(edit);
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ("1 2 ", Numbers(c->inputs(0)));
}

TEST_F(CompactionPolicyTest, SeekCompactionWhenNoSizeCompaction) {
  Add(1, 1, "a", "b");
  Add(2, 2, "a", "c");
  EXPECT_EQ(nullptr, Pick());
  version_->file_to_compact = version_->files[1][0];
  version_->file_to_compact_level = 1;
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_TRUE(c->seek_triggered());
  EXPECT_EQ("1 ", Numbers(c->inputs(0)));
  EXPECT_EQ("2 ", Numbers(c->inputs(1)));
}

TEST_F(CompactionPolicyTest, AllowedSeeksScaleWithFileSize) {
  Add(1, 1, "a", "b", 1000);
  Add(1, 2, "c", "d", 16 * kMiB);
  EXPECT_EQ(100, version_->files[1][0]->allowed_seeks);
  EXPECT_EQ(1024, version_->files[1][1]->allowed_seeks);
}

TEST_F(CompactionPolicyTest, TrivialMoveRefusedWithHeavyGrandparents) {
  Add(1, 1, "a", "z", 11 * kMiB);
  Add(3, 5, "a", "z", 25 * kMiB);
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(1u, c->inputs(0).size());
  EXPECT_TRUE(c->inputs(1).empty());
  EXPECT_FALSE(c->IsTrivialMove());
}

TEST_F(CompactionPolicyTest, BaseLevelAndOutputSplitting) {
  Add(1, 1, "a", "z", 12 * kMiB);
  Add(3, 2, "c", "d");
  Add(4, 3, "m", "n");
  for (int i = 0; i < 3; ++i) {
    Add(3, 10 + i, std::string(1, 'p' + i), std::string(1, 'p' + i), 15 * kMiB);
  }
  auto c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(1, c->level());
  // Keys are asked in ascending order, as a compaction walks them.
  EXPECT_TRUE(c->IsBaseLevelForKey("a"));
  EXPECT_FALSE(c->IsBaseLevelForKey("c"));  // in L3 #2
  EXPECT_TRUE(c->IsBaseLevelForKey("e"));
  EXPECT_FALSE(c->IsBaseLevelForKey("m"));  // in L4 #3
  EXPECT_TRUE(c->IsBaseLevelForKey("o"));

  // Grandparents are L3 files #2, #10, #11, #12. An output stops once it has passed more than
  // 20 MiB of them.
  auto key = [](std::string_view k) {
    std::string s;
    AppendInternalKey(&s, k, 1, ValueType::kValue);
    return s;
  };
  EXPECT_FALSE(c->ShouldStopBefore(key("a")));
  EXPECT_FALSE(c->ShouldStopBefore(key("o")));   // passed #2 (1 MiB)
  EXPECT_FALSE(c->ShouldStopBefore(key("pa")));  // passed #10: 16 MiB
  EXPECT_TRUE(c->ShouldStopBefore(key("qa")));   // passed #11: 31 MiB > 20: new file
  EXPECT_FALSE(c->ShouldStopBefore(key("s")));   // the count restarted: 15 MiB
}

TEST_F(CompactionPolicyTest, RangeCompactionLimitsInputsAboveL0) {
  for (int i = 0; i < 5; ++i) {
    Add(1, 1 + i, std::string(1, 'a' + 2 * i), std::string(1, 'b' + 2 * i), kMiB);
  }
  auto c = PickRangeCompaction(icmp_, version_, 1, nullptr, nullptr, &pointers_);
  ASSERT_NE(nullptr, c);
  EXPECT_EQ("1 2 ", Numbers(c->inputs(0)));  // stops once 2 MiB is reached
  InternalKey begin("x", kMaxSequenceNumber, kValueTypeForSeek);
  EXPECT_EQ(nullptr, PickRangeCompaction(icmp_, version_, 1, &begin, nullptr, &pointers_));
}

TEST_F(CompactionPolicyTest, BuilderRejectsOverlapAboveL0AndAppliesDeletes) {
  Add(1, 1, "a", "c");
  VersionEdit bad;
  bad.AddFile(1, 2, 10, InternalKey("b", 1, ValueType::kValue),
              InternalKey("d", 1, ValueType::kValue));
  VersionBuilder builder(&icmp_, version_.get());
  builder.Apply(bad);
  Version v;
  EXPECT_TRUE(builder.SaveTo(&v).IsCorruption());

  VersionEdit move;
  move.RemoveFile(1, 1);
  move.AddFile(2, 1, kMiB, InternalKey("a", 1, ValueType::kValue),
               InternalKey("c", 1, ValueType::kValue));
  Apply(move);
  EXPECT_EQ("files[ 0 0 1 0 0 0 0 ]", version_->LevelSummary());
}

TEST_F(CompactionPolicyTest, OverlapQueries) {
  Add(1, 1, "b", "d");
  Add(1, 2, "f", "h");
  auto overlaps = [&](std::string_view a, std::string_view b) {
    return OverlapInLevel(icmp_, *version_, 1, a, b);
  };
  EXPECT_TRUE(overlaps("a", "b"));
  EXPECT_TRUE(overlaps("c", "c"));
  EXPECT_FALSE(overlaps("e", "e"));
  EXPECT_FALSE(overlaps("a", "a"));
  EXPECT_FALSE(overlaps("i", "z"));
  EXPECT_TRUE(overlaps("a", "z"));
  InternalKey target("e", 1, ValueType::kValue);
  EXPECT_EQ(1u, FindFile(icmp_, version_->files[1], target.Encode()));
}

TEST_F(CompactionPolicyTest, LevelMapListsFilesAndRanges) {
  Add(0, 7, "apple", "melon", 2048);
  Add(1, 3, "a", "k", 5 * kMiB);
  EXPECT_EQ(
      "  L0: 1 file, 2.0 KiB\n"
      "      #7      [apple .. melon] 2.0 KiB\n"
      "  L1: 1 file, 5.0 MiB (50% of its 10.0 MiB limit)\n"
      "      #3      [a .. k] 5.0 MiB\n",
      version_->LevelMap());
}

}  // namespace
}  // namespace lsm
