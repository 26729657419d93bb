// lsmdump: golden dumps of a tiny log, table and MANIFEST built here byte by byte with the
// steps' own writers, plus damage: a flipped byte is reported with the file and its offset,
// a cut-off tail is a torn tail (not corruption).
#include "demo/dump.h"

#include <gtest/gtest.h>

#include "common/file.h"
#include "step2_wal/wal_writer.h"
#include "step2_wal/write_batch.h"
#include "step3_memtable/internal_key.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/table_builder.h"
#include "step5_lsm/version_edit.h"
#include "tests/support/temp_dir.h"

namespace lsm::demo {
namespace {

class DumpTest : public ::testing::Test {
 protected:
  FileSystem* fs() { return FileSystem::Default(); }

  // Writes records with step 2's log writer.
  void WriteLogFile(const std::filesystem::path& path, const std::vector<std::string>& records) {
    std::unique_ptr<WritableFile> file;
    ASSERT_TRUE(fs()->NewWritableFile(path, &file).ok());
    WalWriter writer(file.get());
    for (const auto& r : records) ASSERT_TRUE(writer.AddRecord(r).ok());
    ASSERT_TRUE(file->Close().ok());
  }

  // 000003.log: two small batches, then one 40,000-byte batch that spans two blocks.
  std::filesystem::path MakeLog() {
    WriteBatch b1;
    b1.SetSequence(1);
    b1.Put("apple", "red");
    b1.Delete("banana");
    WriteBatch b2;
    b2.SetSequence(3);
    b2.Put(std::string("k\x00\xff", 3), "value");
    WriteBatch b3;
    b3.SetSequence(4);
    b3.Put("big", std::string(40000, 'x'));
    const auto path = dir_ / "000003.log";
    WriteLogFile(path, {std::string(b1.Contents()), std::string(b2.Contents()),
                        std::string(b3.Contents())});
    return path;
  }

  // 000005.ldb: internal keys, tiny blocks (so there are several), a bloom filter.
  std::filesystem::path MakeTable() {
    const auto path = dir_ / "000005.ldb";
    std::unique_ptr<WritableFile> file;
    EXPECT_TRUE(fs()->NewWritableFile(path, &file).ok());
    InternalKeyComparator icmp(BytewiseComparator());
    auto bloom = NewBloomFilterPolicy(10);
    InternalFilterPolicy filter(bloom.get());
    TableOptions options{.comparator = &icmp, .block_size = 64, .filter_policy = &filter};
    TableBuilder builder(options, file.get());
    builder.Add(InternalKey("apple", 7, ValueType::kValue).Encode(), "red");
    builder.Add(InternalKey("apple", 2, ValueType::kValue).Encode(), "green");
    builder.Add(InternalKey("banana", 5, ValueType::kDeletion).Encode(), "");
    builder.Add(InternalKey("cherry", 3, ValueType::kValue).Encode(),
                "a long value that the dump cuts short");
    builder.Add(InternalKey("date", 4, ValueType::kValue).Encode(), "brown");
    EXPECT_TRUE(builder.Finish().ok());
    EXPECT_TRUE(file->Close().ok());
    return path;
  }

  // MANIFEST-000002: a fresh database's first edit, then a flush and a compaction.
  std::filesystem::path MakeManifest() {
    VersionEdit first;
    first.SetComparatorName("leveldb.BytewiseComparator");
    first.SetLogNumber(0);
    first.SetNextFile(2);
    first.SetLastSequence(0);
    VersionEdit flush;
    flush.SetLogNumber(6);
    flush.SetPrevLogNumber(0);
    flush.SetNextFile(8);
    flush.SetLastSequence(41);
    flush.AddFile(0, 7, 1234, InternalKey("a", 1, ValueType::kValue),
                  InternalKey("m", 41, ValueType::kDeletion));
    VersionEdit compaction;
    compaction.SetCompactPointer(0, InternalKey("m", 41, ValueType::kDeletion));
    compaction.RemoveFile(0, 7);
    compaction.RemoveFile(1, 4);
    compaction.AddFile(1, 9, 2048, InternalKey("a", 1, ValueType::kValue),
                       InternalKey("z", 30, ValueType::kValue));
    std::vector<std::string> records(3);
    first.EncodeTo(&records[0]);
    flush.EncodeTo(&records[1]);
    compaction.EncodeTo(&records[2]);
    const auto path = dir_ / "MANIFEST-000002";
    WriteLogFile(path, records);
    return path;
  }

  // Dumps path; returns the text, and the status in *s.
  std::string Dump(const std::filesystem::path& path, Status* s = nullptr) {
    std::string text;
    Status st = DumpFile(fs(), path, [&](std::string_view part) { text += part; });
    if (s != nullptr) *s = st;
    else EXPECT_TRUE(st.ok()) << st.ToString();
    return text;
  }

  // Flips every bit of the byte at offset.
  void FlipByte(const std::filesystem::path& path, size_t offset) {
    std::string data;
    ASSERT_TRUE(ReadFileToString(fs(), path, &data).ok());
    data[offset] ^= static_cast<char>(0xff);
    ASSERT_TRUE(WriteStringToFile(fs(), data, path, false).ok());
  }
  void Truncate(const std::filesystem::path& path, size_t size) {
    std::string data;
    ASSERT_TRUE(ReadFileToString(fs(), path, &data).ok());
    ASSERT_TRUE(WriteStringToFile(fs(), data.substr(0, size), path, false).ok());
  }

  testutil::TempDir dir_;
};

TEST_F(DumpTest, LogGolden) {
  EXPECT_EQ(R"(000003.log: write-ahead log, 40102 bytes (2 blocks of 32768)
  offset 0      FULL   length 31    crc fda6467d ok
    record 1 at offset 0, 31 bytes:
      batch: sequence 1, 2 ops
      seq 1      put 'apple' => 'red'
      seq 2      del 'banana'
  offset 38     FULL   length 23    crc 16663a0c ok
    record 2 at offset 38, 23 bytes:
      batch: sequence 3, 1 op
      seq 3      put 'k\x00\xff' => 'value'
  offset 68     FIRST  length 32693 crc efcd3cda ok
  offset 32768  LAST   length 7327  crc 4b4f46f1 ok
    record 3 at offset 68, 40020 bytes:
      batch: sequence 4, 1 op
      seq 4      put 'big' => 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'...(40000 bytes)
3 records in 4 fragments
)", Dump(MakeLog()));
}

TEST_F(DumpTest, TableGolden) {
  EXPECT_EQ(R"(000005.ldb: table, 325 bytes
data block 0 at offset 0: 113 bytes + 5-byte trailer (raw, crc ok)
    'apple' @ 7 : val => 'red'
    'apple' @ 2 : val => 'green'
    'banana' @ 5 : del
    'cherry' @ 3 : val => 'a long value that the dump cuts '...(37 bytes)
    (4 entries, 1 restart point)
data block 1 at offset 118: 28 bytes + 5-byte trailer (raw, crc ok)
    'date' @ 4 : val => 'brown'
    (1 entry, 1 restart point)
filter block at offset 151: 18 bytes + 5-byte trailer (raw, crc ok)
    policy filter.leveldb.BuiltinBloomFilter2: 1 filter, one per 2048 bytes of data offsets
    filter 0: 8 bytes, 6 probes per key
metaindex block at offset 174: 48 bytes + 5-byte trailer (raw, crc ok)
    'filter.leveldb.BuiltinBloomFilter2' => [151, +18)
index block at offset 227: 45 bytes + 5-byte trailer (raw, crc ok)
    2 entries: separator key => data block
    'cherry' @ 3 : val => [0, +113)
    'e' @ 72057594037927935 : val => [118, +28)
footer at offset 277: metaindex [174, +48), index [227, +45), magic 0xdb4775248b80fb57, 48 bytes
2 data blocks, 5 entries (4 values, 1 deletion)
)", Dump(MakeTable()));
}

TEST_F(DumpTest, ManifestGolden) {
  EXPECT_EQ(R"(MANIFEST-000002: MANIFEST, 131 bytes (1 block of 32768)
  offset 0      FULL   length 34    crc 48de919b ok
    record 1 at offset 0, 34 bytes:
      comparator       leveldb.BytewiseComparator
      log number       0
      next file        2
      last sequence    0
  offset 41     FULL   length 33    crc 1da87f0a ok
    record 2 at offset 41, 33 bytes:
      log number       6
      prev log number  0
      next file        8
      last sequence    41
      add file         L0 #7 1234 bytes ['a' @ 1 : val .. 'm' @ 41 : del]
  offset 81     FULL   length 43    crc 15375218 ok
    record 3 at offset 81, 43 bytes:
      compact pointer  L0 'm' @ 41 : del
      delete file      L0 #7
      delete file      L1 #4
      add file         L1 #9 2048 bytes ['a' @ 1 : val .. 'z' @ 30 : val]
3 records in 3 fragments
)", Dump(MakeManifest()));
}

TEST_F(DumpTest, CurrentNamesTheManifest) {
  const auto path = dir_ / "CURRENT";
  ASSERT_TRUE(WriteStringToFile(fs(), "MANIFEST-000002\n", path, false).ok());
  EXPECT_EQ("CURRENT: names 'MANIFEST-000002\\x0a'\n", Dump(path));
}

// An empty log (a database's new log before its first write) has no blocks, and says so.
TEST_F(DumpTest, EmptyLogHasZeroBlocks) {
  const auto path = dir_ / "000007.log";
  ASSERT_TRUE(WriteStringToFile(fs(), "", path, false).ok());
  EXPECT_EQ("000007.log: write-ahead log, 0 bytes (0 blocks of 32768)\n0 records in 0 fragments\n",
            Dump(path));
}

TEST_F(DumpTest, KindComesFromTheName) {
  DumpKind kind;
  ASSERT_TRUE(DetectDumpKind("/x/000012.log", &kind).ok());
  EXPECT_EQ(DumpKind::kLog, kind);
  ASSERT_TRUE(DetectDumpKind("000012.ldb", &kind).ok());
  EXPECT_EQ(DumpKind::kTable, kind);
  ASSERT_TRUE(DetectDumpKind("000012.sst", &kind).ok());
  EXPECT_EQ(DumpKind::kTable, kind);
  ASSERT_TRUE(DetectDumpKind("MANIFEST-000002", &kind).ok());
  EXPECT_EQ(DumpKind::kManifest, kind);
  EXPECT_TRUE(DetectDumpKind("notes.txt", &kind).IsInvalidArgument());
  EXPECT_TRUE(DetectDumpKind("LOCK", &kind).IsInvalidArgument());
}

TEST_F(DumpTest, MissingFileIsAnIOErrorNamingIt) {
  Status s;
  (void)Dump(dir_ / "000099.log", &s);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000099.log")) << s.ToString();
}

TEST_F(DumpTest, LogChecksumMismatchNamesFileAndOffset) {
  const auto path = MakeLog();
  FlipByte(path, 45);  // inside record 2's payload (it starts at 38 + 7)
  Status s;
  const std::string text = Dump(path, &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000003.log: checksum mismatch; the rest of the "
                                                 "block is skipped at offset 38")) << s.ToString();
  EXPECT_NE(std::string::npos, text.find("crc 16663a0c MISMATCH")) << text;
  // Record 1 still decoded; record 3's FIRST went with the rest of block 0, so its LAST is an
  // orphan.
  EXPECT_NE(std::string::npos, text.find("seq 2      del 'banana'")) << text;
  EXPECT_NE(std::string::npos, text.find("!! offset 32768: LAST record without a FIRST")) << text;
}

TEST_F(DumpTest, LogCutMidRecordIsATornTailNotCorruption) {
  const auto path = MakeLog();
  Truncate(path, 40000);  // inside the LAST fragment
  Status s;
  std::string text = Dump(path, &s);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(std::string::npos, text.find("offset 32768: torn tail: LAST record of length 7327 cut "
                                         "off by end of file")) << text;
  EXPECT_NE(std::string::npos, text.find("never got its LAST fragment")) << text;

  Truncate(path, 32768 + 3);  // inside the LAST fragment's header
  text = Dump(path, &s);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(std::string::npos, text.find("offset 32768: torn tail: 3 bytes of a cut-off header"))
      << text;
}

TEST_F(DumpTest, TableDamageIsReportedAndTheWalkGoesOn) {
  const auto path = MakeTable();
  FlipByte(path, 5);  // inside data block 0
  Status s;
  const std::string text = Dump(path, &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000005.ldb: block checksum mismatch at offset 0"))
      << s.ToString();
  EXPECT_NE(std::string::npos, text.find("'date' @ 4 : val => 'brown'")) << text;  // block 1
}

TEST_F(DumpTest, TableWithBadMagicIsCorruption) {
  const auto path = MakeTable();
  FlipByte(path, 324);  // the magic number's last byte
  Status s;
  (void)Dump(path, &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("at offset 277")) << s.ToString();
}

TEST_F(DumpTest, ManifestDamageNamesTheRecord) {
  const auto path = MakeManifest();
  FlipByte(path, 41 + 7 + 2);  // inside record 2's payload
  Status s;
  const std::string text = Dump(path, &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("MANIFEST-000002")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("offset 41")) << s.ToString();
  EXPECT_NE(std::string::npos, text.find("comparator       leveldb.BytewiseComparator")) << text;
}

// Every single-byte flip of the small files: the dump never crashes or reads out of bounds
// (the sanitizer builds check that), and a flip inside a checksummed part is reported.
TEST_F(DumpTest, EveryByteFlipIsSurvived) {
  const auto table = MakeTable();
  std::string original;
  ASSERT_TRUE(ReadFileToString(fs(), table, &original).ok());
  for (size_t i = 0; i < original.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "table byte " << i);
    ASSERT_TRUE(WriteStringToFile(fs(), original, table, false).ok());
    FlipByte(table, i);
    Status s;
    (void)Dump(table, &s);
    if (i < 277) {
      EXPECT_FALSE(s.ok()) << "blocks and their trailers are checksummed";
    }
  }
  WriteBatch b;
  b.SetSequence(9);
  b.Put("k", "v");
  b.Delete("gone");
  const auto log = dir_ / "000004.log";
  WriteLogFile(log, {std::string(b.Contents()), "second"});
  ASSERT_TRUE(ReadFileToString(fs(), log, &original).ok());
  for (size_t i = 0; i < original.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "log byte " << i);
    ASSERT_TRUE(WriteStringToFile(fs(), original, log, false).ok());
    FlipByte(log, i);
    Status s;
    (void)Dump(log, &s);
  }
}

}  // namespace
}  // namespace lsm::demo
