#include "step5_lsm/db_iter.h"

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step3_memtable/internal_key.h"
#include "tests/step5/vector_iterator.h"

namespace lsm {
namespace {

// Builds a DBIter at `snapshot` over internal entries given as (user key, seq, type, value).
class DBIterTest : public ::testing::Test {
 protected:
  void Add(std::string_view key, SequenceNumber seq, ValueType type, std::string_view value = "") {
    std::string ikey;
    AppendInternalKey(&ikey, key, seq, type);
    entries_.emplace_back(std::move(ikey), std::string(value));
  }
  std::unique_ptr<Iterator> Open(SequenceNumber snapshot) {
    auto sorted = entries_;
    std::sort(sorted.begin(), sorted.end(), [this](const auto& a, const auto& b) {
      return icmp_.Compare(a.first, b.first) < 0;
    });
    return NewDBIterator(BytewiseComparator(),
                         std::make_unique<testutil::VectorIterator>(&icmp_, std::move(sorted)),
                         snapshot);
  }
  static std::string Forward(Iterator* it) {
    std::string out;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out += fmt::format("{}={} ", it->key(), it->value());
    }
    return out;
  }
  static std::string Backward(Iterator* it) {
    std::string out;
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      out += fmt::format("{}={} ", it->key(), it->value());
    }
    return out;
  }

  InternalKeyComparator icmp_{BytewiseComparator()};
  std::vector<std::pair<std::string, std::string>> entries_;
};

// The example drawn in db_iter.h.
TEST_F(DBIterTest, HidesNewerShadowedAndDeleted) {
  Add("a", 9, ValueType::kValue, "x");
  Add("a", 6, ValueType::kValue, "y");
  Add("a", 2, ValueType::kValue, "z");
  Add("b", 7, ValueType::kDeletion);
  Add("b", 3, ValueType::kValue, "w");
  Add("c", 5, ValueType::kValue, "v");
  auto it = Open(8);
  EXPECT_EQ("a=y c=v ", Forward(it.get()));
  EXPECT_EQ("c=v a=y ", Backward(it.get()));
  it = Open(100);
  EXPECT_EQ("a=x c=v ", Forward(it.get()));
  it = Open(4);
  EXPECT_EQ("a=z b=w ", Forward(it.get()));
  EXPECT_EQ("b=w a=z ", Backward(it.get()));
  it = Open(1);
  EXPECT_EQ("", Forward(it.get()));
  EXPECT_EQ("", Backward(it.get()));
}

TEST_F(DBIterTest, SeekSkipsTombstonesAndLandsOnNextLiveKey) {
  Add("a", 1, ValueType::kValue, "1");
  Add("b", 3, ValueType::kDeletion);
  Add("b", 2, ValueType::kValue, "2");
  Add("c", 4, ValueType::kValue, "4");
  auto it = Open(10);
  it->Seek("b");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("c", it->key());
  it->Prev();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("a", it->key());
  it->Next();
  EXPECT_EQ("c", it->key());
  it->Next();
  EXPECT_FALSE(it->Valid());
  it->Seek("d");
  EXPECT_FALSE(it->Valid());
  it->Seek("");
  EXPECT_EQ("a", it->key());
}

TEST_F(DBIterTest, AllDeletedIsEmpty) {
  Add("a", 2, ValueType::kDeletion);
  Add("a", 1, ValueType::kValue, "old");
  auto it = Open(5);
  EXPECT_EQ("", Forward(it.get()));
  EXPECT_EQ("", Backward(it.get()));
}

TEST_F(DBIterTest, CorruptKeyIsSkippedAndReported) {
  Add("a", 1, ValueType::kValue, "1");
  entries_.emplace_back("bad", "x");  // shorter than a tag
  Add("c", 1, ValueType::kValue, "3");
  auto it = Open(5);
  Forward(it.get());
  EXPECT_TRUE(it->status().IsCorruption());
}

// Random histories: at each snapshot, the DBIter must equal the model's state at that time.
TEST_F(DBIterTest, RandomHistoriesMatchModelAtEverySnapshot) {
  for (uint64_t seed : {11u, 12u, 13u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    entries_.clear();
    Random rnd(seed);
    std::vector<std::map<std::string, std::string>> states(1);
    for (SequenceNumber seq = 1; seq <= 150; ++seq) {
      auto state = states.back();
      std::string key = "k" + std::to_string(rnd.Uniform(20));
      if (rnd.OneIn(3)) {
        Add(key, seq, ValueType::kDeletion);
        state.erase(key);
      } else {
        std::string v = std::to_string(seq);
        Add(key, seq, ValueType::kValue, v);
        state[key] = v;
      }
      states.push_back(std::move(state));
    }
    for (SequenceNumber snap : {0u, 1u, 7u, 50u, 149u, 150u}) {
      std::string expect_fwd, expect_bwd;
      for (const auto& [k, v] : states[snap]) expect_fwd += k + "=" + v + " ";
      for (auto it = states[snap].rbegin(); it != states[snap].rend(); ++it) {
        expect_bwd += it->first + "=" + it->second + " ";
      }
      auto it = Open(snap);
      EXPECT_EQ(expect_fwd, Forward(it.get())) << "snapshot " << snap;
      EXPECT_EQ(expect_bwd, Backward(it.get())) << "snapshot " << snap;
      // Zig-zag: Next then Prev returns to the same key.
      const auto& model = states[snap];
      for (int i = 0; i < 30 && !model.empty(); ++i) {
        std::string target = "k" + std::to_string(rnd.Uniform(20));
        it->Seek(target);
        auto m = model.lower_bound(target);
        ASSERT_EQ(m != model.end(), it->Valid());
        if (m == model.end()) continue;
        ASSERT_EQ(m->first, it->key());
        it->Prev();
        if (m == model.begin()) {
          ASSERT_FALSE(it->Valid());
          continue;
        }
        ASSERT_EQ(std::prev(m)->first, it->key());
        ASSERT_EQ(std::prev(m)->second, it->value());
        it->Next();
        ASSERT_TRUE(it->Valid());
        ASSERT_EQ(m->first, it->key());
      }
    }
  }
}

}  // namespace
}  // namespace lsm
