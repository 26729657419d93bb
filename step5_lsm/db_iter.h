// DBIter: turns the merged stream of internal keys into what a user sees at one snapshot —
// each live user key once, with its newest value visible at that snapshot.
//
//   internal stream (newest first per key)       DBIter at snapshot 8 yields
//   a@9 put "x"    (too new: invisible)
//   a@6 put "y"                                   a = "y"
//   a@2 put "z"    (shadowed by a@6)
//   b@7 del        (tombstone: hides b@3)
//   b@3 put "w"
//   c@5 put "v"                                   c = "v"
//
// Contract: the Iterator contract (common/iterator.h) over user keys. Seek(k) lands on the first
// live user key >= k. Both directions work; going forward the internal iterator sits on the
// current entry, going backward it sits before all entries of the current key and the key and
// value are copied into saved_key_/saved_value_.
// Corrupt internal keys are skipped and reported by status().
// Thread-safety: one thread at a time. Lifetimes: owns `internal`; user_comparator must outlive
// it. Whatever pins the data under `internal` (memtables, Version) must be held by `internal`
// (RegisterCleanup) or by the caller.
// Simplifications: LevelDB also samples keys read by iterators to trigger seek compactions; we
// only count seeks on the Get path.
#pragma once

#include <memory>

#include "common/comparator.h"
#include "common/iterator.h"
#include "common/value_type.h"

namespace lsm {

std::unique_ptr<Iterator> NewDBIterator(const Comparator* user_comparator,
                                        std::unique_ptr<Iterator> internal,
                                        SequenceNumber sequence);

}  // namespace lsm
