// MemTable::Add on its own, read back through the iterator only (no Get): the entry's
// encoding and the entry count. (Exercise mode judges step3.add by these, before step3.get.)
#include <string>

#include <gtest/gtest.h>

#include "step3_memtable/memtable.h"
#include "tests/step3/key_test_util.h"

namespace lsm {
namespace {

using testutil::IKey;

TEST(MemTableAdd, NumEntriesCountsEveryAddIncludingTombstones) {
  const InternalKeyComparator icmp(BytewiseComparator());
  MemTable mem(icmp);
  EXPECT_EQ(0u, mem.num_entries());
  mem.Add(1, ValueType::kValue, "k", "v1");
  EXPECT_EQ(1u, mem.num_entries());
  mem.Add(2, ValueType::kDeletion, "k", std::string_view());
  mem.Add(3, ValueType::kValue, "", "");
  EXPECT_EQ(3u, mem.num_entries());
}

// The iterator's key is the entry's length-prefixed internal key: if the prefix is not the
// user key size + 8, the key read back is cut short or runs into the value.
TEST(MemTableAdd, EntriesReadBackAsExactInternalKeysAndValues) {
  const InternalKeyComparator icmp(BytewiseComparator());
  MemTable mem(icmp);
  const std::string big(300, 'x');  // a two-byte varint32 length
  mem.Add(7, ValueType::kValue, "apple", "red");
  mem.Add(8, ValueType::kDeletion, "apple", std::string_view());
  mem.Add(9, ValueType::kValue, big, big + "!");
  auto it = mem.NewIterator();
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(IKey("apple", 8, ValueType::kDeletion), it->key());
  EXPECT_EQ("", it->value());
  it->Next();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(IKey("apple", 7, ValueType::kValue), it->key());
  EXPECT_EQ("red", it->value());
  it->Next();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(IKey(big, 9, ValueType::kValue), it->key());
  EXPECT_EQ(big + "!", it->value());
  it->Next();
  EXPECT_FALSE(it->Valid());
}

}  // namespace
}  // namespace lsm
