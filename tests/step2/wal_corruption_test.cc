// The reader under damage: flipped bytes, truncation at every length, fragments out of place.
// The promises: never crash, never return a wrong payload, always report what was lost —
// as Corruption when it is damage, as torn-tail bytes when the log was merely cut short.
#include <gtest/gtest.h>

#include "common/coding.h"
#include "common/crc32c.h"
#include "step2_wal/log_format.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"
#include "step2_wal/wal_writer.h"
#include "tests/step2/log_test_util.h"

namespace lsm {
namespace {

using log::kBlockSize;
using log::kHeaderSize;
using testutil::ReadAll;
using testutil::ReadResult;

struct Log {
  std::vector<std::string> records;
  std::vector<uint64_t> ends;  // file offset just past each record
  std::string bytes;
};

Log WriteLog(const std::vector<std::string>& records) {
  testutil::StringDest dest;
  WalWriter writer(&dest);
  Log log;
  for (const auto& r : records) {
    EXPECT_TRUE(writer.AddRecord(r).ok());
    log.ends.push_back(dest.contents.size());
  }
  log.records = records;
  log.bytes = dest.contents;
  return log;
}

// Several small records of different shapes, one of them empty: about 300 bytes.
Log SmallLog() {
  return WriteLog({"alpha", "", "b", std::string(100, 'c'), "delta\0with nul", "echo",
                   std::string(120, '\xff')});
}

// A log with a record fragmented over a block boundary.
Log CrossingLog() {
  return WriteLog({"first", std::string(kBlockSize, 'x'), "after", std::string(300, 'y')});
}

// True when `got` is the original records in order with some of them missing.
bool IsSubsequence(const std::vector<std::string>& got, const std::vector<std::string>& all) {
  size_t j = 0;
  for (const auto& g : got) {
    while (j < all.size() && all[j] != g) ++j;
    if (j == all.size()) return false;
    ++j;
  }
  return true;
}

void CheckFlip(const Log& log, size_t i, char mask) {
  std::string damaged = log.bytes;
  damaged[i] = static_cast<char>(damaged[i] ^ mask);
  ReadResult r = ReadAll(damaged);
  ASSERT_TRUE(IsSubsequence(r.records, log.records)) << "wrong payload, flip at " << i;
  // Every byte of a small log is part of some record, so a flip must be noticed.
  EXPECT_GT(r.dropped + r.torn_tail, 0u) << "undetected flip at " << i;
  EXPECT_LT(r.records.size(), log.records.size()) << "flip at " << i;
}

TEST(WalCorruption, FlipEachByteOfASmallLog) {
  const Log log = SmallLog();
  for (size_t i = 0; i < log.bytes.size(); ++i) {
    CheckFlip(log, i, '\x01');
    CheckFlip(log, i, '\xff');
  }
}

TEST(WalCorruption, FlipBytesAroundABlockBoundary) {
  const Log log = CrossingLog();
  std::vector<size_t> positions;
  for (size_t i = 0; i < 40; ++i) positions.push_back(i);                       // first headers
  for (size_t i = kBlockSize - 40; i < kBlockSize + 40; ++i) positions.push_back(i);
  for (size_t i = kBlockSize + 40; i < log.bytes.size(); i += 97) positions.push_back(i);
  for (size_t i : positions) CheckFlip(log, i, '\x10');
}

void CheckTruncations(const Log& log, size_t from, size_t to) {
  for (size_t len = from; len <= to && len <= log.bytes.size(); ++len) {
    ReadResult r = ReadAll(log.bytes.substr(0, len));
    // Exactly the records that end at or before len; the rest is torn tail, not damage.
    size_t complete = 0;
    while (complete < log.ends.size() && log.ends[complete] <= len) ++complete;
    ASSERT_EQ(std::vector<std::string>(log.records.begin(), log.records.begin() + complete),
              r.records) << "len " << len;
    EXPECT_EQ(0u, r.dropped) << "len " << len;
    const uint64_t last_end = complete == 0 ? 0 : log.ends[complete - 1];
    EXPECT_EQ(len - last_end, r.torn_tail) << "len " << len;
  }
}

TEST(WalCorruption, TruncateAtEveryLengthOfASmallLog) {
  const Log log = SmallLog();
  CheckTruncations(log, 0, log.bytes.size());
}

TEST(WalCorruption, TruncateAroundBlockBoundaries) {
  const Log log = CrossingLog();
  CheckTruncations(log, 0, 64);
  CheckTruncations(log, kBlockSize - 64, kBlockSize + 64);
  CheckTruncations(log, log.bytes.size() - 400, log.bytes.size());
}

TEST(WalCorruption, ChecksumMismatchNamesFileAndOffset) {
  Log log = WriteLog({"foo", "bar", "baz"});
  log.bytes[10 + kHeaderSize] ^= 1;  // a payload byte of "bar" (its header is at offset 10)
  ReadResult r = ReadAll(log.bytes);
  EXPECT_TRUE(r.records == std::vector<std::string>{"foo"});  // rest of the block dropped
  EXPECT_EQ(20u, r.dropped);
  ASSERT_EQ(1u, r.messages.size());
  EXPECT_EQ("Corruption: mem.log: checksum mismatch at offset 10", r.messages[0]);
}

// Damage in two blocks: the reporter keeps both reports, the first one as first_damage().
TEST(WalCorruption, ReporterKeepsEveryReportAndTheFirstDamage) {
  // "foo" and a record filling the rest of block 0 exactly; "bar" opens block 1.
  Log log = WriteLog({"foo", std::string(kBlockSize - 2 * kHeaderSize - 3, 'x'), "bar"});
  log.bytes[kHeaderSize] ^= 1;               // "foo"'s payload
  log.bytes[kBlockSize + kHeaderSize] ^= 1;  // "bar"'s payload
  testutil::StringSource src(log.bytes);
  LogReporter reporter;
  EXPECT_FALSE(reporter.damaged());
  EXPECT_TRUE(reporter.first_damage().ok());
  WalReader reader(&src, &reporter, /*checksum=*/true);
  std::string scratch;
  std::string_view record;
  EXPECT_FALSE(reader.ReadRecord(&record, &scratch));  // each damage drops the rest of its block
  ASSERT_EQ(2u, reporter.damages().size());
  EXPECT_TRUE(reporter.damaged());
  EXPECT_EQ("Corruption: mem.log: checksum mismatch at offset 0",
            reporter.first_damage().ToString());
  EXPECT_EQ(kBlockSize, reporter.damages()[0].bytes);
  EXPECT_EQ(fmt::format("Corruption: mem.log: checksum mismatch at offset {}", kBlockSize),
            reporter.damages()[1].status.ToString());
  EXPECT_EQ(kHeaderSize + 3, reporter.damages()[1].bytes);
  EXPECT_EQ(kBlockSize + kHeaderSize + 3, reporter.dropped_bytes());
  EXPECT_EQ(reader.dropped_bytes(), reporter.dropped_bytes());
}

TEST(WalCorruption, DamageStaysInsideItsBlock) {
  Log log = WriteLog({"foo", std::string(kBlockSize, 'z'), "tail1", "tail2"});
  log.bytes[2] ^= 0x40;  // header crc of "foo"
  ReadResult r = ReadAll(log.bytes);
  // "foo" and the FIRST fragment share block 0: both lost; the orphan LAST is reported too.
  EXPECT_EQ((std::vector<std::string>{"tail1", "tail2"}), r.records);
  ASSERT_EQ(2u, r.messages.size());
  EXPECT_NE(std::string::npos, r.messages[0].find("checksum mismatch at offset 0"));
  EXPECT_NE(std::string::npos, r.messages[1].find("missing start of fragmented record"));
}

TEST(WalCorruption, BadLengthInsideTheFileIsCorruption) {
  Log log = WriteLog({"foo", std::string(kBlockSize, 'z')});
  log.bytes[4] = '\xff';  // "foo" claims 255 + 3*256 bytes; the block has them but crc fails
  log.bytes[5] = '\x7f';  // now it claims more than the block: impossible length
  ReadResult r = ReadAll(log.bytes);
  EXPECT_TRUE(r.records.empty());
  ASSERT_FALSE(r.messages.empty());
  EXPECT_NE(std::string::npos, r.messages[0].find("bad record length 32767 at offset 0"));
}

TEST(WalCorruption, UnknownTypeWithValidChecksumIsReported) {
  std::string bytes;
  const std::string payload = "??";
  char header[kHeaderSize];
  const std::string typed = std::string(1, '\x09') + payload;
  EncodeFixed32(header, crc32c::Mask(crc32c::Value(typed)));
  header[4] = 2;
  header[5] = 0;
  header[6] = 9;
  bytes.append(header, kHeaderSize).append(payload);
  bytes += WriteLog({"ok"}).bytes;
  ReadResult r = ReadAll(bytes);
  EXPECT_EQ((std::vector<std::string>{"ok"}), r.records);
  ASSERT_EQ(1u, r.messages.size());
  EXPECT_NE(std::string::npos, r.messages[0].find("unknown record type 9 at offset 0"));
}

TEST(WalCorruption, PreallocatedZerosAreNotDamage) {
  Log log = WriteLog({"foo", "bar"});
  ReadResult r = ReadAll(log.bytes + std::string(1000, '\0'));
  EXPECT_EQ(log.records, r.records);
  EXPECT_EQ(0u, r.dropped);
}

TEST(WalCorruption, ZeroedHeaderBeforeDataIsDamage) {
  Log log = WriteLog({"foo", "bar"});
  std::fill_n(log.bytes.begin(), 10, '\0');  // wipe "foo" entirely
  ReadResult r = ReadAll(log.bytes);
  EXPECT_TRUE(r.records.empty());  // the rest of the block cannot be trusted
  EXPECT_GT(r.dropped, 0u);
}

TEST(WalCorruption, TornFragmentedRecordIsTornTail) {
  Log log = WriteLog({"foo", std::string(3 * kBlockSize, 'm')});
  // Cut after the MIDDLE in block 1: FIRST + MIDDLE present, LAST missing.
  ReadResult r = ReadAll(log.bytes.substr(0, 2 * kBlockSize));
  EXPECT_EQ((std::vector<std::string>{"foo"}), r.records);
  EXPECT_EQ(0u, r.dropped);
  EXPECT_EQ(2 * kBlockSize - 10, r.torn_tail);
}

}  // namespace
}  // namespace lsm
