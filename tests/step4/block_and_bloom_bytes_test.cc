// The bytes a BlockBuilder finishes with no entries, and the bytes of bloom filters, checked
// without reading them back: so Finish can be judged before Add, and CreateFilter before
// KeyMayMatch. (Exercise mode judges step4.finish and step4.bloom-add by these. The filter
// bytes are LevelDB's: LevelDBBloomCompat.IdenticalFilterBytes compares them with its own.)
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "common/hexdump.h"
#include "step4_sstable/block_builder.h"
#include "step4_sstable/filter_policy.h"

namespace lsm {
namespace {

// One restart point (offset 0) as a fixed32, then the count of restarts as a fixed32.
TEST(BlockBuilderFinish, EmptyBlockIsOneRestartOffsetAndTheCount) {
  BlockBuilder b(16);
  EXPECT_EQ("00 00 00 00 01 00 00 00", HexBytes(b.Finish()));
}

std::string Filter(int bits_per_key, const std::vector<std::string>& keys) {
  auto policy = NewBloomFilterPolicy(bits_per_key);
  std::vector<std::string_view> views(keys.begin(), keys.end());
  std::string out = "prefix";  // CreateFilter appends
  policy->CreateFilter(views, &out);
  EXPECT_EQ("prefix", out.substr(0, 6));
  return out.substr(6);
}

// At least 64 bits; bits_per_key bits a key otherwise; k = 10 * ln 2 = 6 in the last byte.
TEST(BloomCreate, FilterBytesAreLevelDBs) {
  EXPECT_EQ("00 00 00 00 00 00 00 00 06", HexBytes(Filter(10, {})));
  EXPECT_EQ("11 40 00 41 44 10 40 10 06", HexBytes(Filter(10, {"hello", "world"})));
  std::vector<std::string> keys;
  for (int i = 0; i < 20; ++i) keys.push_back("key" + std::to_string(i));
  EXPECT_EQ("3a 16 78 5c 04 77 c4 34 68 0a 18 e4 00 40 39 3b e1 20 25 c8 13 23 42 47 e4 06",
            HexBytes(Filter(10, keys)));  // 200 bits = 25 bytes, then k
}

}  // namespace
}  // namespace lsm
