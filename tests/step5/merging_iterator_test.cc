#include "step5_lsm/merging_iterator.h"

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "common/random.h"
#include "tests/step5/vector_iterator.h"

namespace lsm {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

std::unique_ptr<Iterator> Merge(const std::vector<Entries>& children) {
  std::vector<std::unique_ptr<Iterator>> its;
  for (const auto& c : children) {
    its.push_back(std::make_unique<testutil::VectorIterator>(BytewiseComparator(), c));
  }
  return NewMergingIterator(BytewiseComparator(), std::move(its));
}

std::string Forward(Iterator* it) {
  std::string out;
  for (it->SeekToFirst(); it->Valid(); it->Next()) out += std::string(it->key()) + " ";
  return out;
}
std::string Backward(Iterator* it) {
  std::string out;
  for (it->SeekToLast(); it->Valid(); it->Prev()) out += std::string(it->key()) + " ";
  return out;
}

TEST(MergingIterator, EmptyAndSingle) {
  auto none = Merge({});
  none->SeekToFirst();
  EXPECT_FALSE(none->Valid());
  auto empties = Merge({{}, {}});
  empties->SeekToLast();
  EXPECT_FALSE(empties->Valid());
  auto one = Merge({{{"a", "1"}, {"b", "2"}}});
  EXPECT_EQ("a b ", Forward(one.get()));
}

TEST(MergingIterator, InterleavesBothDirections) {
  auto it = Merge({{{"a", "0"}, {"d", "0"}}, {{"b", "1"}, {"e", "1"}}, {{"c", "2"}, {"f", "2"}}});
  EXPECT_EQ("a b c d e f ", Forward(it.get()));
  EXPECT_EQ("f e d c b a ", Backward(it.get()));
  it->Seek("c");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("c", it->key());
  EXPECT_EQ("2", it->value());
  it->Seek("cc");
  EXPECT_EQ("d", it->key());
  it->Seek("g");
  EXPECT_FALSE(it->Valid());  // seek past the end
}

TEST(MergingIterator, DirectionChangesInTheMiddle) {
  auto it = Merge({{{"a", ""}, {"c", ""}, {"e", ""}}, {{"b", ""}, {"d", ""}, {"f", ""}}});
  it->Seek("c");
  it->Next();
  EXPECT_EQ("d", it->key());
  it->Prev();
  EXPECT_EQ("c", it->key());
  it->Prev();
  EXPECT_EQ("b", it->key());
  it->Next();
  EXPECT_EQ("c", it->key());
  it->SeekToLast();
  it->Prev();
  it->Next();
  EXPECT_EQ("f", it->key());
  it->SeekToFirst();
  it->Prev();
  EXPECT_FALSE(it->Valid());
}

TEST(MergingIterator, ReportsChildError) {
  std::vector<std::unique_ptr<Iterator>> its;
  its.push_back(std::make_unique<testutil::VectorIterator>(BytewiseComparator(), Entries{}));
  its.push_back(std::make_unique<testutil::VectorIterator>(
      BytewiseComparator(), Entries{}, Status::Corruption("bad block")));
  auto it = NewMergingIterator(BytewiseComparator(), std::move(its));
  it->SeekToFirst();
  EXPECT_TRUE(it->status().IsCorruption());
}

// Random children against a sorted model, with random walks mixing Next/Prev/Seek.
TEST(MergingIterator, RandomWalkMatchesModel) {
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    Random rnd(seed);
    std::map<std::string, std::string> model;
    std::vector<Entries> children(1 + rnd.Uniform(5));
    for (int i = 0; i < 200; ++i) {
      std::string k = "k" + std::to_string(rnd.Uniform(1000));
      if (model.count(k)) continue;  // distinct keys, like internal keys
      const size_t c = rnd.Uniform(children.size());
      model[k] = std::to_string(c);
      children[c].emplace_back(k, std::to_string(c));
    }
    for (auto& c : children) std::sort(c.begin(), c.end());
    auto it = Merge(children);
    auto m = model.begin();
    it->SeekToFirst();
    for (int step = 0; step < 500; ++step) {
      ASSERT_EQ(m != model.end(), it->Valid()) << "step " << step;
      if (m != model.end()) {
        ASSERT_EQ(m->first, it->key());
        ASSERT_EQ(m->second, it->value());
      }
      const uint64_t op = rnd.Uniform(5);
      if (op == 0 || m == model.end()) {
        std::string target = "k" + std::to_string(rnd.Uniform(1000));
        it->Seek(target);
        m = model.lower_bound(target);
      } else if (op <= 2) {
        it->Next();
        ++m;
      } else {
        it->Prev();
        m = (m == model.begin()) ? model.end() : std::prev(m);
      }
    }
  }
}

}  // namespace
}  // namespace lsm
