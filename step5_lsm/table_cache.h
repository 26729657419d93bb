// TableCache: open TableReaders by file number, at most `capacity` at once (LRU), so a
// database with thousands of tables never holds thousands of file descriptors.
//
//   Get(ikey) on file #12:  cache hit -> TableReader (index + filter already in memory)
//                           miss      -> open 000012.ldb (or .sst), read footer, index, filter
//
// Every table shares one BlockCache for data blocks (TableOptions::block_cache). With mmap on,
// each open table is also one memory map (so capacity bounds the number of maps too).
// Thread-safety: all methods are thread-safe. A table is opened outside the cache's mutex, so
// a slow open does not block lookups of other tables.
// Lifetimes: readers are held by std::shared_ptr; an iterator pins its reader, so evicting a
// table (or deleting its file) never pulls it from under a live iterator.
#pragma once

#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "common/file.h"
#include "common/iterator.h"
#include "step4_sstable/table_options.h"
#include "step4_sstable/table_reader.h"

namespace lsm {

class TableCache {
 public:
  // table_options (and what it points to) and fs must outlive the cache. REQUIRES: capacity>=1.
  // mmap: open tables as MmapFiles (common/mmap_file.h) instead of through fs; only for a
  // directory on the real file system (fs == FileSystem::Default()).
  TableCache(std::filesystem::path dir, FileSystem* fs, const TableOptions& table_options,
             size_t capacity, bool mmap = false);
  TableCache(const TableCache&) = delete;
  TableCache& operator=(const TableCache&) = delete;

  // Returns the open reader of table `number` (file_size bytes), opening it on a miss.
  Status FindTable(uint64_t number, uint64_t file_size, std::shared_ptr<TableReader>* table);

  // Returns an iterator over the table (an error iterator if it cannot be opened). The
  // iterator keeps the reader alive.
  std::unique_ptr<Iterator> NewIterator(const TableReadOptions& options, uint64_t number,
                                        uint64_t file_size);

  // Calls fn with the first entry >= internal_key in the one block that may hold it. When
  // given, *trace says what the lookup touched and *has_filter whether the table has a filter
  // it consulted (for the read-amplification counters).
  Status Get(const TableReadOptions& options, uint64_t number, uint64_t file_size,
             std::string_view internal_key, const TableReader::GetCallback& fn,
             GetTrace* trace = nullptr, bool* has_filter = nullptr);

  // Forgets table `number` (its file is being deleted).
  void Evict(uint64_t number);

  size_t size() const;

 private:
  // Opens a table file: mapped (mmap_) or through fs_.
  Status OpenFile(const std::filesystem::path& path, std::unique_ptr<RandomAccessFile>* file) const;

  using LruList = std::list<std::pair<uint64_t, std::shared_ptr<TableReader>>>;

  // Constant after construction.
  const std::filesystem::path dir_;
  FileSystem* const fs_;
  const TableOptions table_options_;
  const size_t capacity_;
  const bool mmap_;

  mutable std::mutex mu_;
  LruList lru_;  // guarded by mu_; most recently used first
  std::unordered_map<uint64_t, LruList::iterator> index_;  // guarded by mu_
};

}  // namespace lsm
