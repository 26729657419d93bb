// TableReader: an open, immutable table file — point lookups, iterators and size estimates.
//
// Open() reads the 48-byte footer, then the index block (kept in memory for the reader's
// life) and, when options.filter_policy matches the table's "filter.<name>" metaindex entry,
// the filter block (also kept). A point lookup then costs at most one data-block read:
//
//   Get(k):  index.Seek(k) -> handle of the only block that can hold k
//            filter says "certainly not in that block"?  -> done, no read (a "filter skip")
//            otherwise read the block (or take it from the block cache), Seek(k) inside it
//
// Keys are compared with options.comparator, so the same reader serves user-key tables
// (BytewiseComparator) and internal-key tables (InternalKeyComparator: Get(internal key) hands
// the callback the first entry >= it, and the caller checks the user key and type).
//
// Example:
//   std::unique_ptr<RandomAccessFile> file;
//   uint64_t size = 0;
//   Status s = fs->NewRandomAccessFile(path, &file);
//   if (s.ok()) s = fs->GetFileSize(path, &size);
//   std::unique_ptr<TableReader> table;
//   if (s.ok()) s = TableReader::Open(options, std::move(file), size, &table);
//   std::string value;
//   if (s.ok()) s = table->Get("key", &value);         // OK, NotFound, or an error
//
// Thread-safety: after Open() a TableReader is immutable (its counters are atomic), so any
// number of threads may call Get/NewIterator/ApproximateOffsetOf at once.
// Lifetimes: the reader's iterators must not outlive it (hold it, e.g. with a shared_ptr
// released in Iterator::RegisterCleanup, if they must). Everything options points to must
// outlive the reader.
// Checksums: Open() always verifies the index, metaindex and filter blocks; a data block is
// verified when TableReadOptions::verify_checksums asks (the default), as in LevelDB.
// Simplifications: the index block is never cached in the block cache (LevelDB's
// cache_index_and_filter_blocks is a RocksDB idea anyway).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/file.h"
#include "common/iterator.h"
#include "common/status.h"
#include "step4_sstable/block.h"
#include "step4_sstable/filter_block.h"
#include "step4_sstable/format.h"
#include "step4_sstable/table_options.h"

namespace lsm {

// What one Get did, for the narration and tests.
struct GetTrace {
  bool filter_skipped = false;  // the bloom filter ruled the key out: no data block touched
  bool block_touched = false;   // a data block was searched
  uint64_t block_offset = 0;    // which one (when block_touched)
  bool cache_hit = false;       // it came from the block cache (when block_touched)
};

// Per-read knobs of a TableReader. (Step 5's DB has its own ReadOptions, step5_lsm/options.h,
// and turns them into these.)
struct TableReadOptions {
  // Put blocks read from the file into the block cache (turn off for one-off scans).
  bool fill_cache = true;
  // Check each data block's CRC32C as it is read from the file. A memory-mapped table checks
  // a block only the first time it is read (its bytes in the map are then known good).
  bool verify_checksums = true;
  // If set, an iterator adds one here for every data block it reads (cache hits included):
  // step 5 counts a scan's read amplification with it. nullptr: nothing counted.
  std::atomic<uint64_t>* data_blocks_read = nullptr;
};

class TableReader {
 public:
  // Called with the first entry whose key >= the lookup key, if the searched block has one.
  using GetCallback = std::function<void(std::string_view key, std::string_view value)>;

  // Opens the table in `file` (file_size bytes). On success *table is set; on failure it is
  // left empty and the Status (Corruption for a bad footer/index, IOError...) names the file.
  static Status Open(const TableOptions& options, std::unique_ptr<RandomAccessFile> file,
                     uint64_t file_size, std::unique_ptr<TableReader>* table);
  // The same, for a file the caller owns. REQUIRES: file outlives the reader.
  static Status Open(const TableOptions& options, const RandomAccessFile* file,
                     uint64_t file_size, std::unique_ptr<TableReader>* table);

  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;
  ~TableReader();

  // Point lookup, LevelDB's InternalGet: finds the one block that can hold `key`, consults the
  // filter, and calls fn with the first entry >= key in that block (not at all when the filter
  // skips or the block has none). Returns OK or the error met (Corruption, IOError).
  Status Get(const TableReadOptions& read_options, std::string_view key,
             const GetCallback& fn, GetTrace* trace = nullptr) const;

  // Convenience for user-key tables: OK and *value when an entry's key equals `key`
  // (comparator order), NotFound otherwise, or the error met.
  Status Get(std::string_view key, std::string* value, GetTrace* trace = nullptr) const;

  // Returns an iterator over every entry, in comparator order (contract: common/iterator.h).
  std::unique_ptr<Iterator> NewIterator(const TableReadOptions& read_options = {}) const;

  // Returns the approximate file offset where `key`'s data begins (the start of the block that
  // would hold it; the metaindex offset, i.e. ~file size, for keys past the last block).
  uint64_t ApproximateOffsetOf(std::string_view key) const;

  // Returns whether a filter block is in use.
  bool has_filter() const { return filter_ != nullptr; }
  // Returns an iterator over the index block (separator key -> encoded BlockHandle).
  std::unique_ptr<Iterator> NewIndexIterator() const;
  const Footer& footer() const { return footer_; }
  const RandomAccessFile& file() const { return *file_; }

  // Counters since Open (for narration and benchmarks).
  uint64_t blocks_read() const { return blocks_read_.load(std::memory_order_relaxed); }
  uint64_t cache_hits() const { return cache_hits_.load(std::memory_order_relaxed); }
  uint64_t filter_skips() const { return filter_skips_.load(std::memory_order_relaxed); }

 private:
  TableReader(const TableOptions& options, const RandomAccessFile* file);
  Status Init(uint64_t file_size);
  void ReadFilter(std::string_view filter_handle_value);
  // The verified_ bit of the mapped block at offset. REQUIRES: offset < mapped_.size().
  bool IsVerified(uint64_t offset) const {
    return (verified_[offset >> 6].load(std::memory_order_relaxed) >> ((offset >> 3) & 7)) & 1;
  }
  void MarkVerified(uint64_t offset) const {
    verified_[offset >> 6].fetch_or(uint8_t(1u << ((offset >> 3) & 7)), std::memory_order_relaxed);
  }
  // Returns an iterator over the data block an index value names (cache-aware).
  std::unique_ptr<Iterator> BlockIterator(const TableReadOptions& read_options,
                                          std::string_view index_value,
                                          GetTrace* trace = nullptr) const;

  // Constant after Open():
  const TableOptions options_;
  std::unique_ptr<RandomAccessFile> owned_file_;  // nullptr when the caller owns the file
  const RandomAccessFile* const file_;
  // The whole file when it is memory-mapped (an MmapFile), else empty. Data blocks of a mapped
  // table are read in place: no copy, no system call, and no block cache (as in LevelDB, the
  // cache is for blocks that had to be copied out of the file).
  std::string_view mapped_;
  // For a mapped table: one bit per 8 bytes of file, set once the block starting there has
  // passed its checksum, so a block read in place is checksummed once, not on every lookup.
  // (Every block plus its trailer is longer than 8 bytes, so no two blocks share a bit; and
  // block offsets come from the index block, which is itself checked at Open.)
  std::unique_ptr<std::atomic<uint8_t>[]> verified_;
  uint64_t cache_id_ = 0;
  Footer footer_;
  std::unique_ptr<Block> index_block_;
  std::string filter_data_;
  std::unique_ptr<FilterBlockReader> filter_;  // nullptr: no usable filter

  mutable std::atomic<uint64_t> blocks_read_{0};
  mutable std::atomic<uint64_t> cache_hits_{0};
  mutable std::atomic<uint64_t> filter_skips_{0};
};

}  // namespace lsm
