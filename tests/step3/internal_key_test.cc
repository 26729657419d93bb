// Internal keys: the exact bytes (golden), the order, parsing, and the separator tricks tables
// use for their index keys.
#include "step3_memtable/internal_key.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/hexdump.h"
#include "tests/step3/key_test_util.h"

namespace lsm {
namespace {

using testutil::IKey;

const InternalKeyComparator& Icmp() {
  static const InternalKeyComparator icmp(BytewiseComparator());
  return icmp;
}

std::string Shorten(const std::string& start, const std::string& limit) {
  std::string s = start;
  Icmp().FindShortestSeparator(&s, limit);
  return s;
}

std::string Successor(const std::string& key) {
  std::string s = key;
  Icmp().FindShortSuccessor(&s);
  return s;
}

TEST(InternalKey, GoldenBytesOfAValue) {
  // tag = (5 << 8) | 1 = 0x0501, stored little-endian after the user key.
  EXPECT_EQ("61 62 63 01 05 00 00 00 00 00 00", HexBytes(IKey("abc", 5, ValueType::kValue)));
}

TEST(InternalKey, GoldenBytesOfADeletion) {
  EXPECT_EQ("6b 00 01 00 00 00 00 00 00", HexBytes(IKey("k", 1, ValueType::kDeletion)));
}

TEST(InternalKey, GoldenBytesOfLargeSequences) {
  // 0x0102030405 << 8 | 1: each byte of the sequence moves one place up.
  EXPECT_EQ("78 01 05 04 03 02 01 00 00",
            HexBytes(IKey("x", 0x0102030405ull, ValueType::kValue)));
  EXPECT_EQ("01 ff ff ff ff ff ff ff", HexBytes(IKey("", kMaxSequenceNumber, ValueType::kValue)));
}

TEST(InternalKey, LookupKeyLayout) {
  LookupKey lk("abc", 7);
  // varint32(3 + 8) = 0x0b, then the internal key with tag (7 << 8) | kValueTypeForSeek.
  EXPECT_EQ("0b 61 62 63 01 07 00 00 00 00 00 00", HexBytes(lk.memtable_key()));
  EXPECT_EQ(IKey("abc", 7, ValueType::kValue), lk.internal_key());
  EXPECT_EQ("abc", lk.user_key());
}

TEST(InternalKey, LookupKeyForLongKeyUsesTheHeap) {
  const std::string user(1000, 'z');  // longer than the inline buffer
  LookupKey lk(user, 42);
  EXPECT_EQ(user, lk.user_key());
  EXPECT_EQ(IKey(user, 42, ValueType::kValue), lk.internal_key());
  // varint32(1008) takes two bytes: 0xf0 0x07.
  EXPECT_EQ("f0 07", HexBytes(lk.memtable_key().substr(0, 2)));
}

TEST(InternalKey, ParseRoundTrip) {
  for (std::string_view user : {std::string_view(""), std::string_view("k"),
                                std::string_view("\x00\xff", 2)}) {
    for (SequenceNumber seq : {SequenceNumber{0}, SequenceNumber{1}, SequenceNumber{255},
                               SequenceNumber{256}, kMaxSequenceNumber}) {
      for (ValueType t : {ValueType::kValue, ValueType::kDeletion}) {
        const std::string ikey = IKey(user, seq, t);
        ParsedInternalKey parsed;
        ASSERT_TRUE(ParseInternalKey(ikey, &parsed));
        EXPECT_EQ(user, parsed.user_key);
        EXPECT_EQ(seq, parsed.sequence);
        EXPECT_EQ(t, parsed.type);
        EXPECT_EQ(user, ExtractUserKey(ikey));
      }
    }
  }
}

TEST(InternalKey, ParseRejectsShortKeysAndUnknownTypes) {
  ParsedInternalKey parsed;
  EXPECT_FALSE(ParseInternalKey("", &parsed));
  EXPECT_FALSE(ParseInternalKey("1234567", &parsed));  // 7 bytes: no room for a tag
  std::string bad = IKey("k", 3, ValueType::kValue);
  bad[1] = 2;  // the type byte
  EXPECT_FALSE(ParseInternalKey(bad, &parsed));
  InternalKey owned;
  EXPECT_FALSE(owned.DecodeFrom(bad));
  EXPECT_TRUE(owned.DecodeFrom(IKey("k", 3, ValueType::kValue)));
  EXPECT_EQ("'k' @ 3 : val", owned.DebugString());
}

TEST(InternalKeyComparator, UserKeyAscendingThenSequenceDescending) {
  // Written in the order the comparator must put them.
  const std::vector<std::string> sorted = {
      IKey("", 1, ValueType::kValue),
      IKey("a", kMaxSequenceNumber, ValueType::kValue),
      IKey("a", 9, ValueType::kValue),
      IKey("a", 5, ValueType::kValue),     // same sequence: the value (type 1) sorts first...
      IKey("a", 5, ValueType::kDeletion),  // ...because the whole tag is compared descending
      IKey("a", 0, ValueType::kValue),
      IKey(std::string("a\0", 2), 100, ValueType::kValue),  // "a" + NUL > "a"
      IKey("ab", 100, ValueType::kValue),
      IKey("b", 1, ValueType::kValue),
      IKey("\xff", 1, ValueType::kValue),  // unsigned: 0xff is the largest byte
  };
  for (size_t i = 0; i < sorted.size(); ++i) {
    for (size_t j = 0; j < sorted.size(); ++j) {
      const int c = Icmp().Compare(sorted[i], sorted[j]);
      SCOPED_TRACE(::testing::Message() << "i=" << i << " j=" << j);
      if (i < j) {
        EXPECT_LT(c, 0);
      } else if (i == j) {
        EXPECT_EQ(c, 0);
      } else {
        EXPECT_GT(c, 0);
      }
    }
  }
  EXPECT_STREQ("leveldb.InternalKeyComparator", Icmp().Name());
}

TEST(InternalKeyComparator, LookupKeySortsBeforeVisibleVersions) {
  // A lookup at snapshot 5 sorts after versions 9 and 6 and before 5, 4, ...
  LookupKey lk("k", 5);
  EXPECT_GT(Icmp().Compare(lk.internal_key(), IKey("k", 6, ValueType::kValue)), 0);
  EXPECT_GT(Icmp().Compare(lk.internal_key(), IKey("k", 6, ValueType::kDeletion)), 0);
  EXPECT_EQ(Icmp().Compare(lk.internal_key(), IKey("k", 5, ValueType::kValue)), 0);
  EXPECT_LT(Icmp().Compare(lk.internal_key(), IKey("k", 5, ValueType::kDeletion)), 0);
  EXPECT_LT(Icmp().Compare(lk.internal_key(), IKey("k", 4, ValueType::kValue)), 0);
}

// The separator cases of FORMATS.md ("Index block"), as LevelDB computes them.
TEST(InternalKeyComparator, ShortestSeparator) {
  const std::string foo100 = IKey("foo", 100, ValueType::kValue);
  // Same user key: no shortening possible.
  EXPECT_EQ(foo100, Shorten(foo100, IKey("foo", 99, ValueType::kValue)));
  EXPECT_EQ(foo100, Shorten(foo100, IKey("foo", 101, ValueType::kValue)));
  EXPECT_EQ(foo100, Shorten(foo100, IKey("foo", 100, ValueType::kDeletion)));
  // Misordered user keys: unchanged.
  EXPECT_EQ(foo100, Shorten(foo100, IKey("bar", 99, ValueType::kValue)));
  // Shortened: the user key becomes "g" and gets the earliest tag for it.
  EXPECT_EQ(IKey("g", kMaxSequenceNumber, ValueType::kValue),
            Shorten(foo100, IKey("hello", 200, ValueType::kValue)));
  // One user key is a prefix of the other: unchanged.
  EXPECT_EQ(foo100, Shorten(foo100, IKey("foobar", 200, ValueType::kValue)));
  const std::string foobar100 = IKey("foobar", 100, ValueType::kValue);
  EXPECT_EQ(foobar100, Shorten(foobar100, IKey("foo", 200, ValueType::kValue)));
}

TEST(InternalKeyComparator, ShortSuccessor) {
  EXPECT_EQ(IKey("g", kMaxSequenceNumber, ValueType::kValue),
            Successor(IKey("foo", 100, ValueType::kValue)));
  const std::string all_ff = IKey("\xff\xff", 100, ValueType::kValue);
  EXPECT_EQ(all_ff, Successor(all_ff));
}

TEST(InternalKeyComparator, SeparatorIsBetweenItsInputs) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abcdef", "abzzz"}, {"a", "c"}, {"a\xfe", "b"}, {"0000000000000042", "0000000000000099"},
      {"k1", "k10"},
  };
  for (const auto& [a, b] : cases) {
    const std::string start = IKey(a, 7, ValueType::kValue);
    const std::string limit = IKey(b, 3, ValueType::kValue);
    const std::string sep = Shorten(start, limit);
    SCOPED_TRACE(a + " | " + b);
    EXPECT_LE(Icmp().Compare(start, sep), 0);
    EXPECT_LT(Icmp().Compare(sep, limit), 0);
    EXPECT_LE(sep.size(), start.size());
  }
}

}  // namespace
}  // namespace lsm
