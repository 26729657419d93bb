// A small table with every byte flipped and cut at every length: each read either fails with
// a non-OK status or returns exactly the right data — never a crash, never a wrong value.
#include <map>

#include <gtest/gtest.h>

#include "common/random.h"
#include "tests/step4/table_test_util.h"

namespace lsm {
namespace {

using Model = std::map<std::string, std::string>;

class TableCorruptionTest : public testing::Test {
 protected:
  TableCorruptionTest() : bloom_(NewBloomFilterPolicy(10)) {
    // ~60 entries in 4 data blocks with a filter: every kind of block, about 1.3 KB.
    for (int i = 0; i < 60; ++i) model_[MakeKey(i * 3)] = fmt::format("value{}", i);
    options_ = TableOptions{.block_size = 256, .filter_policy = bloom_.get()};
    good_ = testutil::BuildTable(options_, model_);
  }

  // Reads everything from `file`; returns "ok" when all was read correctly, "error" when a
  // read reported a problem, and fails the test on a wrong answer.
  std::string Check(const std::string& file, const std::string& what) {
    std::unique_ptr<TableReader> table;
    if (!testutil::OpenTable(options_, file, &table).ok()) return "error";
    bool error = false;
    for (int i = 0; i < 180; ++i) {  // present and absent keys
      std::string v;
      Status s = table->Get(MakeKey(i), &v);
      auto it = model_.find(MakeKey(i));
      if (s.ok()) {
        EXPECT_TRUE(it != model_.end() && it->second == v) << what << " key " << i;
      } else if (s.IsNotFound()) {
        // A lost key is only acceptable if the corruption went undetected in the filter path;
        // a flipped data byte is caught by the checksum, so a present key must not vanish.
        EXPECT_TRUE(it == model_.end()) << what << " lost key " << i;
      } else {
        error = true;
      }
    }
    Model scanned;
    auto it = table->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto m = model_.find(std::string(it->key()));
      EXPECT_TRUE(m != model_.end() && m->second == it->value()) << what << " scan";
      scanned.emplace(it->key(), it->value());
    }
    if (!it->status().ok()) error = true;
    if (!error) {
      EXPECT_EQ(model_, scanned) << what;
    }
    return error ? "error" : "ok";
  }

  std::unique_ptr<const FilterPolicy> bloom_;
  TableOptions options_;
  Model model_;
  std::string good_;
};

TEST_F(TableCorruptionTest, IntactTableReadsFully) { EXPECT_EQ("ok", Check(good_, "intact")); }

TEST_F(TableCorruptionTest, FlipEveryByte) {
  ASSERT_LT(good_.size(), 2000u);
  int errors = 0;
  for (size_t i = 0; i < good_.size(); ++i) {
    std::string bad = good_;
    bad[i] = static_cast<char>(bad[i] ^ 0x41);
    errors += Check(bad, fmt::format("flip at {}", i)) == "error";
  }
  // Only the footer padding and filter bits can change without a detectable error.
  EXPECT_GT(errors, static_cast<int>(good_.size()) / 2);
}

TEST_F(TableCorruptionTest, TruncateAtEveryLength) {
  for (size_t len = 0; len < good_.size(); ++len) {
    std::unique_ptr<TableReader> table;
    Status s = testutil::OpenTable(options_, good_.substr(0, len), &table);
    EXPECT_FALSE(s.ok()) << "length " << len;  // the footer is gone or misplaced
  }
}

TEST_F(TableCorruptionTest, ErrorsNameTheFileAndOffset) {
  std::string bad = good_;
  bad[5] ^= 1;  // inside data block 0
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(testutil::OpenTable(options_, bad, &table).ok());
  std::string v;
  Status s = table->Get(MakeKey(0), &v);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ("Corruption: mem.ldb: block checksum mismatch at offset 0", s.ToString());
  std::unique_ptr<TableReader> t2;
  s = testutil::OpenTable(options_, good_.substr(0, 20), &t2);
  EXPECT_EQ("Corruption: mem.ldb: file is too short (20 bytes) to be an sstable", s.ToString());
}

}  // namespace
}  // namespace lsm
