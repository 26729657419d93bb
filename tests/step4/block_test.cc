// Block and BlockBuilder: golden bytes, round trips, seeks both ways, and corrupt blocks.
#include "step4_sstable/block.h"

#include <map>

#include <gtest/gtest.h>

#include "common/coding.h"
#include "common/hexdump.h"
#include "common/random.h"
#include "step4_sstable/block_builder.h"

namespace lsm {
namespace {

std::string BuildBlock(const std::map<std::string, std::string>& kv, int restart_interval = 16) {
  BlockBuilder b(restart_interval, BytewiseComparator());
  for (const auto& [k, v] : kv) b.Add(k, v);
  return std::string(b.Finish());
}

std::map<std::string, std::string> ReadAll(const Block& block) {
  std::map<std::string, std::string> out;
  auto it = block.NewIterator(BytewiseComparator());
  for (it->SeekToFirst(); it->Valid(); it->Next()) out.emplace(it->key(), it->value());
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return out;
}

TEST(BlockBuilder, EmptyBlockIsEightBytes) {
  BlockBuilder b(16);
  EXPECT_EQ("00 00 00 00 01 00 00 00", HexBytes(b.Finish()));
  Block block(BuildBlock({}));
  auto it = block.NewIterator(BytewiseComparator());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST(BlockBuilder, SmallBlockGoldenBytes) {
  BlockBuilder b(16);
  b.Add("apple", "red");
  b.Add("apricot", "orange");  // shares "ap"
  EXPECT_EQ(
      "00 05 03 61 70 70 6c 65 72 65 64 "            // shared 0, unshared 5, value 3, apple red
      "02 05 06 72 69 63 6f 74 6f 72 61 6e 67 65 "   // shared 2, "ricot", "orange"
      "00 00 00 00 01 00 00 00",                     // restarts [0], count 1
      HexBytes(b.Finish()));
}

TEST(BlockBuilder, RestartEveryIntervalStoresFullKey) {
  BlockBuilder b(2);
  b.Add("k1", "");
  b.Add("k2", "");
  b.Add("k3", "");  // a restart: shared = 0
  std::string_view block = b.Finish();
  EXPECT_EQ(
      "00 02 00 6b 31 "
      "01 01 00 32 "
      "00 02 00 6b 33 "
      "00 00 00 00 09 00 00 00 02 00 00 00",
      HexBytes(block));
}

TEST(BlockBuilder, SizeEstimateMatchesFinish) {
  BlockBuilder b(16);
  for (int i = 0; i < 100; ++i) b.Add(MakeKey(i), "value");
  const size_t estimate = b.CurrentSizeEstimate();
  EXPECT_EQ(estimate, b.Finish().size());
  b.Reset();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(8u, b.CurrentSizeEstimate());
}

TEST(Block, RoundTripsAgainstStdMap) {
  for (int interval : {1, 2, 16}) {
    for (int n : {1, 15, 16, 17, 100, 1000}) {
      SCOPED_TRACE(testing::Message() << "interval=" << interval << " n=" << n);
      Random rnd(n);
      std::map<std::string, std::string> model;
      while (static_cast<int>(model.size()) < n) {
        model[rnd.Bytes(rnd.Uniform(12))] = rnd.Bytes(rnd.Skewed(6));
      }
      Block block(BuildBlock(model, interval));
      EXPECT_EQ(model, ReadAll(block));
    }
  }
}

class BlockSeekTest : public testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 100; ++i) model_[fmt::format("key{:03d}", i * 2)] = fmt::format("v{}", i);
    block_ = std::make_unique<Block>(BuildBlock(model_));
    it_ = block_->NewIterator(BytewiseComparator());
  }
  std::map<std::string, std::string> model_;
  std::unique_ptr<Block> block_;
  std::unique_ptr<Iterator> it_;
};

TEST_F(BlockSeekTest, SeekToEveryKeyAndBetween) {
  for (const auto& [k, v] : model_) {
    it_->Seek(k);
    ASSERT_TRUE(it_->Valid()) << k;
    EXPECT_EQ(k, it_->key());
    EXPECT_EQ(v, it_->value());
    // Between: k + "\0" lands on the next key.
    it_->Seek(k + std::string(1, '\0'));
    auto next = model_.upper_bound(k);
    if (next == model_.end()) {
      EXPECT_FALSE(it_->Valid());
    } else {
      ASSERT_TRUE(it_->Valid());
      EXPECT_EQ(next->first, it_->key());
    }
  }
}

TEST_F(BlockSeekTest, SeekBeforeFirstAndAfterLast) {
  it_->Seek("");
  ASSERT_TRUE(it_->Valid());
  EXPECT_EQ("key000", it_->key());
  it_->Seek("zzz");
  EXPECT_FALSE(it_->Valid());
  EXPECT_TRUE(it_->status().ok());
}

TEST_F(BlockSeekTest, WalksBackwards) {
  auto expect = model_.rbegin();
  for (it_->SeekToLast(); it_->Valid(); it_->Prev(), ++expect) {
    ASSERT_NE(expect, model_.rend());
    EXPECT_EQ(expect->first, it_->key());
    EXPECT_EQ(expect->second, it_->value());
  }
  EXPECT_EQ(expect, model_.rend());
}

TEST_F(BlockSeekTest, SeekThenMixNextAndPrev) {
  it_->Seek("key051");
  ASSERT_TRUE(it_->Valid());
  EXPECT_EQ("key052", it_->key());
  it_->Prev();
  EXPECT_EQ("key050", it_->key());
  it_->Next();
  it_->Next();
  EXPECT_EQ("key054", it_->key());
  it_->Seek("key010");  // seeking backwards from a positioned iterator
  EXPECT_EQ("key010", it_->key());
  it_->SeekToFirst();
  it_->Prev();
  EXPECT_FALSE(it_->Valid());
}

TEST(Block, LongSharedPrefixesAndBinaryKeys) {
  std::map<std::string, std::string> model;
  const std::string prefix(300, 'p');
  for (int i = 0; i < 50; ++i) model[prefix + std::string(1, static_cast<char>(i * 5))] = "x";
  model[std::string("\0\0", 2)] = "nul";
  model["\xff\xff"] = "high";
  Block block(BuildBlock(model));
  EXPECT_EQ(model, ReadAll(block));
  auto it = block.NewIterator(BytewiseComparator());
  it->Seek(std::string("\0", 1));
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(std::string("\0\0", 2), it->key());
}

TEST(Block, TooShortOrOversizedRestartCountIsCorruption) {
  for (std::string bytes : {std::string("\x01\x00", 2), std::string("\x00\x00\x00\x00\x09\x00\x00\x00", 8)}) {
    Block block(bytes);
    EXPECT_TRUE(block.malformed());
    auto it = block.NewIterator(BytewiseComparator());
    it->SeekToFirst();
    EXPECT_FALSE(it->Valid());
    EXPECT_TRUE(it->status().IsCorruption());
  }
}

TEST(Block, RestartOffsetOutOfRangeIsCorruption) {
  std::string bytes = BuildBlock({{"a", "1"}, {"b", "2"}});
  EncodeFixed32(bytes.data() + bytes.size() - 8, 1000);  // restart[0] points past the entries
  Block block(bytes);
  auto it = block.NewIterator(BytewiseComparator());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
}

// Flip every byte of a small block: iterating may fail with Corruption or yield garbage keys,
// but must never crash, loop, or read outside the block (ASan checks the reads too).
TEST(Block, EveryByteFlippedNeverCrashes) {
  std::map<std::string, std::string> model;
  for (int i = 0; i < 40; ++i) model[fmt::format("key{:03d}", i)] = std::string(i % 7, 'v');
  const std::string good = BuildBlock(model, 4);
  int detected = 0;  // flips that made the block malformed or some walk end with Corruption
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit : {0, 7}) {
      SCOPED_TRACE(fmt::format("byte {} bit {}", i, bit));
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      Block block(bad);
      const std::string_view bytes = block.contents();
      // Every entry takes at least 3 bytes, so no walk can yield more entries than this.
      const int max_entries = static_cast<int>(bytes.size() / 3);
      // An entry is sane if its value lies inside the block and its key is no longer than the
      // block (keys are rebuilt from deltas stored in it).
      auto check_entry = [&](const Iterator& it) {
        const std::string_view v = it.value();
        EXPECT_TRUE(v.data() >= bytes.data() && v.data() + v.size() <= bytes.data() + bytes.size());
        EXPECT_LE(it.key().size(), bytes.size());
      };
      auto check_end = [&](const Iterator& it) {
        EXPECT_TRUE(it.status().ok() || it.status().IsCorruption()) << it.status().ToString();
        return it.status().IsCorruption();
      };
      bool corrupt = block.malformed();
      auto it = block.NewIterator(BytewiseComparator());
      int steps = 0;
      for (it->SeekToFirst(); it->Valid() && steps <= max_entries; it->Next(), ++steps) {
        check_entry(*it);
      }
      EXPECT_LE(steps, max_entries);  // the walk ended by itself
      corrupt |= check_end(*it);
      steps = 0;
      for (it->SeekToLast(); it->Valid() && steps <= max_entries; it->Prev(), ++steps) {
        check_entry(*it);
      }
      EXPECT_LE(steps, max_entries);
      corrupt |= check_end(*it);
      it->Seek("key020");
      if (it->Valid()) {
        check_entry(*it);
      } else {
        corrupt |= check_end(*it);
      }
      detected += corrupt ? 1 : 0;
    }
  }
  // Flips of lengths and restart offsets are caught; flips inside key or value bytes leave a
  // well-formed block (only the table's block CRC catches those), so not every flip is.
  const int flips = static_cast<int>(good.size()) * 2;
  EXPECT_GT(detected, 0);
  EXPECT_LT(detected, flips);
  const std::map<std::string, std::string> unflipped = ReadAll(Block(good));
  EXPECT_EQ(model, unflipped);
}

}  // namespace
}  // namespace lsm
