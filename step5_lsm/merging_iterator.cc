#include "step5_lsm/merging_iterator.h"

#include <cassert>

namespace lsm {
namespace {

class MergingIterator final : public Iterator {
 public:
  MergingIterator(const Comparator* comparator, std::vector<std::unique_ptr<Iterator>> children)
      : comparator_(comparator), children_(std::move(children)) {}

  bool Valid() const override { return current_ != nullptr; }

  void SeekToFirst() override {
    for (auto& child : children_) child->SeekToFirst();
    FindSmallest();
    direction_ = Direction::kForward;
  }
  void SeekToLast() override {
    for (auto& child : children_) child->SeekToLast();
    FindLargest();
    direction_ = Direction::kReverse;
  }
  void Seek(std::string_view target) override {
    for (auto& child : children_) child->Seek(target);
    FindSmallest();
    direction_ = Direction::kForward;
  }

  void Next() override {
    assert(Valid());
    // Going forward, every non-current child must sit at its first key > key(). After Prev()
    // they sit before key(); move them past it.
    if (direction_ != Direction::kForward) {
      const std::string k(key());
      for (auto& child : children_) {
        if (child.get() == current_) continue;
        child->Seek(k);
        if (child->Valid() && comparator_->Compare(k, child->key()) == 0) child->Next();
      }
      direction_ = Direction::kForward;
    }
    current_->Next();
    FindSmallest();
  }

  void Prev() override {
    assert(Valid());
    // Going backward, every non-current child must sit at its last key < key().
    if (direction_ != Direction::kReverse) {
      const std::string k(key());
      for (auto& child : children_) {
        if (child.get() == current_) continue;
        child->Seek(k);
        if (child->Valid()) {
          child->Prev();  // first entry >= k; step before it
        } else {
          child->SeekToLast();  // no entry >= k: the last entry is the one before
        }
      }
      direction_ = Direction::kReverse;
    }
    current_->Prev();
    FindLargest();
  }

  std::string_view key() const override {
    assert(Valid());
    return current_->key();
  }
  std::string_view value() const override {
    assert(Valid());
    return current_->value();
  }
  Status status() const override {
    for (const auto& child : children_) {
      Status s = child->status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  enum class Direction { kForward, kReverse };

  void FindSmallest() {
    Iterator* smallest = nullptr;
    for (auto& child : children_) {
      if (child->Valid() &&
          (smallest == nullptr || comparator_->Compare(child->key(), smallest->key()) < 0)) {
        smallest = child.get();
      }
    }
    current_ = smallest;
  }
  void FindLargest() {
    Iterator* largest = nullptr;
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
      Iterator* child = it->get();
      if (child->Valid() &&
          (largest == nullptr || comparator_->Compare(child->key(), largest->key()) > 0)) {
        largest = child;
      }
    }
    current_ = largest;
  }

  const Comparator* const comparator_;
  std::vector<std::unique_ptr<Iterator>> children_;
  Iterator* current_ = nullptr;  // the child holding the current entry, or null
  Direction direction_ = Direction::kForward;
};

}  // namespace

std::unique_ptr<Iterator> NewMergingIterator(const Comparator* comparator,
                                             std::vector<std::unique_ptr<Iterator>> children) {
  if (children.empty()) return NewEmptyIterator();
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<MergingIterator>(comparator, std::move(children));
}

}  // namespace lsm
