// SkipList<Key, Comparator>: a sorted set of keys with O(log n) insert and search, built from
// linked lists stacked in levels — what the memtable keeps its entries in.
//
//   level 3  head ------------------------------------------> 40 ---------------------> nil
//   level 2  head ------------> 17 -------------------------> 40 ---------------------> nil
//   level 1  head ----> 09 ---> 17 ----------> 25 ----------> 40 ---------> 52 ------> nil
//   level 0  head -> 03 -> 09 -> 17 -> 21 -> 25 -> 31 -> 38 -> 40 -> 44 -> 52 -> 60 -> nil
//
// Every node is on level 0; each node climbs one more level with probability 1/kBranching, so
// level i holds about n / 4^i nodes and a search that drops one level each time it would
// overshoot visits O(log n) nodes: log4(n) levels, about (1-p)/p = 3 steps right on each
// (p = 1/4), so 1/p = 4 comparisons a level counting the one that overshoots.
//
// Example:
//   struct IntCmp { int operator()(int a, int b) const { return (a > b) - (a < b); } };
//   Arena arena;
//   SkipList<int, IntCmp> list(IntCmp{}, &arena);
//   list.Insert(7);
//   SkipList<int, IntCmp>::Iterator it(&list);
//   for (it.SeekToFirst(); it.Valid(); it.Next()) Use(it.key());
//
// Comparator: a copyable function object, `int operator()(const Key& a, const Key& b) const`
// returning < 0, 0, > 0. Key: a small, trivially copyable value (the memtable uses
// `const char*` pointing at an encoded entry in the same arena).
//
// Thread-safety — THE RULE: writes (Insert) need external synchronization, one writer at a
// time. Reads (Contains, iterators) need NO lock and may run concurrently with that writer.
// It works because (1) nodes are never deleted or changed once linked, except their next
// pointers; (2) a new node is fully built before it is published with a release store into
// its predecessor's next pointer, and readers load next pointers with acquire, so a reader
// that sees the node also sees its key and its own next pointers; (3) a node is linked level 0
// first, so any node a reader reaches on a high level is already on level 0.
// A reader may or may not see a key inserted while it runs, but always sees a sorted list and
// every key whose Insert finished before the reader started.
//
// Lifetimes: nodes live in `arena`, which must outlive the list; the list never frees memory
// (keys are never removed). An Iterator must not outlive its list.
// Not copyable (nodes point at each other inside the arena).
// Simplifications: no Delete (an LSM never removes from a memtable; it writes tombstones and
// drops whole memtables), no duplicate keys (the memtable's keys carry unique sequences).
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <vector>

#include "common/random.h"
#include "step3_memtable/arena.h"

namespace lsm {

template <typename Key, typename Comparator>
class SkipList {
 private:
  struct Node;

 public:
  static constexpr int kMaxHeight = 12;
  static constexpr int kBranching = 4;

  // Creates an empty list. cmp is copied; arena must outlive the list. `seed` drives the
  // tower heights (a fixed seed gives the same shapes every run, which tests rely on).
  SkipList(Comparator cmp, Arena* arena, uint64_t seed = 0xdeadbeef);
  SkipList(const SkipList&) = delete;
  SkipList& operator=(const SkipList&) = delete;

  // Inserts key. REQUIRES: nothing equal to key is in the list; external synchronization
  // against other Insert calls (readers may run concurrently).
  void Insert(const Key& key);

  // Returns true when an entry equal to key is in the list. Lock-free.
  bool Contains(const Key& key) const;

  // The height of the tallest tower so far (1 for an empty list). Lock-free.
  int max_height() const { return max_height_.load(std::memory_order_relaxed); }

  // For narration and tests: every key in order with the height of its tower. O(n · height).
  // REQUIRES: no concurrent Insert.
  struct Tower {
    Key key;
    int height;
  };
  std::vector<Tower> Towers() const;

  // A cursor over the list. Contract (like common/iterator.h, but over Key values):
  //   - starts not Valid(); position it with SeekToFirst / SeekToLast / Seek;
  //   - Seek(target) lands on the first key >= target, or not Valid() if none;
  //   - Next / Prev / key REQUIRE Valid(); Next past the last or Prev before the first leaves
  //     it not Valid(). Prev costs O(log n): nodes have no back pointers, so it searches.
  //   - the key() reference stays valid for the life of the list (nodes are never freed).
  // Intentionally copyable (a position is just a node pointer). Lock-free like all reads.
  class Iterator {
   public:
    // REQUIRES: list outlives the iterator.
    explicit Iterator(const SkipList* list) : list_(list) {}

    bool Valid() const { return node_ != nullptr; }
    const Key& key() const {
      assert(Valid());
      return node_->key;
    }
    void Next() {
      assert(Valid());
      node_ = node_->Next(0);
    }
    void Prev() {
      assert(Valid());
      node_ = list_->FindLessThan(node_->key);
      if (node_ == list_->head_) node_ = nullptr;
    }
    void Seek(const Key& target) { node_ = list_->FindGreaterOrEqual(target, nullptr); }
    void SeekToFirst() { node_ = list_->head_->Next(0); }
    void SeekToLast() {
      node_ = list_->FindLast();
      if (node_ == list_->head_) node_ = nullptr;
    }

   private:
    const SkipList* list_;
    Node* node_ = nullptr;
  };

 private:
  // A node is a Node header followed in the same arena allocation by `height` next pointers:
  //   [ key | pad ][ next[0] ][ next[1] ] ... [ next[height-1] ]
  // next[i] is the following node on level i (nullptr at the end).
  struct Node {
    explicit Node(const Key& k) : key(k) {}
    Key const key;

    static constexpr size_t LinksOffset() {
      constexpr size_t a = alignof(std::atomic<Node*>);
      return (sizeof(Node) + a - 1) / a * a;
    }
    std::atomic<Node*>* links() {
      return std::launder(reinterpret_cast<std::atomic<Node*>*>(
          reinterpret_cast<char*>(this) + LinksOffset()));
    }
    // Acquire: whoever sees the returned node also sees it fully initialized.
    Node* Next(int level) { return links()[level].load(std::memory_order_acquire); }
    // Release: publishes x (built before this store) to readers.
    void SetNext(int level, Node* x) { links()[level].store(x, std::memory_order_release); }
    // Relaxed forms, for the writer where no reader can be racing on this pointer.
    Node* NoBarrierNext(int level) { return links()[level].load(std::memory_order_relaxed); }
    void NoBarrierSetNext(int level, Node* x) {
      links()[level].store(x, std::memory_order_relaxed);
    }
  };

  static_assert(std::is_trivially_destructible_v<Key>, "nodes are never destroyed");
  static_assert(alignof(Node) <= Arena::kAlignment && alignof(std::atomic<Node*>) <= Arena::kAlignment);

  Node* NewNode(const Key& key, int height);
  int RandomHeight();
  bool Equal(const Key& a, const Key& b) const { return compare_(a, b) == 0; }
  // True when key sorts after n's key (a nullptr n is +infinity: false).
  bool KeyIsAfterNode(const Key& key, Node* n) const {
    return n != nullptr && compare_(n->key, key) < 0;
  }
  // Returns the first node with key >= key (nullptr if none). If prev is not null, fills
  // prev[level] with the last node before it on each level.
  Node* FindGreaterOrEqual(const Key& key, Node** prev) const;
  // Returns the last node with key < key, or head_ if there is none.
  Node* FindLessThan(const Key& key) const;
  // Returns the last node, or head_ if the list is empty.
  Node* FindLast() const;

  // Constant after construction.
  Comparator const compare_;
  Arena* const arena_;
  Node* const head_;

  // Written by the writer only; readers may see a stale (smaller) value, which is harmless:
  // they start lower and still find everything via the lower levels.
  std::atomic<int> max_height_{1};
  // Used by the writer only.
  Random rnd_;
};

// --- implementation ------------------------------------------------------------------------

template <typename Key, typename Comparator>
SkipList<Key, Comparator>::SkipList(Comparator cmp, Arena* arena, uint64_t seed)
    : compare_(cmp), arena_(arena), head_(NewNode(Key{}, kMaxHeight)), rnd_(seed) {}

template <typename Key, typename Comparator>
typename SkipList<Key, Comparator>::Node* SkipList<Key, Comparator>::NewNode(const Key& key,
                                                                            int height) {
  char* mem = arena_->AllocateAligned(Node::LinksOffset() +
                                      sizeof(std::atomic<Node*>) * static_cast<size_t>(height));
  Node* node = new (mem) Node(key);
  auto* links = reinterpret_cast<std::atomic<Node*>*>(mem + Node::LinksOffset());
  for (int i = 0; i < height; ++i) new (&links[i]) std::atomic<Node*>(nullptr);
  return node;
}

template <typename Key, typename Comparator>
int SkipList<Key, Comparator>::RandomHeight() {
  // exercise step3.height: draw a tower height: start at 1, grow by one while
  // rnd_.OneIn(kBranching), never above kMaxHeight (the tests count the towers: about 1/4 reach
  // level 2, 1/16 level 3, and 20000 keys reach level 6 or more)
  //   tests: SkipList.FixedSeedGivesTheSameTowers:SkipList.TowerHeightsFollowTheBranchingFactor
  //   stub: // A placeholder, so that step3.insert (which calls it) can be done first:
  //   stub: // 1 to 4 levels, uniformly.
  //   stub: lsm_exercise::Note("step3.height");
  //   stub: return 1 + static_cast<int>(rnd_.Uniform(4));
  int height = 1;
  while (height < kMaxHeight && rnd_.OneIn(kBranching)) ++height;
  assert(height >= 1 && height <= kMaxHeight);
  return height;
  // end exercise
}

template <typename Key, typename Comparator>
typename SkipList<Key, Comparator>::Node* SkipList<Key, Comparator>::FindGreaterOrEqual(
    const Key& key, Node** prev) const {
  // exercise step3.seek: start at the head on the top level; walk right while the next node
  // is before key, else record the node in prev[level] and go down a level from it; return the
  // next node at level 0. The tests check the answers and that a search of 10000 keys makes
  // O(log n) comparisons (about 4 a level), not a walk of a whole level
  //   tests: SkipList.*:SkipListSearch.*
  //   stub: // A placeholder that is correct but slow (every level walked from the head), so
  //   stub: // that step3.insert, which calls it, can be done first. Each next pointer is
  //   stub: // loaded once, and the answer is the one already loaded: a second load could see
  //   stub: // a node a concurrent Insert linked in between (before key), and skip key.
  //   stub: lsm_exercise::Note("step3.seek");
  //   stub: Node* next = nullptr;
  //   stub: for (int level = max_height() - 1; level >= 0; --level) {
  //   stub:   Node* x = head_;
  //   stub:   next = x->Next(level);
  //   stub:   while (KeyIsAfterNode(key, next)) {
  //   stub:     x = next;
  //   stub:     next = x->Next(level);
  //   stub:   }
  //   stub:   if (prev != nullptr) prev[level] = x;
  //   stub: }
  //   stub: return next;
  Node* x = head_;
  int level = max_height() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (KeyIsAfterNode(key, next)) {
      x = next;  // keep going right on this level
    } else {
      if (prev != nullptr) prev[level] = x;
      if (level == 0) return next;
      --level;  // next overshoots (or is the end): go down
    }
  }
  // end exercise
}

template <typename Key, typename Comparator>
typename SkipList<Key, Comparator>::Node* SkipList<Key, Comparator>::FindLessThan(
    const Key& key) const {
  Node* x = head_;
  int level = max_height() - 1;
  while (true) {
    assert(x == head_ || compare_(x->key, key) < 0);
    Node* next = x->Next(level);
    if (next == nullptr || compare_(next->key, key) >= 0) {
      if (level == 0) return x;
      --level;
    } else {
      x = next;
    }
  }
}

template <typename Key, typename Comparator>
typename SkipList<Key, Comparator>::Node* SkipList<Key, Comparator>::FindLast() const {
  Node* x = head_;
  int level = max_height() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next == nullptr) {
      if (level == 0) return x;
      --level;
    } else {
      x = next;
    }
  }
}

template <typename Key, typename Comparator>
void SkipList<Key, Comparator>::Insert(const Key& key) {
  // exercise step3.insert: find each level's predecessor (FindGreaterOrEqual), draw a height
  // (raising max_height_ and using head_ as the predecessor on new levels), then link the new
  // node bottom-up, publishing it with a release store (SetNext). The tests check the list
  // against std::set, that towers rise above level 0, and concurrent readers; a relaxed store
  // passes them, so run `scripts/exercise.sh check --tsan` too (ThreadSanitizer sees it)
  //   tests: SkipList.EmptyList:SkipList.SmallStory:SkipList.RandomizedAgainstStdSet
  //   tests: SkipList.NodesLiveInTheArena:SkipListInsert.*:SkipListConcurrency.*
  //   stub: (void)key;
  //   stub: lsm_exercise::Todo("step3.insert");
  Node* prev[kMaxHeight];
  Node* x = FindGreaterOrEqual(key, prev);
  assert(x == nullptr || !Equal(key, x->key));  // REQUIRES: no duplicates

  const int height = RandomHeight();
  if (height > max_height()) {
    for (int i = max_height(); i < height; ++i) prev[i] = head_;
    // A reader that sees the new height before the new node's links reads nullptr from head_
    // on the new levels and simply drops down; one that sees the old height misses nothing.
    max_height_.store(height, std::memory_order_relaxed);
  }

  x = NewNode(key, height);
  for (int i = 0; i < height; ++i) {
    // x is not yet visible, so its own links need no barrier; the release store into
    // prev[i] then publishes x together with everything written to it above.
    x->NoBarrierSetNext(i, prev[i]->NoBarrierNext(i));
    prev[i]->SetNext(i, x);
  }
  // end exercise
}

template <typename Key, typename Comparator>
bool SkipList<Key, Comparator>::Contains(const Key& key) const {
  Node* x = FindGreaterOrEqual(key, nullptr);
  return x != nullptr && Equal(key, x->key);
}

template <typename Key, typename Comparator>
std::vector<typename SkipList<Key, Comparator>::Tower> SkipList<Key, Comparator>::Towers()
    const {
  std::vector<Node*> nodes;
  for (Node* n = head_->Next(0); n != nullptr; n = n->Next(0)) nodes.push_back(n);
  std::vector<Tower> towers;
  towers.reserve(nodes.size());
  for (Node* n : nodes) towers.push_back(Tower{n->key, 1});
  // Level i is a subsequence of level 0 in the same order: one merge walk per level.
  for (int level = 1; level < max_height(); ++level) {
    size_t i = 0;
    for (Node* n = head_->Next(level); n != nullptr; n = n->Next(level)) {
      while (i < nodes.size() && nodes[i] != n) ++i;
      assert(i < nodes.size());
      if (i < nodes.size()) towers[i].height = level + 1;
    }
  }
  return towers;
}

}  // namespace lsm
