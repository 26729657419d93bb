#include "step5_lsm/version_edit.h"

#include <gtest/gtest.h>

#include "common/hexdump.h"

namespace lsm {
namespace {

void RoundTrip(const VersionEdit& edit) {
  std::string encoded, encoded2;
  edit.EncodeTo(&encoded);
  VersionEdit parsed;
  ASSERT_TRUE(parsed.DecodeFrom(encoded).ok());
  parsed.EncodeTo(&encoded2);
  ASSERT_EQ(encoded, encoded2);
}

// The first edit of a fresh LevelDB database's MANIFEST-000001.
TEST(VersionEdit, GoldenNewDatabaseEdit) {
  VersionEdit edit;
  edit.SetComparatorName("leveldb.BytewiseComparator");
  edit.SetLogNumber(0);
  edit.SetNextFile(2);
  edit.SetLastSequence(0);
  std::string encoded;
  edit.EncodeTo(&encoded);
  EXPECT_EQ(
      "01 1a 6c 65 76 65 6c 64 62 2e 42 79 74 65 77 69 73 65 43 6f 6d 70 61 72 61 74 6f 72 "
      "02 00 03 02 04 00",
      HexBytes(encoded));
}

// Every tag, set in scrambled order: the encoding still follows LevelDB's field order
// 1, 2, 9, 3, 4, 5, 6, 7 and deleted files come out sorted by (level, number).
TEST(VersionEdit, GoldenAllFieldsInLevelDBOrder) {
  VersionEdit edit;
  edit.AddFile(2, 0x1234, 300, InternalKey("a", 5, ValueType::kValue),
               InternalKey("z", 6, ValueType::kDeletion));
  edit.RemoveFile(4, 9);
  edit.RemoveFile(1, 300);
  edit.SetCompactPointer(3, InternalKey("m", 1, ValueType::kValue));
  edit.SetLastSequence(1000);
  edit.SetNextFile(17);
  edit.SetPrevLogNumber(0);
  edit.SetLogNumber(15);
  edit.SetComparatorName("c");
  std::string encoded;
  edit.EncodeTo(&encoded);
  EXPECT_EQ(
      "01 01 63 "                                // comparator "c"
      "02 0f "                                   // log 15
      "09 00 "                                   // prev log 0
      "03 11 "                                   // next file 17
      "04 e8 07 "                                // last sequence 1000
      "05 03 09 6d 01 01 00 00 00 00 00 00 "     // compact pointer L3 'm'@1
      "06 01 ac 02 "                             // delete L1 #300
      "06 04 09 "                                // delete L4 #9
      "07 02 b4 24 ac 02 "                       // new file L2 #0x1234 size 300
      "09 61 01 05 00 00 00 00 00 00 "           // smallest 'a'@5 put
      "09 7a 00 06 00 00 00 00 00 00",           // largest 'z'@6 del
      HexBytes(encoded));
  RoundTrip(edit);
}

TEST(VersionEdit, DecodeRecoversEveryField) {
  VersionEdit edit;
  for (int i = 0; i < 4; ++i) {
    edit.AddFile(3, 300 + i, 1000 + i, InternalKey("foo", 100 + i, ValueType::kValue),
                 InternalKey("zoo", 200 + i, ValueType::kDeletion));
    edit.RemoveFile(4, 700 + i);
    edit.SetCompactPointer(i, InternalKey("x", 900 + i, ValueType::kValue));
  }
  edit.SetComparatorName("foo");
  edit.SetLogNumber(uint64_t{1} << 50);
  edit.SetNextFile(uint64_t{1} << 60);
  edit.SetLastSequence(uint64_t{1} << 55);
  RoundTrip(edit);

  std::string encoded;
  edit.EncodeTo(&encoded);
  VersionEdit parsed;
  ASSERT_TRUE(parsed.DecodeFrom(encoded).ok());
  EXPECT_EQ("foo", parsed.comparator().value());
  EXPECT_EQ(uint64_t{1} << 50, parsed.log_number().value());
  EXPECT_FALSE(parsed.prev_log_number().has_value());
  EXPECT_EQ(uint64_t{1} << 60, parsed.next_file_number().value());
  ASSERT_EQ(4u, parsed.new_files().size());
  EXPECT_EQ(3, parsed.new_files()[2].first);
  EXPECT_EQ(302u, parsed.new_files()[2].second.number);
  EXPECT_EQ(1002u, parsed.new_files()[2].second.file_size);
  EXPECT_EQ("zoo", parsed.new_files()[2].second.largest.user_key());
  EXPECT_EQ(4u, parsed.deleted_files().size());
  EXPECT_EQ(4u, parsed.compact_pointers().size());
}

TEST(VersionEdit, EmptyEditIsEmpty) {
  VersionEdit edit;
  std::string encoded;
  edit.EncodeTo(&encoded);
  EXPECT_TRUE(encoded.empty());
  RoundTrip(edit);
}

TEST(VersionEdit, RejectsUnknownTagAndBadLevel) {
  VersionEdit parsed;
  Status s = parsed.DecodeFrom(std::string("\x08\x01", 2));
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("unknown tag 8")) << s.ToString();
  s = parsed.DecodeFrom(std::string("\x06\x07\x01", 3));  // level 7 does not exist
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("deleted file")) << s.ToString();
}

// Every truncation of a valid encoding either decodes to a prefix of the fields or is
// reported as corruption, never crashes.
TEST(VersionEdit, TruncationsAreCorruptionOrPrefix) {
  VersionEdit edit;
  edit.SetComparatorName("leveldb.BytewiseComparator");
  edit.SetLogNumber(12);
  edit.AddFile(1, 7, 4096, InternalKey("apple", 3, ValueType::kValue),
               InternalKey("pear", 9, ValueType::kValue));
  std::string encoded;
  edit.EncodeTo(&encoded);
  int corrupt = 0;
  for (size_t n = 0; n < encoded.size(); ++n) {
    VersionEdit parsed;
    if (!parsed.DecodeFrom(std::string_view(encoded).substr(0, n)).ok()) ++corrupt;
  }
  EXPECT_GT(corrupt, 0);
  VersionEdit parsed;
  EXPECT_TRUE(parsed.DecodeFrom(encoded).ok());
}

TEST(VersionEdit, InternalKeyWithBadTypeIsCorruption) {
  std::string encoded;
  VersionEdit edit;
  edit.SetCompactPointer(1, InternalKey("k", 1, ValueType::kValue));
  edit.EncodeTo(&encoded);
  encoded[encoded.size() - 8] = 0x05;  // type byte 5 is neither put nor delete
  VersionEdit parsed;
  EXPECT_TRUE(parsed.DecodeFrom(encoded).IsCorruption());
}

}  // namespace
}  // namespace lsm
