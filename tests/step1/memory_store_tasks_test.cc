// MemoryStore's Put seen through size() and ApproximateBytes() alone (no Get), and Get into a
// string that already holds something. (Exercise mode judges step1.put by the first, before
// step1.get is written.)
#include "step1_memory/memory_store.h"

#include <string>

#include <gtest/gtest.h>

namespace lsm {
namespace {

// An overwrite gives back the old value's bytes: three overwrites of different sizes find a
// Put that forgets to replace the value (the next overwrite subtracts the wrong size) or
// counts the key twice.
TEST(MemoryStorePut, CountsKeysAndBytesWithoutReadingBack) {
  MemoryStore store;
  ASSERT_TRUE(store.Put("ab", "cde").ok());
  EXPECT_EQ(1u, store.size());
  EXPECT_EQ(5u, store.ApproximateBytes());
  ASSERT_TRUE(store.Put("ab", "c").ok());
  EXPECT_EQ(1u, store.size());
  EXPECT_EQ(3u, store.ApproximateBytes());
  ASSERT_TRUE(store.Put("ab", "wxyz").ok());
  EXPECT_EQ(6u, store.ApproximateBytes());
  ASSERT_TRUE(store.Put("", "").ok());  // the empty key is a key
  EXPECT_EQ(2u, store.size());
  EXPECT_EQ(6u, store.ApproximateBytes());
  ASSERT_TRUE(store.Put("k", "v").ok());
  EXPECT_EQ(3u, store.size());
  EXPECT_EQ(8u, store.ApproximateBytes());
}

TEST(MemoryStoreGet, ReplacesWhatTheCallersStringHeld) {
  MemoryStore store;
  ASSERT_TRUE(store.Put("apple", "red").ok());
  std::string value = "stale contents";
  ASSERT_TRUE(store.Get("apple", &value).ok());
  EXPECT_EQ("red", value);
}

}  // namespace
}  // namespace lsm
