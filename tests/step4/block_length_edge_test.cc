// Block entry headers whose varint lengths start with the byte 0x80: the one-byte fast path of
// the entry decoder must not take them (killed mutant step4.block_entry_fast_path_128 in
// tests/mutation/catalogue.json). A length of 128 is the varint 80 01, 16384 is 80 80 01; with
// shared = 0 the three header bytes can OR to exactly 0x80.
#include "step4_sstable/block.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "step4_sstable/block_builder.h"

namespace lsm {
namespace {

std::vector<std::pair<std::string, std::string>> RoundTrip(
    const std::vector<std::pair<std::string, std::string>>& entries) {
  BlockBuilder builder(16, BytewiseComparator());
  for (const auto& [k, v] : entries) builder.Add(k, v);
  Block block{std::string(builder.Finish())};
  std::vector<std::pair<std::string, std::string>> out;
  auto it = block.NewIterator(BytewiseComparator());
  for (it->SeekToFirst(); it->Valid(); it->Next()) out.emplace_back(it->key(), it->value());
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return out;
}

TEST(BlockLengthEdge, EmptyKeyWithA128ByteValue) {
  // Header 00 00 80 01: shared 0, unshared 0, value length 128.
  const std::vector<std::pair<std::string, std::string>> entries = {
      {"", std::string(128, 'v')}, {"b", "after"}};
  EXPECT_EQ(entries, RoundTrip(entries));
}

TEST(BlockLengthEdge, SixteenKibKeyWith128ByteValue) {
  // Header 00 80 80 01 80 01: shared 0, unshared 16384, value length 128.
  const std::vector<std::pair<std::string, std::string>> entries = {
      {std::string(16384, 'k'), std::string(128, 'v')}, {"z", "after"}};
  EXPECT_EQ(entries, RoundTrip(entries));
}

TEST(BlockLengthEdge, ValueLengthsAroundEveryVarintBoundary) {
  std::vector<std::pair<std::string, std::string>> entries;
  const size_t lengths[] = {0, 1, 127, 128, 129, 255, 256, 16383, 16384, 16385};
  char name = 'a';
  for (size_t n : lengths) entries.emplace_back(std::string(1, name++), std::string(n, 'x'));
  EXPECT_EQ(entries, RoundTrip(entries));
  // The same values under the empty key's neighbours: shared 0 and unshared 0 or 1.
  for (size_t n : lengths) {
    const std::vector<std::pair<std::string, std::string>> one = {{"", std::string(n, 'y')}};
    EXPECT_EQ(one, RoundTrip(one)) << "value length " << n;
  }
}

}  // namespace
}  // namespace lsm
