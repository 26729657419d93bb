// VectorIterator: an Iterator over a sorted std::vector of (key, value) pairs, for unit tests
// of the iterators that combine other iterators (merging, DB, level iterators).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <vector>

#include "common/comparator.h"
#include "common/iterator.h"

namespace lsm::testutil {

class VectorIterator final : public Iterator {
 public:
  // REQUIRES: entries sorted by cmp; cmp outlives the iterator.
  VectorIterator(const Comparator* cmp, std::vector<std::pair<std::string, std::string>> entries,
                 Status status = Status::OK())
      : cmp_(cmp), entries_(std::move(entries)), status_(std::move(status)) {}

  bool Valid() const override { return pos_ < entries_.size(); }
  void SeekToFirst() override { pos_ = 0; }
  void SeekToLast() override { pos_ = entries_.empty() ? kEnd : entries_.size() - 1; }
  void Seek(std::string_view target) override {
    pos_ = 0;
    while (pos_ < entries_.size() && cmp_->Compare(entries_[pos_].first, target) < 0) ++pos_;
    if (pos_ == entries_.size()) pos_ = kEnd;
  }
  void Next() override {
    assert(Valid());
    if (++pos_ == entries_.size()) pos_ = kEnd;
  }
  void Prev() override {
    assert(Valid());
    pos_ = pos_ == 0 ? kEnd : pos_ - 1;
  }
  std::string_view key() const override { return entries_[pos_].first; }
  std::string_view value() const override { return entries_[pos_].second; }
  Status status() const override { return status_; }

 private:
  static constexpr size_t kEnd = static_cast<size_t>(-1);
  const Comparator* cmp_;
  std::vector<std::pair<std::string, std::string>> entries_;
  Status status_;
  size_t pos_ = kEnd;
};

}  // namespace lsm::testutil
