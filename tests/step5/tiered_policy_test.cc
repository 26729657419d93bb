// The tiered (universal) and lazy-leveled policies as pure functions of level state: fake
// FileMetaData, no files. Sizes are in KiB-sized units so the ratios are easy to read.
#include "step5_lsm/tiered_policy.h"

#include <gtest/gtest.h>

#include "step5_lsm/lazy_leveled_policy.h"
#include "step5_lsm/version.h"

namespace lsm {
namespace {

constexpr uint64_t kUnit = 1024;

class RunPolicyTest : public ::testing::Test {
 protected:
  // Adds file #number at level covering [smallest, largest], `units` KiB.
  void Add(int level, uint64_t number, uint64_t units, std::string_view smallest = "a",
           std::string_view largest = "z") {
    VersionEdit edit;
    edit.AddFile(level, number, units * kUnit, InternalKey(smallest, number, ValueType::kValue),
                 InternalKey(largest, number, ValueType::kValue));
    VersionBuilder builder(&icmp_, version_.get());
    builder.Apply(edit);
    auto next = std::make_shared<Version>();
    ASSERT_TRUE(builder.SaveTo(next.get()).ok());
    next->Finalize(CompactionLimits{});
    version_ = std::move(next);
  }
  // "L0 #9 #8 + L3 #2 -> L5 (size ratio)" or "none".
  static std::string Describe(const std::optional<CompactionPlan>& plan) {
    if (!plan) return "none";
    std::string out;
    for (int level = 0; level < kNumLevels; ++level) {
      if (plan->inputs[level].empty()) continue;
      if (!out.empty()) out += " +";
      out += (out.empty() ? "L" : " L") + std::to_string(level);
      for (const auto& f : plan->inputs[level]) out += " #" + std::to_string(f->number);
    }
    return out + " -> L" + std::to_string(plan->output_level) + " (" + plan->reason + ")";
  }
  std::string Tiered() { return Describe(PickTieredCompaction(*version_, universal_)); }
  std::string Lazy(int t = 10) {
    return Describe(PickLazyLeveledCompaction(*version_, universal_, t));
  }

  InternalKeyComparator icmp_{BytewiseComparator()};
  std::shared_ptr<Version> version_ = std::make_shared<Version>();
  UniversalCompactionOptions universal_;  // RocksDB's defaults
};

TEST_F(RunPolicyTest, DefaultsAreRocksDBs) {
  EXPECT_EQ(1, universal_.size_ratio);
  EXPECT_EQ(2, universal_.min_merge_width);
  EXPECT_EQ(std::numeric_limits<int>::max(), universal_.max_merge_width);
  EXPECT_EQ(200, universal_.max_size_amplification_percent);
  EXPECT_EQ(4, universal_.run_compaction_trigger);
  EXPECT_EQ(CompactionStyle::kLeveled, Options{}.compaction_style);
  EXPECT_EQ(10, Options{}.lazy_leveling_size_ratio);
}

TEST_F(RunPolicyTest, StyleNamesRoundTripAndUnknownNamesListTheValidOnes) {
  for (auto style : {CompactionStyle::kLeveled, CompactionStyle::kTiered,
                     CompactionStyle::kLazyLeveled}) {
    CompactionStyle parsed = CompactionStyle::kLeveled;
    ASSERT_TRUE(ParseCompactionStyle(CompactionStyleName(style), &parsed).ok());
    EXPECT_EQ(style, parsed);
  }
  EXPECT_EQ("lazy-leveled", CompactionStyleName(CompactionStyle::kLazyLeveled));
  CompactionStyle parsed;
  Status s = ParseCompactionStyle("universal", &parsed);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(std::string::npos, s.ToString().find("'universal'")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("leveled, tiered, lazy-leveled"))
      << s.ToString();
}

TEST_F(RunPolicyTest, OptionsAreValidated) {
  Options o;
  o.universal.min_merge_width = 1;
  EXPECT_TRUE(ValidateOptions(o).IsInvalidArgument());
  o = Options{};
  o.universal.run_compaction_trigger = 12;  // would let writers stop with nothing to compact
  EXPECT_TRUE(ValidateOptions(o).IsInvalidArgument());
  o = Options{};
  o.compaction_style = CompactionStyle::kTiered;
  EXPECT_TRUE(ValidateOptions(o).ok());
}

TEST_F(RunPolicyTest, SortedRunsAreNewestFirst) {
  Add(0, 7, 1);
  Add(0, 9, 1);
  Add(3, 2, 5, "a", "f");
  Add(3, 3, 5, "g", "z");
  Add(6, 1, 100);
  const auto runs = SortedRuns(*version_);
  ASSERT_EQ(4u, runs.size());
  EXPECT_EQ(9u, runs[0].files[0]->number);
  EXPECT_EQ(7u, runs[1].files[0]->number);
  EXPECT_EQ(3, runs[2].level);
  EXPECT_EQ(2u, runs[2].files.size());
  EXPECT_EQ(10 * kUnit, runs[2].bytes);
  EXPECT_EQ(6, runs[3].level);
}

TEST_F(RunPolicyTest, NothingBelowTheRunTrigger) {
  Add(0, 1, 1);
  Add(0, 2, 1);
  Add(0, 3, 1);
  EXPECT_EQ("none", Tiered());
  EXPECT_EQ("none", Lazy());
}

TEST_F(RunPolicyTest, FourEqualFlushesAreMergedForSpaceAmplification) {
  // 3 units above a 1-unit oldest run: 300% >= 200%, so everything goes to the last level.
  for (uint64_t n = 1; n <= 4; ++n) Add(0, n, 1);
  EXPECT_EQ("L0 #4 #3 #2 #1 -> L6 (space amplification)", Tiered());
}

TEST_F(RunPolicyTest, SizeRatioMergesSimilarNewestRunsAboveTheNextOlderRun) {
  Add(6, 1, 100);
  Add(4, 2, 30);
  Add(0, 10, 1);
  Add(0, 11, 1);
  // SA = 32% < 200%. #11 (1) absorbs #10 (1 <= 1.01); 2 x 1.01 < 30 stops the window. The next
  // older run is L4, so the output goes to L3.
  EXPECT_EQ("L0 #11 #10 -> L3 (size ratio)", Tiered());
}

TEST_F(RunPolicyTest, SizeRatioOutputStaysInL0WhenAnOlderL0FileFollows) {
  Add(6, 1, 100);
  Add(0, 5, 40);  // big old L0 file
  Add(0, 10, 1);
  Add(0, 11, 1);
  // The next older run is L0 #5: the output must be an L0 file, fine since #11 is the newest.
  EXPECT_EQ("L0 #11 #10 -> L0 (size ratio)", Tiered());
}

TEST_F(RunPolicyTest, AWindowNeedingL0WithoutTheNewestFileIsSkipped) {
  Add(0, 4, 100);
  Add(0, 5, 10);
  Add(0, 6, 10);
  Add(0, 7, 1);
  // From #7: 1.01 < 10, no window. From #6: #6 + #5 (10 <= 10.1), then 20.2 < 100. That
  // window sits above L0 #4 and lacks the newest L0 file #7: an L0 output numbered after #7
  // would hide #7's newer data. Skipped; with 4 runs nothing else qualifies.
  EXPECT_EQ("none", Tiered());
  Add(0, 8, 1);  // now #8 + #7 is a window that includes the newest file
  EXPECT_EQ("L0 #8 #7 -> L0 (size ratio)", Tiered());
}

TEST_F(RunPolicyTest, RunCountMergesTheNewestRunsIntoALevel) {
  Add(6, 1, 1000);
  Add(5, 2, 300);
  Add(3, 3, 90);
  Add(2, 4, 30);
  Add(0, 10, 2);
  // Sizes 2, 30, 90, 300, 1000: no ratio window; 5 runs > 4 merges the newest 2 (L0 #10 and
  // L2) into L2, the level just above the next older run (L3).
  EXPECT_EQ("L0 #10 + L2 #4 -> L2 (run count)", Tiered());
}

TEST_F(RunPolicyTest, MaxMergeWidthCapsTheWindow) {
  Add(6, 1, 1000);
  for (uint64_t n = 10; n < 15; ++n) Add(0, n, 1);
  universal_.max_merge_width = 3;
  EXPECT_EQ("L0 #14 #13 #12 -> L0 (size ratio)", Tiered());
}

TEST_F(RunPolicyTest, LazyLevelingKeepsTheLargestLevelTenTimesTheRest) {
  Add(6, 1, 100);
  Add(0, 10, 4);
  Add(0, 11, 4);
  Add(0, 12, 4);
  // 12 units above 100: tiered (12% < 200%) merges the three similar L0 files, while lazy
  // leveling (12 x 10 >= 100) merges everything into the largest level.
  EXPECT_EQ("L0 #12 #11 #10 -> L5 (size ratio)", Tiered());
  EXPECT_EQ("L0 #12 #11 #10 + L6 #1 -> L6 (lazy leveling)", Lazy());
}

TEST_F(RunPolicyTest, LazyLevelingTiersAboveTheLargestLevelAndNeverMergesIntoItByRatio) {
  Add(6, 1, 1000);
  Add(0, 10, 2);
  Add(0, 11, 2);
  Add(0, 12, 2);
  EXPECT_EQ("L0 #12 #11 #10 -> L5 (size ratio)", Lazy());
  // 5 runs of very different sizes: the run-count merge takes the newest two, not L6.
  version_ = std::make_shared<Version>();
  Add(6, 1, 10000);
  Add(5, 2, 300);
  Add(3, 3, 90);
  Add(2, 4, 30);
  Add(0, 10, 2);
  EXPECT_EQ("L0 #10 + L2 #4 -> L2 (run count)", Lazy());
}

TEST_F(RunPolicyTest, CompactionFromAPlanNamesItsLevels) {
  Add(6, 1, 100);
  Add(0, 10, 40);
  Add(0, 11, 1);
  Add(0, 12, 1);
  auto plan = PickTieredCompaction(*version_, universal_);
  ASSERT_TRUE(plan.has_value());
  Compaction c(&icmp_, version_, plan->inputs, plan->output_level, plan->reason);
  EXPECT_EQ(0, c.level());
  EXPECT_EQ(0, c.output_level());
  EXPECT_TRUE(c.single_output_file());
  EXPECT_EQ(2, c.NumInputFiles());
  EXPECT_FALSE(c.IsTrivialMove());
  EXPECT_EQ("L0 #12 #11 -> L0", c.Describe());
  // L0 #10 is older than the output and covers a..z: no tombstone may be dropped.
  EXPECT_FALSE(c.IsBaseLevelForKey("m"));
  VersionEdit edit;
  c.AddInputDeletions(&edit);
  EXPECT_EQ(2u, edit.deleted_files().size());
}

TEST_F(RunPolicyTest, AFullMergeIsTheBaseForEveryKey) {
  for (uint64_t n = 1; n <= 4; ++n) Add(0, n, 1);
  auto plan = PickTieredCompaction(*version_, universal_);
  ASSERT_TRUE(plan.has_value());
  Compaction c(&icmp_, version_, plan->inputs, plan->output_level, plan->reason);
  EXPECT_EQ(6, c.output_level());
  EXPECT_FALSE(c.single_output_file());
  EXPECT_TRUE(c.IsBaseLevelForKey("a"));
  EXPECT_TRUE(c.IsBaseLevelForKey("z"));
}

}  // namespace
}  // namespace lsm
