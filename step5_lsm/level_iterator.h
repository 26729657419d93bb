// LevelIterator: iterates a whole sorted level (L1+) as one sequence, opening each table only
// when the cursor reaches it — a "two-level" iterator: the file list is the index, each table
// is the data.
//
//   files:   [#4: a..f]   [#9: g..m]   [#12: p..z]
//   Seek(h):  binary search the file list -> #9, open it, Seek(h) inside it
//
// Contract: the Iterator contract over internal keys. When a table runs out, the next (or
// previous) file is opened. A table that fails to open makes status() non-OK and the iterator
// skips that file.
// Thread-safety: one thread at a time. Lifetimes: icmp must outlive it; it holds shared_ptrs to
// the FileMetaData it walks, so the list stays valid; the caller pins the Version (files on
// disk) for as long as the iterator lives.
#pragma once

#include <functional>
#include <memory>

#include "common/iterator.h"
#include "step3_memtable/internal_key.h"
#include "step5_lsm/version.h"

namespace lsm {

// Opens an iterator over one table file (typically through the TableCache).
using TableOpener = std::function<std::unique_ptr<Iterator>(const FileMetaData& file)>;

// REQUIRES: files are sorted by key and disjoint (a level >= 1).
std::unique_ptr<Iterator> NewLevelIterator(const InternalKeyComparator* icmp, FileList files,
                                           TableOpener open_table);

}  // namespace lsm
