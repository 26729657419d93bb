// TwoLevelIterator: walks a table by walking its index, opening each data block on demand.
//
//   index iterator:  "c" -> block@0    "k" -> block@4107    "zz" -> block@8190
//                        |                  |
//   data iterator:   a b c             d f h k   ...       (one data block open at a time)
//
// Seek(t) seeks the index to the first separator >= t (the only block that can hold t), opens
// that block and seeks inside it; when a block runs out, Next()/Prev() move the index on and
// open the neighbour, skipping empty blocks.
//
// Step 5 walks a sorted level with the same iterator: there the index is the level's file list
// and each "block" is a whole table (step5_lsm/level_iterator.h).
//
// Iterator contract: common/iterator.h. An error from the index iterator, from opening a block
// or from a block iterator makes status() non-OK (the first error is kept) and, where it stops
// the walk, Valid() false.
// Lifetimes: the iterator owns the index iterator and the block function; whatever they read
// must outlive it. Thread-safety: one thread at a time, as for every iterator.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "common/iterator.h"

namespace lsm {

// Makes an iterator over the data block an index entry's value names. It reports its own
// errors through the returned iterator's status() (e.g. NewEmptyIterator(Corruption)).
using BlockFunction = std::function<std::unique_ptr<Iterator>(std::string_view index_value)>;

std::unique_ptr<Iterator> NewTwoLevelIterator(std::unique_ptr<Iterator> index_iter,
                                              BlockFunction block_function);

}  // namespace lsm
