// bench/lib/amplification.h: lsm.amplification's lines (in step5_lsm/db_properties.cc's format)
// become "section.name" -> number, whatever words without numbers stand between them.
#include "bench/lib/amplification.h"

#include <gtest/gtest.h>

namespace lsm::bench {
namespace {

constexpr const char* kProperty =
    "style lazy-leveled sorted-runs 3\n"
    "write-amp 4.61 table-bytes 5350 flush-bytes 1180 compaction-bytes 4170 user-bytes 1160\n"
    "log-amp 1.05 log-bytes 1218\n"
    "space-amp 1.20 live-table-bytes 1200 estimated-compacted-bytes 1000\n"
    "read point-hit: ops 1000 memtable 10 runs/op 2.31 filters/op 2.30 blocks/op 1.02 "
    "cache-hits/op 0.50\n"
    "read point-miss: ops 400 memtable 0 runs/op 3.00 filters/op 3.00 blocks/op 0.04 "
    "cache-hits/op 0.00\n"
    "read scan: ops 7 runs/op 4.00 tables-opened/op 5.00 blocks/op 6.00\n"
    "stall: slowdowns 3 slowdown-micros 3400 stops 1 stop-micros 900\n"
    "background: micros 12345 table-bytes 5350\n"
    "mini-lsm: write-amp 1.90 (files 19 / flushes 10) space-amp 1.20 (max-live-files 12 / "
    "flushes 10) read-amp 3 (l0-files 2 + non-empty-levels 1) live-files 9\n";

TEST(AmplificationTest, EveryFieldByItsSectionAndName) {
  const AmplificationFields f = ParseAmplificationProperty(kProperty);
  EXPECT_EQ(f.at("sorted-runs"), 3);  // after "style lazy-leveled", a word with no number
  EXPECT_EQ(f.count("style"), 0u);
  EXPECT_DOUBLE_EQ(f.at("write-amp"), 4.61);
  EXPECT_EQ(f.at("table-bytes"), 5350);
  EXPECT_EQ(f.at("user-bytes"), 1160);
  EXPECT_EQ(f.at("log-bytes"), 1218);
  EXPECT_DOUBLE_EQ(f.at("space-amp"), 1.20);
  EXPECT_EQ(f.at("point-hit.ops"), 1000);
  EXPECT_DOUBLE_EQ(f.at("point-hit.runs/op"), 2.31);
  EXPECT_DOUBLE_EQ(f.at("point-miss.filters/op"), 3.00);
  EXPECT_DOUBLE_EQ(f.at("point-hit.cache-hits/op"), 0.50);
  EXPECT_DOUBLE_EQ(f.at("scan.tables-opened/op"), 5.00);
  EXPECT_EQ(f.at("stall.slowdown-micros"), 3400);
  EXPECT_EQ(f.at("stall.stops"), 1);
  EXPECT_EQ(f.at("background.micros"), 12345);
  EXPECT_DOUBLE_EQ(f.at("mini-lsm.write-amp"), 1.90);
  EXPECT_EQ(f.at("mini-lsm.files"), 19);
  EXPECT_EQ(f.at("mini-lsm.flushes"), 10);
  EXPECT_EQ(f.at("mini-lsm.max-live-files"), 12);
  EXPECT_EQ(f.at("mini-lsm.read-amp"), 3);
  EXPECT_EQ(f.at("mini-lsm.non-empty-levels"), 1);
  EXPECT_EQ(f.at("mini-lsm.live-files"), 9);
}

TEST(AmplificationTest, EmptyOrWordyTextGivesNoFields) {
  EXPECT_TRUE(ParseAmplificationProperty("").empty());
  EXPECT_TRUE(ParseAmplificationProperty("no numbers here\nstall: none\n").empty());
}

}  // namespace
}  // namespace lsm::bench
