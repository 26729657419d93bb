// MemTable: versions and tombstones read at many snapshots against a model, the iterator's
// internal-key order, and memory accounting.
#include "step3_memtable/memtable.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/hexdump.h"
#include "common/random.h"
#include "tests/step3/key_test_util.h"

namespace lsm {
namespace {

using testutil::IKey;

class MemTableTest : public ::testing::Test {
 protected:
  // "v" for a value, "DELETED" for a tombstone, "ABSENT" when the memtable has nothing.
  std::string Get(std::string_view key, SequenceNumber snapshot) {
    std::string value;
    Status s = Status::Corruption("untouched");
    if (!mem_->Get(LookupKey(key, snapshot), &value, &s)) {
      EXPECT_TRUE(s.IsCorruption()) << "a miss must leave *s untouched";
      return "ABSENT";
    }
    if (s.IsNotFound()) return "DELETED";
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }

  // All entries as "user_key@seq:type=value", in iterator order.
  std::vector<std::string> Contents() {
    std::vector<std::string> out;
    auto it = mem_->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ParsedInternalKey p;
      EXPECT_TRUE(ParseInternalKey(it->key(), &p));
      out.push_back(fmt::format("{}@{}:{}={}", p.user_key, p.sequence,
                                p.type == ValueType::kValue ? "put" : "del", it->value()));
    }
    EXPECT_TRUE(it->status().ok());
    return out;
  }

  InternalKeyComparator icmp_{BytewiseComparator()};
  std::shared_ptr<MemTable> mem_ = std::make_shared<MemTable>(icmp_);
};

TEST_F(MemTableTest, EmptyMemTable) {
  EXPECT_EQ("ABSENT", Get("k", kMaxSequenceNumber));
  auto it = mem_->NewIterator();
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->Seek(IKey("a", 1, ValueType::kValue));
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST_F(MemTableTest, NumEntriesCountsEveryAddIncludingTombstones) {
  EXPECT_EQ(0u, mem_->num_entries());
  mem_->Add(1, ValueType::kValue, "k", "v1");
  mem_->Add(2, ValueType::kDeletion, "k", std::string_view());  // empty view: data() is null
  mem_->Add(3, ValueType::kValue, "", "");
  EXPECT_EQ(3u, mem_->num_entries());
  EXPECT_EQ("DELETED", Get("k", 2));
  EXPECT_EQ("", Get("", 3));
}

TEST_F(MemTableTest, TombstoneShadowsOlderValue) {
  mem_->Add(1, ValueType::kValue, "k", "v1");
  mem_->Add(2, ValueType::kValue, "k", "v2");
  mem_->Add(3, ValueType::kDeletion, "k", "");
  mem_->Add(4, ValueType::kValue, "k", "v4");
  EXPECT_EQ("ABSENT", Get("k", 0));  // before the first write
  EXPECT_EQ("v1", Get("k", 1));
  EXPECT_EQ("v2", Get("k", 2));
  EXPECT_EQ("DELETED", Get("k", 3));
  EXPECT_EQ("v4", Get("k", 4));
  EXPECT_EQ("v4", Get("k", kMaxSequenceNumber));
  EXPECT_EQ("ABSENT", Get("j", 10));  // a neighbour key is not confused with k
  EXPECT_EQ("ABSENT", Get("kk", 10));
  EXPECT_EQ("ABSENT", Get("", 10));
}

TEST_F(MemTableTest, IteratorYieldsInternalKeysNewestFirst) {
  mem_->Add(3, ValueType::kValue, "b", "b3");
  mem_->Add(1, ValueType::kValue, "a", "a1");
  mem_->Add(5, ValueType::kDeletion, "a", "");
  mem_->Add(2, ValueType::kValue, "c", "c2");
  mem_->Add(4, ValueType::kValue, "a", "a4");
  EXPECT_EQ((std::vector<std::string>{"a@5:del=", "a@4:put=a4", "a@1:put=a1", "b@3:put=b3",
                                      "c@2:put=c2"}),
            Contents());
}

TEST_F(MemTableTest, IteratorKeyIsTheExactInternalKey) {
  mem_->Add(5, ValueType::kValue, "abc", "xy");
  auto it = mem_->NewIterator();
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("61 62 63 01 05 00 00 00 00 00 00", HexBytes(it->key()));
  EXPECT_EQ("xy", it->value());
}

TEST_F(MemTableTest, IteratorSeekAndPrev) {
  for (int i = 0; i < 10; ++i) mem_->Add(i + 1, ValueType::kValue, fmt::format("k{}", i), "v");
  auto it = mem_->NewIterator();
  // Seek with a lookup key: the newest version of k5 visible at snapshot 100.
  LookupKey lk("k5", 100);
  it->Seek(lk.internal_key());
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("k5", ExtractUserKey(it->key()));
  it->Prev();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("k4", ExtractUserKey(it->key()));
  // At snapshot 3, k5 (sequence 6) is not visible: the seek passes it and lands on k6.
  LookupKey old("k5", 3);
  it->Seek(old.internal_key());
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("k6", ExtractUserKey(it->key()));
  it->SeekToLast();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("k9", ExtractUserKey(it->key()));
  it->Next();
  EXPECT_FALSE(it->Valid());
  it->Seek(IKey("z", 1, ValueType::kValue));
  EXPECT_FALSE(it->Valid());  // seek past the end
}

TEST_F(MemTableTest, BinaryKeysEmptyKeyAndBigValues) {
  const std::string nul_key("a\0b", 3);
  const std::string big(100000, 'x');  // larger than an arena block
  mem_->Add(1, ValueType::kValue, nul_key, std::string("\0\xff", 2));
  mem_->Add(2, ValueType::kValue, "", "empty key");
  mem_->Add(3, ValueType::kValue, "big", big);
  EXPECT_EQ(std::string("\0\xff", 2), Get(nul_key, 10));
  EXPECT_EQ("ABSENT", Get("a", 10));
  EXPECT_EQ("empty key", Get("", 10));
  EXPECT_EQ(big, Get("big", 10));
  EXPECT_GE(mem_->ApproximateMemoryUsage(), big.size());
}

// The core property: random puts and deletes over a few keys; then EVERY snapshot sequence is
// read back for every key and compared with a model that keeps all versions.
TEST_F(MemTableTest, VersionsAtEverySnapshotMatchModel) {
  for (uint64_t seed : {1u, 2u, 301u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    mem_ = std::make_shared<MemTable>(icmp_);
    Random rnd(seed);
    // model[key][seq] = value, or nullopt-as-"DELETED".
    std::map<std::string, std::map<SequenceNumber, std::string>> model;
    constexpr int kOps = 600;
    SequenceNumber seq = rnd.Uniform(1000);  // start anywhere
    const SequenceNumber first = seq + 1;
    for (int i = 0; i < kOps; ++i) {
      ++seq;
      const std::string key = "key" + std::to_string(rnd.Uniform(20));
      if (rnd.OneIn(3)) {
        mem_->Add(seq, ValueType::kDeletion, key, "");
        model[key][seq] = "DELETED";
      } else {
        std::string value = rnd.Bytes(rnd.Skewed(6));
        mem_->Add(seq, ValueType::kValue, key, value);
        model[key][seq] = value;
      }
    }
    for (SequenceNumber snap = first - 1; snap <= seq + 1; ++snap) {
      for (int k = 0; k < 21; ++k) {  // key20 is never written
        const std::string key = "key" + std::to_string(k);
        std::string expected = "ABSENT";
        auto versions = model.find(key);
        if (versions != model.end()) {
          auto v = versions->second.upper_bound(snap);  // first version newer than snap
          if (v != versions->second.begin()) expected = std::prev(v)->second;
        }
        ASSERT_EQ(expected, Get(key, snap)) << key << " at snapshot " << snap;
      }
    }
    // And the iterator walks all kOps entries in internal-key order, both directions.
    std::vector<std::string> forward;
    auto it = mem_->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) forward.emplace_back(it->key());
    ASSERT_EQ(static_cast<size_t>(kOps), forward.size());
    for (size_t i = 1; i < forward.size(); ++i) {
      ASSERT_LT(icmp_.Compare(forward[i - 1], forward[i]), 0) << "entry " << i;
    }
    std::vector<std::string> backward;
    for (it->SeekToLast(); it->Valid(); it->Prev()) backward.emplace_back(it->key());
    std::reverse(backward.begin(), backward.end());
    ASSERT_EQ(forward, backward);
  }
}

TEST_F(MemTableTest, MemoryUsageGrowsWithInserts) {
  const size_t empty = mem_->ApproximateMemoryUsage();
  size_t last = empty;
  ValueGenerator values(301);
  for (int i = 0; i < 2000; ++i) {
    mem_->Add(i + 1, ValueType::kValue, MakeKey(i), values.Next(100));
    const size_t now = mem_->ApproximateMemoryUsage();
    ASSERT_GE(now, last);
    last = now;
  }
  // 2000 entries of ~16 + 8 + 100 bytes plus their nodes.
  EXPECT_GE(last - empty, 2000u * 124);
  EXPECT_LE(last - empty, 2000u * 250);
}

TEST_F(MemTableTest, IteratorCanPinASharedMemTable) {
  mem_->Add(1, ValueType::kValue, "k", "v");
  std::shared_ptr<const MemTable> frozen = std::move(mem_);
  auto it = frozen->NewIterator();
  it->RegisterCleanup([pin = frozen] {});
  std::weak_ptr<const MemTable> watch = frozen;
  frozen.reset();  // the iterator alone keeps it alive now
  EXPECT_FALSE(watch.expired());
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("v", it->value());
  it.reset();
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace lsm
