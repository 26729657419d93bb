// The level iterator: the file-list iterator on its own (keys, values, Seek past the end), then
// the whole level through the two-level iterator — both directions across files, tables
// opened only when reached, empty tables skipped, and a table that fails to open.
#include "step5_lsm/level_iterator.h"

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/step3/key_test_util.h"
#include "tests/step5/vector_iterator.h"

namespace lsm {
namespace {

using testutil::IKey;
using Entries = std::vector<std::pair<std::string, std::string>>;

// A level of three files, #4 [a..c], #9 [g..h], #12 [p..p], each holding its user keys at
// sequence 1 with value "<key>@<file>"; tables_ holds their contents by file number.
class LevelIteratorTest : public ::testing::Test {
 protected:
  LevelIteratorTest() {
    AddFile(4, {"a", "b", "c"});
    AddFile(9, {"g", "h"});
    AddFile(12, {"p"});
  }

  void AddFile(uint64_t number, const std::vector<std::string>& user_keys) {
    auto f = std::make_shared<FileMetaData>();
    f->number = number;
    f->file_size = 1000 + number;
    f->smallest = InternalKey(user_keys.front(), 1, ValueType::kValue);
    f->largest = InternalKey(user_keys.back(), 1, ValueType::kValue);
    files_.push_back(f);
    Entries& table = tables_[number];
    for (const auto& k : user_keys) {
      table.emplace_back(IKey(k, 1, ValueType::kValue), k + "@" + std::to_string(number));
    }
  }

  std::unique_ptr<Iterator> Level() {
    return NewLevelIterator(&icmp_, files_, [this](uint64_t number, uint64_t file_size) {
      opened_.push_back(number);
      EXPECT_EQ(1000 + number, file_size);
      if (missing_ == number) return NewEmptyIterator(Status::IOError("#{} is missing", number));
      return std::unique_ptr<Iterator>(
          std::make_unique<testutil::VectorIterator>(&icmp_, tables_[number]));
    });
  }

  static std::string UserKey(const Iterator& it) { return std::string(ExtractUserKey(it.key())); }
  static std::string Forward(Iterator* it) {
    std::string out;
    for (it->SeekToFirst(); it->Valid(); it->Next()) out += UserKey(*it) + " ";
    return out;
  }
  static std::string Backward(Iterator* it) {
    std::string out;
    for (it->SeekToLast(); it->Valid(); it->Prev()) out += UserKey(*it) + " ";
    return out;
  }

  InternalKeyComparator icmp_{BytewiseComparator()};
  FileList files_;
  std::map<uint64_t, Entries> tables_;
  std::vector<uint64_t> opened_;  // file numbers, in the order the level opened them
  uint64_t missing_ = 0;          // this file "fails to open"
};

TEST_F(LevelIteratorTest, FileListKeysAreLargestKeysAndValuesNameTheFile) {
  auto it = NewFileListIterator(&icmp_, files_);
  EXPECT_FALSE(it->Valid());
  std::string out;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    uint64_t number = 0, size = 0;
    ASSERT_EQ(kFileValueSize, it->value().size());
    ASSERT_TRUE(DecodeFileValue(it->value(), &number, &size));
    out += fmt::format("{}:#{}/{} ", UserKey(*it), number, size);
  }
  EXPECT_EQ("c:#4/1004 h:#9/1009 p:#12/1012 ", out);
  EXPECT_TRUE(it->status().ok());
  it->SeekToLast();
  EXPECT_EQ("p", UserKey(*it));
  it->Prev();
  it->Prev();
  EXPECT_EQ("c", UserKey(*it));
  it->Prev();
  EXPECT_FALSE(it->Valid());  // before the first file

  uint64_t number = 0, size = 0;
  EXPECT_FALSE(DecodeFileValue("short", &number, &size));
}

TEST_F(LevelIteratorTest, FileListSeekLandsOnTheFirstFileThatCanHoldTheKey) {
  auto it = NewFileListIterator(&icmp_, files_);
  const auto seek = [&](std::string_view user_key) -> std::string {
    it->Seek(IKey(user_key, kMaxSequenceNumber, kValueTypeForSeek));
    return it->Valid() ? UserKey(*it) : "END";
  };
  EXPECT_EQ("c", seek(""));   // before every file
  EXPECT_EQ("c", seek("c"));  // a file's largest key
  EXPECT_EQ("h", seek("d"));  // in the gap between #4 and #9
  EXPECT_EQ("p", seek("p"));
  EXPECT_EQ("END", seek("q"));  // past the last file
}

TEST_F(LevelIteratorTest, FileListOfNoFilesIsNeverValid) {
  const FileList none;
  auto it = NewFileListIterator(&icmp_, none);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->Seek(IKey("a", 1, ValueType::kValue));
  EXPECT_FALSE(it->Valid());
}

TEST_F(LevelIteratorTest, WalksEveryFileInBothDirections) {
  auto it = Level();
  EXPECT_EQ("a b c g h p ", Forward(it.get()));
  EXPECT_EQ("p h g c b a ", Backward(it.get()));
  EXPECT_TRUE(it->status().ok());
}

TEST_F(LevelIteratorTest, SeekOpensOnlyTheFileThatCanHoldTheKey) {
  auto it = Level();
  it->Seek(IKey("e", kMaxSequenceNumber, kValueTypeForSeek));
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("g", UserKey(*it));
  EXPECT_EQ("g@9", it->value());
  EXPECT_EQ(std::vector<uint64_t>{9}, opened_);
  it->Next();
  it->Next();  // off the end of #9: #12 opens
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("p", UserKey(*it));
  EXPECT_EQ((std::vector<uint64_t>{9, 12}), opened_);
  it->Seek(IKey("z", kMaxSequenceNumber, kValueTypeForSeek));
  EXPECT_FALSE(it->Valid());  // seek past the end
}

TEST_F(LevelIteratorTest, EmptyTableIsSkipped) {
  tables_[9].clear();  // #9's keys have all gone (its range still says g..h)
  auto it = Level();
  EXPECT_EQ("a b c p ", Forward(it.get()));
  EXPECT_EQ("p c b a ", Backward(it.get()));
}

TEST_F(LevelIteratorTest, TableThatFailsToOpenEndsTheWalkWithItsError) {
  missing_ = 9;
  auto it = Level();
  EXPECT_EQ("a b c ", Forward(it.get()));
  EXPECT_TRUE(it->status().IsIOError()) << it->status().ToString();
  EXPECT_EQ("p ", Backward(it.get()));
  EXPECT_TRUE(it->status().IsIOError()) << it->status().ToString();
}

}  // namespace
}  // namespace lsm
