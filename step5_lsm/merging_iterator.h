// MergingIterator: one sorted view over N sorted child iterators — the memtables and every
// table a read must consult, merged on the fly.
//
//   child 0 (memtable):   a@9  c@7
//   child 1 (L0 table):   a@5  b@4
//   child 2 (L1 level):   b@2  d@1
//   merged:               a@9 a@5 b@4 b@2 c@7 d@1
//
// Keys that compare equal are all yielded (order among them unspecified); with internal keys
// no two entries are equal, since sequence numbers differ.
//
// Contract: the Iterator contract (common/iterator.h). Both directions are supported; a
// direction change re-positions every child around the current key. status() reports the first
// child error.
// Cost: each step compares the N current keys (linear scan). N is small (2 memtables + a few L0
// files + one iterator per deeper level), where a heap's bookkeeping would not pay off.
// Thread-safety: one thread at a time. Lifetimes: owns its children.
// Simplifications: LevelDB does the same linear scan; RocksDB uses a heap for large N.
#pragma once

#include <memory>
#include <vector>

#include "common/comparator.h"
#include "common/iterator.h"

namespace lsm {

// Returns an iterator yielding the union of children's entries in comparator order.
// comparator must outlive the result. With one child, returns that child itself.
std::unique_ptr<Iterator> NewMergingIterator(const Comparator* comparator,
                                             std::vector<std::unique_ptr<Iterator>> children);

}  // namespace lsm
