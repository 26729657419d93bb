// The iterator over one sorted level (L1+): a file-list iterator fed to step 4's two-level
// iterator (step4_sstable/two_level_iterator.h), as LevelDB feeds its LevelFileNumIterator to
// NewTwoLevelIterator. The file list plays the index, each table plays a data block:
//
//   file list:  key = the file's largest key     value = fixed64 number ++ fixed64 size
//                 "f"@3 -> #4              "m"@9 -> #9              "z"@1 -> #12
//                    |                        |                        |
//   tables:       a .. f                   g .. m                   p .. z   (one open at a time)
//
//   Seek(h): the file list seeks to the first file whose largest key >= h (#9, a binary
//            search), the two-level iterator opens that table and seeks h inside it.
//
// Example:
//   auto it = NewLevelIterator(&icmp, version->files[2], [&](uint64_t number, uint64_t size) {
//     return table_cache->NewIterator(TableReadOptions{}, number, size);
//   });
//   for (it->SeekToFirst(); it->Valid(); it->Next()) Use(it->key(), it->value());
//   if (!it->status().ok()) return it->status();
//
// Contract of the level iterator: the Iterator contract (common/iterator.h) over internal
// keys. When a table runs out, Next()/Prev() open the next (previous) file, skipping empty
// ones. A table that fails to open, or a read error inside one, makes status() non-OK and ends
// the walk there (Valid() false) — the two-level iterator's rule for a bad data block.
// Contract of the file-list iterator: Valid() while it is on a file; key() is that file's
// largest internal key, value() its DecodeFileValue() bytes (valid until the next move);
// Seek(t) lands on the first file whose largest key >= t, or is not Valid() when t is past the
// last file; status() is always OK.
// Lifetimes: icmp and the file list must outlive both iterators: they borrow the list (a
// Version's files[level] or a Compaction's inputs), and the caller pins that Version — its
// FileMetaData and the files on disk — for as long as the iterator lives. (Copying the list
// instead costs an atomic increment and decrement per file for every iterator: at 10M keys,
// ~360 files in L3, several microseconds per short scan.) A temporary list does not compile.
// Thread-safety: one thread at a time, as for every iterator.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "common/iterator.h"
#include "step3_memtable/internal_key.h"
#include "step5_lsm/version.h"

namespace lsm {

// Bytes of a file-list iterator's value(): fixed64 file number, fixed64 file size.
inline constexpr size_t kFileValueSize = 8 + 8;

// Reads a file-list value back. False (outputs untouched) if it is not kFileValueSize bytes.
bool DecodeFileValue(std::string_view value, uint64_t* number, uint64_t* file_size);

// Iterates the files of a sorted level: one entry per file, keyed by its largest key.
// REQUIRES: files are sorted by key and disjoint (a level >= 1).
// REQUIRES: files outlives the iterator.
std::unique_ptr<Iterator> NewFileListIterator(const InternalKeyComparator* icmp,
                                              const FileList& files);
std::unique_ptr<Iterator> NewFileListIterator(const InternalKeyComparator*, FileList&&) = delete;

// Opens an iterator over one table file (typically TableCache::NewIterator). It reports a
// failure to open through the returned iterator's status().
using TableOpener = std::function<std::unique_ptr<Iterator>(uint64_t number, uint64_t file_size)>;

// Iterates a whole sorted level as one sequence, opening each table only when the cursor
// reaches it. REQUIRES: files are sorted by key and disjoint (a level >= 1), and outlive the
// iterator.
std::unique_ptr<Iterator> NewLevelIterator(const InternalKeyComparator* icmp,
                                           const FileList& files, TableOpener open_table);
std::unique_ptr<Iterator> NewLevelIterator(const InternalKeyComparator*, FileList&&,
                                           TableOpener) = delete;

}  // namespace lsm
