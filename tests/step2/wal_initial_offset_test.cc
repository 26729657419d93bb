// WalReader started at an initial offset on a block's last 7 bytes: a zero-length FIRST header
// fits exactly there, so that offset still belongs to the current block (killed mutant
// step2.initial_offset_at_trailer_edge in tests/mutation/catalogue.json). Only offsets past it
// (inside a trailer too short for a header) mean "the next block".
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "step2_wal/log_format.h"
#include "step2_wal/wal_writer.h"
#include "tests/step2/log_test_util.h"

namespace lsm {
namespace {

using log::kBlockSize;
using log::kHeaderSize;
using testutil::ReadAll;

// Three records; the second starts with a zero-length FIRST at kBlockSize - kHeaderSize.
std::string LogWithZeroLengthFirstAtTheBlockEdge(std::vector<std::string>* records) {
  testutil::StringDest dest;
  WalWriter writer(&dest);
  *records = {std::string(kBlockSize - 2 * kHeaderSize, 'a'), "bar", "baz"};
  for (const auto& r : *records) EXPECT_TRUE(writer.AddRecord(r).ok());
  return dest.contents;
}

TEST(WalInitialOffset, OffsetOfAZeroLengthFirstAtTheBlockEdgeFindsItsRecord) {
  std::vector<std::string> records;
  const std::string bytes = LogWithZeroLengthFirstAtTheBlockEdge(&records);
  const auto all = ReadAll(bytes);
  ASSERT_EQ(records, all.records);
  ASSERT_EQ(kBlockSize - kHeaderSize, all.offsets[1]);  // the FIRST is the block's last 7 bytes

  const auto from = ReadAll(bytes, kBlockSize - kHeaderSize);
  EXPECT_EQ((std::vector<std::string>{"bar", "baz"}), from.records);
  EXPECT_EQ(0u, from.dropped);
  ASSERT_EQ(2u, from.offsets.size());
  EXPECT_EQ(kBlockSize - kHeaderSize, from.offsets[0]);
}

TEST(WalInitialOffset, OffsetJustPastTheBlockEdgeHeaderSkipsToTheNextRecord) {
  std::vector<std::string> records;
  const std::string bytes = LogWithZeroLengthFirstAtTheBlockEdge(&records);
  // One byte into the FIRST's header: that record began before the offset.
  const auto from = ReadAll(bytes, kBlockSize - kHeaderSize + 1);
  EXPECT_EQ((std::vector<std::string>{"baz"}), from.records);
  EXPECT_EQ(0u, from.dropped);
}

}  // namespace
}  // namespace lsm
