// WalWriter + WalReader round trips and the exact bytes of LevelDB's log format.
#include <gtest/gtest.h>

#include "common/coding.h"
#include "common/crc32c.h"
#include "common/random.h"
#include "step2_wal/log_format.h"
#include "step2_wal/wal_reader.h"
#include "step2_wal/wal_writer.h"
#include "tests/step2/log_test_util.h"

namespace lsm {
namespace {

using log::kBlockSize;
using log::kHeaderSize;
using testutil::ReadAll;

// A string of exactly n bytes built by repeating `partial`.
std::string BigString(const std::string& partial, size_t n) {
  std::string out;
  while (out.size() < n) out += partial;
  out.resize(n);
  return out;
}

class WalTest : public ::testing::Test {
 protected:
  void Write(std::string_view record) { ASSERT_TRUE(writer_.AddRecord(record).ok()); }
  std::vector<std::string> ReadBack() {
    auto r = ReadAll(dest_.contents);
    EXPECT_EQ(0u, r.dropped);
    EXPECT_EQ(0u, r.torn_tail);
    return r.records;
  }
  const std::string& bytes() const { return dest_.contents; }

  testutil::StringDest dest_;
  WalWriter writer_{&dest_};
};

TEST_F(WalTest, EmptyLogHasNoRecords) { EXPECT_TRUE(ReadBack().empty()); }

TEST_F(WalTest, ReadWrite) {
  Write("foo");
  Write("bar");
  Write("");
  Write("xxxx");
  EXPECT_EQ((std::vector<std::string>{"foo", "bar", "", "xxxx"}), ReadBack());
}

TEST_F(WalTest, EmptyRecordIsOneFullHeader) {
  Write("");
  ASSERT_EQ(kHeaderSize, bytes().size());
  EXPECT_EQ(static_cast<char>(log::RecordType::kFull), bytes()[6]);
  EXPECT_EQ((std::vector<std::string>{""}), ReadBack());
}

// The format's facts, checked byte by byte: "abc" as one FULL record.
TEST_F(WalTest, GoldenThreeByteFullRecord) {
  Write("abc");
  // masked crc32c(0x01 'a' 'b' 'c') = 0x9de870f2, length 3, type FULL, payload.
  const std::string expected("\xf2\x70\xe8\x9d\x03\x00\x01" "abc", 10);
  EXPECT_EQ(expected, bytes());
}

TEST_F(WalTest, OneByteRecord) {
  Write("x");
  EXPECT_EQ(kHeaderSize + 1, bytes().size());
  EXPECT_EQ((std::vector<std::string>{"x"}), ReadBack());
}

TEST_F(WalTest, RecordFillingTheBlockExactly) {
  Write(BigString("a", kBlockSize - kHeaderSize));  // exactly the block remainder
  EXPECT_EQ(kBlockSize, bytes().size());
  Write("next");  // starts block 1 with no padding
  EXPECT_EQ(kBlockSize + kHeaderSize + 4, bytes().size());
  EXPECT_EQ(static_cast<char>(log::RecordType::kFull), bytes()[kBlockSize + 6]);
  auto r = ReadAll(bytes());
  ASSERT_EQ(2u, r.records.size());
  EXPECT_EQ((std::vector<uint64_t>{0, kBlockSize}), r.offsets);
}

TEST_F(WalTest, MarginalTrailerGetsZeroLengthFirst) {
  // Leaves exactly kHeaderSize bytes in block 0: the next record puts an empty FIRST there.
  const size_t n = kBlockSize - 2 * kHeaderSize;
  Write(BigString("foo", n));
  Write("bar");
  ASSERT_EQ(kBlockSize + kHeaderSize + 3, bytes().size());
  EXPECT_EQ(0, bytes()[kBlockSize - kHeaderSize + 4]);  // length 0
  EXPECT_EQ(static_cast<char>(log::RecordType::kFirst), bytes()[kBlockSize - 1]);
  EXPECT_EQ(static_cast<char>(log::RecordType::kLast), bytes()[kBlockSize + 6]);
  EXPECT_EQ((std::vector<std::string>{BigString("foo", n), "bar"}), ReadBack());
}

TEST_F(WalTest, ShortTrailerIsZeroPadded) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;  // leaves 3 bytes
  Write(BigString("foo", n));
  Write("bar");
  ASSERT_EQ(kBlockSize + kHeaderSize + 3, bytes().size());
  EXPECT_EQ(std::string(3, '\0'), bytes().substr(kBlockSize - 3, 3));
  EXPECT_EQ((std::vector<std::string>{BigString("foo", n), "bar"}), ReadBack());
}

TEST_F(WalTest, HundredKibRecordSpansFourBlocks) {
  Random rnd(17);
  const std::string big = rnd.Bytes(100 * 1024);
  Write("small");
  Write(big);
  Write("after");
  EXPECT_EQ((std::vector<std::string>{"small", big, "after"}), ReadBack());
  // FIRST in block 0, MIDDLE in 1 and 2, LAST in 3.
  EXPECT_EQ(static_cast<char>(log::RecordType::kFirst), bytes()[kHeaderSize + 5 + 6]);
  EXPECT_EQ(static_cast<char>(log::RecordType::kMiddle), bytes()[kBlockSize + 6]);
  EXPECT_EQ(static_cast<char>(log::RecordType::kMiddle), bytes()[2 * kBlockSize + 6]);
  EXPECT_EQ(static_cast<char>(log::RecordType::kLast), bytes()[3 * kBlockSize + 6]);
}

// FORMATS.md's example: a 40,020-byte record written at offset 39.
TEST_F(WalTest, FormatsMdFortyThousandByteExample) {
  Write(BigString("p", 39 - kHeaderSize));  // one 39-byte physical record
  ASSERT_EQ(39u, bytes().size());
  Write(BigString("q", 40020));
  auto length_at = [&](size_t offset) {
    return static_cast<size_t>(static_cast<unsigned char>(bytes()[offset + 4])) |
           static_cast<size_t>(static_cast<unsigned char>(bytes()[offset + 5])) << 8;
  };
  EXPECT_EQ(static_cast<char>(log::RecordType::kFirst), bytes()[39 + 6]);
  EXPECT_EQ(32722u, length_at(39));  // 32768 - 39 - 7
  EXPECT_EQ(static_cast<char>(log::RecordType::kLast), bytes()[kBlockSize + 6]);
  EXPECT_EQ(7298u, length_at(kBlockSize));
  EXPECT_EQ(kBlockSize + kHeaderSize + 7298, bytes().size());
  auto r = ReadAll(bytes());
  ASSERT_EQ(2u, r.records.size());
  EXPECT_EQ(BigString("q", 40020), r.records[1]);
  EXPECT_EQ(39u, r.offsets[1]);
}

TEST_F(WalTest, ManyRecordsCrossingBlocks) {
  const uint64_t seed = 301;
  SCOPED_TRACE(::testing::Message() << "seed=" << seed);
  Random rnd(seed);
  std::vector<std::string> written;
  for (int i = 0; i < 2000; ++i) {
    written.push_back(rnd.Bytes(rnd.Skewed(17)));  // 0 .. 128 KiB, mostly small
    Write(written.back());
  }
  EXPECT_EQ(written, ReadBack());
  EXPECT_EQ(bytes().size(), writer_.file_size());
}

TEST_F(WalTest, ManySmallRecords) {
  std::vector<std::string> written;
  for (int i = 0; i < 20000; ++i) {
    written.push_back(std::to_string(i));
    Write(written.back());
  }
  EXPECT_EQ(written, ReadBack());
}

TEST_F(WalTest, ChecksumIsMaskedCrcOfTypeAndPayload) {
  Write("hello");
  const uint32_t stored = DecodeFixed32(bytes().data());
  EXPECT_EQ(crc32c::Value(std::string_view("\x01hello", 6)), crc32c::Unmask(stored));
}

TEST_F(WalTest, EverySyncReachesTheFile) {
  Write("a");
  ASSERT_TRUE(writer_.Sync().ok());
  EXPECT_EQ(1, dest_.syncs);
}

TEST(WalWriterReopen, ContinuesTheBlockOfAnExistingFile) {
  testutil::StringDest dest;
  {
    WalWriter w(&dest);
    ASSERT_TRUE(w.AddRecord(BigString("a", kBlockSize - 10)).ok());  // leaves 3 bytes
  }
  WalWriter again(&dest, dest.contents.size());
  ASSERT_TRUE(again.AddRecord("b").ok());
  EXPECT_EQ(kBlockSize + kHeaderSize + 1, dest.contents.size());  // padded, new block
  auto r = ReadAll(dest.contents);
  EXPECT_EQ((std::vector<std::string>{BigString("a", kBlockSize - 10), "b"}), r.records);
}

TEST(WalReaderInitialOffset, StartsAtTheFirstRecordAtOrAfterIt) {
  testutil::StringDest dest;
  WalWriter w(&dest);
  const std::vector<std::string> recs = {"one", BigString("two", 50000), "three",
                                         BigString("four", kBlockSize), "five"};
  for (const auto& r : recs) ASSERT_TRUE(w.AddRecord(r).ok());
  auto all = ReadAll(dest.contents);
  ASSERT_EQ(recs, all.records);
  for (size_t i = 0; i < recs.size(); ++i) {
    SCOPED_TRACE(i);
    // Exactly at record i, and one byte after the previous record's start.
    auto from = ReadAll(dest.contents, all.offsets[i]);
    EXPECT_EQ(std::vector<std::string>(recs.begin() + i, recs.end()), from.records);
    EXPECT_EQ(0u, from.dropped);
    if (i > 0) {
      auto past = ReadAll(dest.contents, all.offsets[i - 1] + 1);
      EXPECT_EQ(std::vector<std::string>(recs.begin() + i, recs.end()), past.records);
      EXPECT_EQ(0u, past.dropped);
    }
  }
  EXPECT_TRUE(ReadAll(dest.contents, dest.contents.size()).records.empty());
}

}  // namespace
}  // namespace lsm
