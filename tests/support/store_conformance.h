// The store conformance suite: the behaviour every step's store must have, run unchanged on
// each of them (step 1's MemoryStore, step 2's DurableStore, ...).
//
// To run it on a store, define a traits type and instantiate:
//   struct MemoryStoreTraits {
//     using Store = MemoryStore;
//     static std::unique_ptr<Store> Open(const std::filesystem::path& dir);  // dir is empty
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Step1, StoreConformanceTest, MemoryStoreTraits);
// Scan tests run only when the store satisfies OrderedKvStore.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/random.h"
#include "common/store.h"
#include "tests/support/store_get.h"
#include "tests/support/temp_dir.h"

namespace lsm::testutil {

template <typename Traits>
class StoreConformanceTest : public ::testing::Test {
 protected:
  using Store = typename Traits::Store;
  StoreConformanceTest() : store_(Traits::Open(dir_.path())) {}

  std::string Get(std::string_view key) { return GetAsString(*store_, key); }

  // All live pairs in [from, to), as the store's Scan reports them.
  std::map<std::string, std::string> ScanAll(std::string_view from = "",
                                             std::string_view to = "") {
    std::map<std::string, std::string> out;
    std::string last;
    bool first = true;
    Status s = store_->Scan(from, to, [&](std::string_view k, std::string_view v) {
      EXPECT_TRUE(first || std::string(k) > last) << "scan out of order at " << k;
      first = false;
      last = k;
      out.emplace(k, v);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE_P(StoreConformanceTest);

TYPED_TEST_P(StoreConformanceTest, PutThenGet) {
  ASSERT_TRUE(this->store_->Put("apple", "red").ok());
  EXPECT_EQ("red", this->Get("apple"));
  EXPECT_EQ("NOT_FOUND", this->Get("apples"));
  EXPECT_EQ("NOT_FOUND", this->Get("appl"));
}

TYPED_TEST_P(StoreConformanceTest, OverwriteKeepsNewest) {
  ASSERT_TRUE(this->store_->Put("k", "v1").ok());
  ASSERT_TRUE(this->store_->Put("k", "v2").ok());
  EXPECT_EQ("v2", this->Get("k"));
}

TYPED_TEST_P(StoreConformanceTest, DeleteRemovesAndMissingDeleteIsOk) {
  ASSERT_TRUE(this->store_->Put("k", "v").ok());
  ASSERT_TRUE(this->store_->Delete("k").ok());
  EXPECT_EQ("NOT_FOUND", this->Get("k"));
  EXPECT_TRUE(this->store_->Delete("never-there").ok());
  ASSERT_TRUE(this->store_->Put("k", "again").ok());
  EXPECT_EQ("again", this->Get("k"));
}

TYPED_TEST_P(StoreConformanceTest, EmptyKeyAndEmptyValue) {
  ASSERT_TRUE(this->store_->Put("", "empty key").ok());
  ASSERT_TRUE(this->store_->Put("empty value", "").ok());
  EXPECT_EQ("empty key", this->Get(""));
  EXPECT_EQ("", this->Get("empty value"));
}

TYPED_TEST_P(StoreConformanceTest, BinaryKeysWithNulBytes) {
  const std::string a("a\0b", 3), b("a\0c", 3), c("\xff\x00", 2);
  ASSERT_TRUE(this->store_->Put(a, std::string("x\0y", 3)).ok());
  ASSERT_TRUE(this->store_->Put(b, "2").ok());
  ASSERT_TRUE(this->store_->Put(c, "3").ok());
  EXPECT_EQ(std::string("x\0y", 3), this->Get(a));
  EXPECT_EQ("2", this->Get(b));
  EXPECT_EQ("3", this->Get(c));
  EXPECT_EQ("NOT_FOUND", this->Get("a"));
}

TYPED_TEST_P(StoreConformanceTest, OneMebibyteValue) {
  Random rnd(7);
  const std::string big = rnd.Bytes(1 << 20);
  ASSERT_TRUE(this->store_->Put("big", big).ok());
  EXPECT_EQ(big, this->Get("big"));
}

TYPED_TEST_P(StoreConformanceTest, ScanIsOrderedAndBounded) {
  if constexpr (OrderedKvStore<typename TypeParam::Store>) {
    for (const char* k : {"d", "b", "a", "c", "e"}) ASSERT_TRUE(this->store_->Put(k, k).ok());
    ASSERT_TRUE(this->store_->Delete("c").ok());
    auto all = this->ScanAll();
    EXPECT_EQ((std::map<std::string, std::string>{
                  {"a", "a"}, {"b", "b"}, {"d", "d"}, {"e", "e"}}),
              all);
    auto some = this->ScanAll("b", "e");
    EXPECT_EQ((std::map<std::string, std::string>{{"b", "b"}, {"d", "d"}}), some);
    int calls = 0;
    ASSERT_TRUE(this->store_->Scan("", "", [&](auto, auto) { return ++calls < 2; }).ok());
    EXPECT_EQ(2, calls);  // stopping early works
  } else {
    GTEST_SKIP() << "store is not ordered";
  }
}

// Random puts, deletes and gets against std::map as the model. Fixed seeds, printed on failure.
TYPED_TEST_P(StoreConformanceTest, RandomizedAgainstStdMap) {
  for (uint64_t seed : {1u, 2u, 301u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    this->store_.reset();
    TempDir dir;
    this->store_ = TypeParam::Open(dir.path());
    std::map<std::string, std::string> model;
    Random rnd(seed);
    for (int i = 0; i < 3000; ++i) {
      std::string key = "k" + std::to_string(rnd.Uniform(300));
      switch (rnd.Uniform(10)) {
        case 0: case 1: case 2: case 3: {
          std::string value = rnd.Bytes(rnd.Skewed(8));
          ASSERT_TRUE(this->store_->Put(key, value).ok());
          model[key] = value;
          break;
        }
        case 4: case 5:
          ASSERT_TRUE(this->store_->Delete(key).ok());
          model.erase(key);
          break;
        default: {
          auto it = model.find(key);
          ASSERT_EQ(it == model.end() ? "NOT_FOUND" : it->second, this->Get(key))
              << "op " << i << " key " << key;
        }
      }
    }
    if constexpr (OrderedKvStore<typename TypeParam::Store>) {
      ASSERT_EQ(model, this->ScanAll());
    }
    this->store_.reset();  // close before dir is removed
  }
}

REGISTER_TYPED_TEST_SUITE_P(StoreConformanceTest, PutThenGet, OverwriteKeepsNewest,
                            DeleteRemovesAndMissingDeleteIsOk, EmptyKeyAndEmptyValue,
                            BinaryKeysWithNulBytes, OneMebibyteValue, ScanIsOrderedAndBounded,
                            RandomizedAgainstStdMap);

}  // namespace lsm::testutil
