// BuildTable: writes the entries of an internal-key iterator into a new table file — how a
// memtable becomes a level-0 (or level-1/2) table.
//
//   memtable iterator (sorted internal keys) -> TableBuilder -> 000012.ldb, synced, closed
//                                             -> FileMetaData{number, size, smallest, largest}
//
// On success *meta gets file_size and the key range; if the iterator is empty no file is left
// and meta->file_size is 0. On any error the partial file is deleted.
// Thread-safety: call from one thread; touches no shared state except the file system.
#pragma once

#include <filesystem>

#include "common/file.h"
#include "common/iterator.h"
#include "step4_sstable/table_options.h"
#include "step5_lsm/version_edit.h"

namespace lsm {

// REQUIRES: meta->number is set (a fresh file number); `iter` yields internal keys in order.
Status BuildTable(FileSystem* fs, const std::filesystem::path& dir,
                  const TableOptions& table_options, Iterator* iter, FileMetaData* meta);

}  // namespace lsm
