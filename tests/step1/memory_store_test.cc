#include "step1_memory/memory_store.h"

#include <gtest/gtest.h>

#include "tests/support/store_conformance.h"

namespace lsm {
namespace {

struct MemoryStoreTraits {
  using Store = MemoryStore;
  static std::unique_ptr<Store> Open(const std::filesystem::path&) {
    return std::make_unique<MemoryStore>();
  }
};

TEST(MemoryStore, SizeAndBytesTrackContents) {
  MemoryStore store;
  EXPECT_EQ(0u, store.size());
  ASSERT_TRUE(store.Put("ab", "cde").ok());
  EXPECT_EQ(1u, store.size());
  EXPECT_EQ(5u, store.ApproximateBytes());
  ASSERT_TRUE(store.Put("ab", "c").ok());  // overwrite shrinks the value
  EXPECT_EQ(3u, store.ApproximateBytes());
  ASSERT_TRUE(store.Delete("ab").ok());
  EXPECT_EQ(0u, store.size());
  EXPECT_EQ(0u, store.ApproximateBytes());
}

TEST(MemoryStore, ScanOfEmptyStoreCallsNothing) {
  MemoryStore store;
  int calls = 0;
  ASSERT_TRUE(store.Scan("", "", [&](auto, auto) { return ++calls > 0; }).ok());
  EXPECT_EQ(0, calls);
}

TEST(MemoryStore, ScanOrderIsUnsignedBytewise) {
  MemoryStore store;
  ASSERT_TRUE(store.Put("\xff", "high").ok());
  ASSERT_TRUE(store.Put("\x01", "low").ok());
  ASSERT_TRUE(store.Put("a", "mid").ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(store.Scan("", "", [&](std::string_view k, auto) {
    keys.emplace_back(k);
    return true;
  }).ok());
  EXPECT_EQ((std::vector<std::string>{"\x01", "a", "\xff"}), keys);
}

TEST(MemoryStore, ClearEmptiesEverything) {
  MemoryStore store;
  ASSERT_TRUE(store.Put("a", "1").ok());
  store.Clear();
  std::string v;
  EXPECT_TRUE(store.Get("a", &v).IsNotFound());
}

}  // namespace

namespace testutil {
INSTANTIATE_TYPED_TEST_SUITE_P(Step1, StoreConformanceTest, MemoryStoreTraits);
}  // namespace testutil
}  // namespace lsm
