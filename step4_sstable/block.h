// Block: one decoded-on-demand block of a table (data, index or metaindex), and its iterator.
//
// The bytes are those BlockBuilder wrote (see step4_sstable/block_builder.h for the layout).
// Construction only reads the restart count at the end; entries are decoded as an iterator
// walks them. A block whose restart array cannot fit is *malformed*: its iterators report
// Corruption and are never Valid().
//
// Iterator contract (common/iterator.h), plus:
//   - Seek(target) binary-searches the restart points for the last one whose key < target,
//     then decodes forward: O(log restarts + restart_interval) key comparisons.
//   - Prev() re-decodes from the restart point before the current entry (blocks store only
//     forward deltas), so walking a block backwards costs up to restart_interval decodes a step.
//   - Any malformed entry or restart offset ends the walk: Valid() false, status() Corruption.
//     No input bytes can make the iterator read outside the block.
//
// Example:
//   Block block(std::move(bytes));
//   auto it = block.NewIterator(BytewiseComparator());
//   for (it->Seek("k"); it->Valid(); it->Next()) Use(it->key(), it->value());
//
// Thread-safety: a Block is immutable after construction, so any number of threads may create
// iterators over it at once. An iterator must not outlive its Block. Not copyable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/comparator.h"
#include "common/iterator.h"
#include "step4_sstable/format.h"

namespace lsm {

class Block {
 public:
  // Takes ownership of the block's bytes (uncompressed, without the trailer).
  explicit Block(std::string contents);
  // Owns or borrows the bytes, as ReadBlock found them. REQUIRES: borrowed bytes outlive
  // this Block.
  explicit Block(BlockContents contents);
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  // Bytes held (the block cache charges this).
  size_t size() const { return data_.size(); }
  // Number of restart points (0 for a malformed block).
  uint32_t num_restarts() const { return num_restarts_; }
  bool malformed() const { return malformed_; }
  std::string_view contents() const { return data_; }

  // Returns an iterator over the entries. REQUIRES: comparator outlives the iterator; the
  // iterator must not outlive this Block.
  std::unique_ptr<Iterator> NewIterator(const Comparator* comparator) const;
  // The same, but the iterator owns the block and frees it when destroyed (for a block read
  // for one use and never cached).
  static std::unique_ptr<Iterator> NewOwningIterator(std::unique_ptr<const Block> block,
                                                     const Comparator* comparator);

 private:
  class Iter;
  void ParseRestarts();

  std::string owned_;      // the bytes, when the block owns them
  std::string_view data_;  // the bytes (a view of owned_ or of borrowed memory)
  uint32_t restart_offset_ = 0;  // where the restart array starts
  uint32_t num_restarts_ = 0;
  bool malformed_ = false;
};

}  // namespace lsm
