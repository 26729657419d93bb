// TableOptions: how a table is written and read. The same struct configures TableBuilder and
// TableReader; a reader must use the comparator (and, to use the filter, the filter policy)
// the table was written with.
//
// Example:
//   auto bloom = NewBloomFilterPolicy(10);
//   BlockCache cache(8 << 20);
//   TableOptions options{.filter_policy = bloom.get(), .block_cache = &cache};
//
// Lifetimes: every pointer must outlive the builders and readers using the options.
// Intentionally copyable (a bundle of settings and non-owning pointers).
#pragma once

#include <cstddef>

#include "common/comparator.h"
#include "step4_sstable/block_cache.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/format.h"

namespace lsm {

struct TableOptions {
  // Key order. Use an InternalKeyComparator (step3_memtable/internal_key.h) for internal keys.
  const Comparator* comparator = BytewiseComparator();
  // A data block is cut when its estimated size reaches this many bytes (before compression).
  size_t block_size = 4096;
  // Every this-many entries of a data block store their full key (a restart point).
  int block_restart_interval = 16;
  // kSnappy is used only for blocks it shrinks by at least 1/8, and only if SnappySupported().
  CompressionType compression = CompressionType::kNone;
  // nullptr: no filter block. For internal keys, wrap the user policy in InternalFilterPolicy.
  const FilterPolicy* filter_policy = nullptr;
  // Reader only: decoded data blocks are kept here (nullptr: every read goes to the file).
  BlockCache* block_cache = nullptr;
};

}  // namespace lsm
