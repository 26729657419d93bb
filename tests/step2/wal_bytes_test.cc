// The log's bytes, read by a parser in this test rather than by WalReader: so the writer's
// header and fragmenting can be checked before the reader exists, and the reader's block
// handling with FULL records only. (Exercise mode judges step2.unmask, step2.header,
// step2.fragment and step2.physical by these before the tasks after them are written.)
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/coding.h"
#include "common/crc32c.h"
#include "common/random.h"
#include "step2_wal/log_format.h"
#include "step2_wal/wal_writer.h"
#include "tests/step2/log_test_util.h"

namespace lsm {
namespace {

using log::kBlockSize;
using log::kHeaderSize;
using log::RecordType;

struct Fragment {
  uint64_t offset;
  int type;
  size_t length;
  bool crc_ok;
};

// Walks the blocks: a tail shorter than a header must be zeros; every header is checked
// against a checksum computed here (Mask of crc32c over type + payload).
std::vector<Fragment> Fragments(const std::string& bytes) {
  std::vector<Fragment> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t left = kBlockSize - pos % kBlockSize;
    if (left < kHeaderSize) {
      EXPECT_EQ(std::string(std::min(left, bytes.size() - pos), '\0'), bytes.substr(pos, left))
          << "the block's tail at " << pos << " must be zeros";
      pos += left;
      continue;
    }
    if (pos + kHeaderSize > bytes.size()) {
      ADD_FAILURE() << "a header cut short at " << pos;
      break;
    }
    const auto* h = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    const size_t length = h[4] | (size_t{h[5]} << 8);
    const uint32_t crc = crc32c::Value(bytes.data() + pos + 6, 1 + length);
    out.push_back({pos, h[6], length, crc32c::Mask(crc) == DecodeFixed32(bytes.data() + pos)});
    pos += kHeaderSize + length;
  }
  EXPECT_EQ(bytes.size(), pos) << "the last fragment runs past the end";
  return out;
}

std::string Describe(const std::vector<Fragment>& fragments) {
  std::string s;
  for (const auto& f : fragments) {
    s += std::to_string(f.offset) + ":" + std::to_string(f.type) + "/" +
         std::to_string(f.length) + (f.crc_ok ? " " : "(bad crc) ");
  }
  return s;
}

constexpr int kFull = static_cast<int>(RecordType::kFull);
constexpr int kFirst = static_cast<int>(RecordType::kFirst);
constexpr int kMiddle = static_cast<int>(RecordType::kMiddle);
constexpr int kLast = static_cast<int>(RecordType::kLast);

class WalBytes : public ::testing::Test {
 protected:
  void Write(std::string_view record) { ASSERT_TRUE(writer_.AddRecord(record).ok()); }
  const std::string& bytes() const { return dest_.contents; }
  testutil::StringDest dest_;
  WalWriter writer_{&dest_};
};

TEST(Crc32cMask, UnmaskUndoesMask) {
  for (uint32_t crc : {0u, 1u, 0x8000u, 0x12345678u, 0xffffffffu, crc32c::Value("hello")}) {
    EXPECT_EQ(crc, crc32c::Unmask(crc32c::Mask(crc))) << std::hex << crc;
  }
  // The log's golden bytes: "abc" as a FULL record stores 0x9de870f2.
  EXPECT_EQ(crc32c::Value(std::string_view("\x01" "abc", 4)), crc32c::Unmask(0x9de870f2u));
}

// Three FULL records within block 0 (none empty: an empty record is step2.fragment's): the
// crc over type + payload, masked; the length in two little-endian bytes (300 needs both); the
// type; the payload.
TEST_F(WalBytes, EachHeaderIsMaskedCrcLengthTypeThenThePayload) {
  const std::string big(300, 'z');
  Write("abc");
  EXPECT_EQ(kHeaderSize + 3, writer_.file_size());
  Write(big);
  Write("x");
  EXPECT_EQ(3 * kHeaderSize + 304, writer_.file_size());
  ASSERT_EQ(writer_.file_size(), bytes().size());
  EXPECT_EQ(std::string("\xf2\x70\xe8\x9d\x03\x00\x01" "abc", 10), bytes().substr(0, 10));
  EXPECT_EQ(std::string("\x2c\x01\x01", 3), bytes().substr(14, 3));  // 300 = 0x012c, FULL
  EXPECT_EQ(big, bytes().substr(17, 300));
  const auto f = Fragments(bytes());
  ASSERT_EQ(3u, f.size()) << Describe(f);
  for (const auto& x : f) {
    EXPECT_TRUE(x.crc_ok) << Describe(f);
    EXPECT_EQ(kFull, x.type) << Describe(f);
  }
  EXPECT_EQ(317u, f[2].offset);
  EXPECT_EQ(1u, f[2].length);
}

TEST_F(WalBytes, EmptyRecordIsOneFullHeader) {
  Write("");
  const auto f = Fragments(bytes());
  ASSERT_EQ(1u, f.size());
  EXPECT_EQ(kFull, f[0].type);
  EXPECT_EQ(0u, f[0].length);
}

// "small", then 100 KiB: FIRST fills block 0, MIDDLE blocks 1 and 2, LAST in block 3.
TEST_F(WalBytes, HundredKibRecordIsFirstMiddleMiddleLast) {
  Random rnd(17);
  Write("small");
  Write(rnd.Bytes(100 * 1024));
  Write("after");
  const auto f = Fragments(bytes());
  ASSERT_EQ(6u, f.size()) << Describe(f);
  const size_t first = kBlockSize - 2 * kHeaderSize - 5;
  const size_t middle = kBlockSize - kHeaderSize;
  EXPECT_EQ(kFull, f[0].type);
  EXPECT_EQ(kFirst, f[1].type);
  EXPECT_EQ(first, f[1].length);
  EXPECT_EQ(kMiddle, f[2].type);
  EXPECT_EQ(kBlockSize, f[2].offset);
  EXPECT_EQ(middle, f[2].length);
  EXPECT_EQ(kMiddle, f[3].type);
  EXPECT_EQ(kLast, f[4].type);
  EXPECT_EQ(100 * 1024 - first - 2 * middle, f[4].length);
  EXPECT_EQ(kFull, f[5].type);
  for (const auto& x : f) EXPECT_TRUE(x.crc_ok) << Describe(f);
}

// Exactly one header's room left: a zero-length FIRST goes there, the rest is the LAST.
TEST_F(WalBytes, SevenBytesLeftGetAZeroLengthFirst) {
  Write(std::string(kBlockSize - 2 * kHeaderSize, 'f'));
  Write("bar");
  const auto f = Fragments(bytes());
  ASSERT_EQ(3u, f.size()) << Describe(f);
  EXPECT_EQ(kFirst, f[1].type);
  EXPECT_EQ(0u, f[1].length);
  EXPECT_EQ(kLast, f[2].type);
  EXPECT_EQ(kBlockSize, f[2].offset);
}

// Fewer than seven bytes left: zeros pad the block, the next record starts block 1 whole.
TEST_F(WalBytes, ShortTailIsZeroPaddedAndTheNextRecordStartsTheNextBlock) {
  Write(std::string(kBlockSize - 2 * kHeaderSize + 4, 'f'));  // leaves 3 bytes
  Write("bar");
  ASSERT_EQ(kBlockSize + kHeaderSize + 3, bytes().size());
  EXPECT_EQ(kBlockSize + kHeaderSize + 3, writer_.file_size());
  const auto f = Fragments(bytes());
  ASSERT_EQ(2u, f.size()) << Describe(f);
  EXPECT_EQ(kFull, f[1].type);
  EXPECT_EQ(kBlockSize, f[1].offset);
}

// A record that fills block 0 exactly leaves no tail: the next one starts at kBlockSize.
TEST_F(WalBytes, RecordFillingTheBlockLeavesNoPadding) {
  Write(std::string(kBlockSize - kHeaderSize, 'a'));
  Write("next");
  const auto f = Fragments(bytes());
  ASSERT_EQ(2u, f.size()) << Describe(f);
  EXPECT_EQ(kFull, f[0].type);
  EXPECT_EQ(kFull, f[1].type);
  EXPECT_EQ(kBlockSize, f[1].offset);
}

// The reader with FULL records only: a zero tail skipped, a record in the next block found,
// the offsets of both, and a torn header at the end of the file is a torn tail, not damage.
TEST_F(WalBytes, ReaderSkipsAZeroTailAndTreatsACutHeaderAsATornTail) {
  const std::string first(kBlockSize - 2 * kHeaderSize + 4, 'f');  // leaves 3 bytes
  Write(first);
  Write("bar");
  auto r = testutil::ReadAll(bytes());
  EXPECT_EQ((std::vector<std::string>{first, "bar"}), r.records);
  EXPECT_EQ((std::vector<uint64_t>{0, kBlockSize}), r.offsets);
  EXPECT_EQ(0u, r.dropped);
  auto cut = testutil::ReadAll(bytes().substr(0, kBlockSize + 4));
  EXPECT_EQ((std::vector<std::string>{first}), cut.records);
  EXPECT_EQ(0u, cut.dropped);
  EXPECT_EQ(4u, cut.torn_tail);
}

}  // namespace
}  // namespace lsm
