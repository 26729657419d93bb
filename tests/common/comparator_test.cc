#include "common/comparator.h"

#include <gtest/gtest.h>

namespace lsm {
namespace {

std::string Sep(std::string start, std::string_view limit) {
  BytewiseComparator()->FindShortestSeparator(&start, limit);
  return start;
}

std::string Succ(std::string key) {
  BytewiseComparator()->FindShortSuccessor(&key);
  return key;
}

TEST(BytewiseComparator, OrderIsUnsignedBytewise) {
  const Comparator* c = BytewiseComparator();
  EXPECT_LT(c->Compare("a", "b"), 0);
  EXPECT_LT(c->Compare("a", "ab"), 0);
  EXPECT_EQ(c->Compare("ab", "ab"), 0);
  EXPECT_LT(c->Compare("\x01", "\xff"), 0);  // 0xff sorts last, not as -1
  EXPECT_STREQ("leveldb.BytewiseComparator", c->Name());
}

TEST(BytewiseComparator, ShortestSeparator) {
  EXPECT_EQ("abd", Sep("abcdef", "abzzz"));
  EXPECT_EQ("abc", Sep("abc", "abcd"));          // prefix: unchanged
  EXPECT_EQ("abcd", Sep("abcd", "abc"));         // not less: unchanged
  EXPECT_EQ("abc1", Sep("abc1", "abc2"));        // bump would reach limit: unchanged
  EXPECT_EQ("a\xff" "1", Sep("a\xff" "1", "b")); // 0x61 + 1 == 'b': unchanged
  EXPECT_EQ("b", Sep("a123", "c"));
}

TEST(BytewiseComparator, ShortSuccessor) {
  EXPECT_EQ("b", Succ("abc"));
  EXPECT_EQ("\xff\xff" "b", Succ("\xff\xff" "abc"));
  EXPECT_EQ("\xff\xff", Succ("\xff\xff"));
  EXPECT_EQ("", Succ(""));
}

}  // namespace
}  // namespace lsm
