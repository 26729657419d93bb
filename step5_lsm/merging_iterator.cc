#include "step5_lsm/merging_iterator.h"

#include <cassert>

namespace lsm {
namespace {

// A child iterator whose Valid() and key() are cached after every move. Picking the smallest
// child reads every child's key on every step, and each key() would otherwise be a chain of
// virtual calls (level -> table -> block iterator; the first two are two-level iterators); the
// cache makes it a load. (LevelDB's IteratorWrapper does the same.) Invariant: valid_/key_
// match the child between moves.
class CachedChild {
 public:
  explicit CachedChild(std::unique_ptr<Iterator> it) : it_(std::move(it)) { Update(); }

  Iterator* iter() const { return it_.get(); }
  bool Valid() const { return valid_; }
  std::string_view key() const { return key_; }  // REQUIRES: Valid()
  std::string_view value() const { return it_->value(); }
  Status status() const { return it_->status(); }

  void SeekToFirst() { it_->SeekToFirst(); Update(); }
  void SeekToLast() { it_->SeekToLast(); Update(); }
  void Seek(std::string_view target) { it_->Seek(target); Update(); }
  void Next() { it_->Next(); Update(); }
  void Prev() { it_->Prev(); Update(); }

 private:
  void Update() {
    valid_ = it_->Valid();
    if (valid_) key_ = it_->key();
  }

  std::unique_ptr<Iterator> it_;
  bool valid_ = false;
  std::string_view key_;
};

class MergingIterator final : public Iterator {
 public:
  MergingIterator(const Comparator* comparator, std::vector<std::unique_ptr<Iterator>> children)
      : comparator_(comparator) {
    children_.reserve(children.size());
    for (auto& child : children) children_.emplace_back(std::move(child));
  }

  bool Valid() const override { return current_ != nullptr; }

  void SeekToFirst() override {
    for (auto& child : children_) child.SeekToFirst();
    FindSmallest();
    direction_ = Direction::kForward;
  }
  void SeekToLast() override {
    for (auto& child : children_) child.SeekToLast();
    FindLargest();
    direction_ = Direction::kReverse;
  }
  void Seek(std::string_view target) override {
    for (auto& child : children_) child.Seek(target);
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
        if (&child == current_) continue;
        child.Seek(k);
        if (child.Valid() && comparator_->Compare(k, child.key()) == 0) child.Next();
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
        if (&child == current_) continue;
        child.Seek(k);
        if (child.Valid()) {
          child.Prev();  // first entry >= k; step before it
        } else {
          child.SeekToLast();  // no entry >= k: the last entry is the one before
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
      Status s = child.status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  enum class Direction { kForward, kReverse };

  void FindSmallest() {
    CachedChild* smallest = nullptr;
    for (auto& child : children_) {
      if (child.Valid() &&
          (smallest == nullptr || comparator_->Compare(child.key(), smallest->key()) < 0)) {
        smallest = &child;
      }
    }
    current_ = smallest;
  }
  void FindLargest() {
    CachedChild* largest = nullptr;
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
      CachedChild* child = &*it;
      if (child->Valid() &&
          (largest == nullptr || comparator_->Compare(child->key(), largest->key()) > 0)) {
        largest = child;
      }
    }
    current_ = largest;
  }

  const Comparator* const comparator_;
  std::vector<CachedChild> children_;  // never resized after construction
  CachedChild* current_ = nullptr;     // the child holding the current entry, or null
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
