// SSTableStore: step 4 — step 3's logged memtable, plus flushes: when the memtable passes
// write_buffer_size it is written out as a sorted table and a fresh log begins. Memory is now
// bounded and restarts replay only the small unflushed log.
//
//   Put/Delete --> WAL (NNNNNN.log) --> MemTable
//                                         | bigger than write_buffer_size?
//                                         v
//                          TableBuilder --> NNNNNN.ldb (internal keys, bloom filter)
//   Get(k)     --> memtable, then tables newest-first; the first one that knows k decides
//                  (a value, or a tombstone = NotFound). Each table costs an index lookup in
//                  memory, a bloom check, and for a hit (or a false positive) one block read.
//   Scan       --> merge the memtable and every table iterator; the newest version of each
//                  user key decides.
//
// Files (one counter numbers them all, LevelDB style):
//   LOCK           fcntl lock: one process at a time
//   NNNNNN.ldb     tables, written tmp -> sync -> rename; a higher number is newer
//   NNNNNN.log     the live write-ahead log; its number is above every table's
//
// Flush order (crash-safe): (1) write table T (> current log L) as T.ldb.tmp, sync, rename to
// T.ldb, sync the dir; (2) open log T+1 and switch to it; (3) delete log L (best effort: if
// that fails, the write still succeeds and the deletion is retried at the next flush or open).
// Recovery ignores (and deletes) logs numbered below the newest table — already flushed — and
// replays the rest.
//
// Example:
//   std::unique_ptr<SSTableStore> store;
//   Status s = SSTableStore::Open({.write_buffer_size = 1 << 20}, "/tmp/db", &store);
//   if (s.ok()) s = store->Put("apple", "red");
//
// Thread-safety: thread-safe. Writers serialize on a mutex (a flush runs inside the write that
// triggers it). Readers take the mutex only to copy the current state (memtable, table list,
// last sequence) as shared_ptrs, then read without it, so Scan's callback may call the store.
// Not copyable.
// Simplifications: no compaction (every flush adds a table, so misses get slower as tables
// pile up — step 5's motivation); no MANIFEST (tables are found by listing the directory, and
// the last sequence is recovered by scanning the newest table); flushes block the writer.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/file.h"
#include "common/status.h"
#include "common/store.h"
#include "step2_wal/wal_writer.h"
#include "step2_wal/write_batch.h"
#include "step3_memtable/internal_key.h"
#include "step3_memtable/memtable.h"
#include "step4_sstable/block_cache.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/table_reader.h"

namespace lsm {

struct SSTableStoreOptions {
  // fsync the log before every write returns.
  bool sync = false;
  // Flush the memtable to a table once it holds this many bytes (LevelDB's default: 4 MiB).
  size_t write_buffer_size = 4 << 20;
  // Bloom filter bits per key in each table; 0 = no filter.
  int bloom_bits_per_key = 10;
  // Shared block cache capacity; 0 = no cache.
  size_t block_cache_bytes = 8 << 20;
  CompressionType compression = CompressionType::kNone;
  FileSystem* fs = FileSystem::Default();  // must outlive the store
};

class SSTableStore {
 public:
  using Options = SSTableStoreOptions;

  // Opens (creating if needed) the store in dir: loads its tables and replays its log.
  static Status Open(const Options& options, const std::filesystem::path& dir,
                     std::unique_ptr<SSTableStore>* result);

  SSTableStore(const SSTableStore&) = delete;
  SSTableStore& operator=(const SSTableStore&) = delete;
  ~SSTableStore();

  Status Put(std::string_view key, std::string_view value);
  Status Delete(std::string_view key);
  // OK and *value, NotFound, or an error (e.g. Corruption from a table).
  Status Get(std::string_view key, std::string* value) const;
  // Every live key in [from, to) in ascending order (empty `to` = to the end).
  Status Scan(std::string_view from, std::string_view to, const ScanCallback& fn) const;

  // Writes the memtable out as a table now (no-op when it is empty).
  Status Flush();

  // For narration and benchmarks.
  size_t NumTables() const;
  SequenceNumber last_sequence() const;
  // Tables consulted by Gets so far (a miss asks every table, minus filter skips).
  uint64_t tables_probed() const { return tables_probed_.load(std::memory_order_relaxed); }
  uint64_t filter_skips() const { return filter_skips_.load(std::memory_order_relaxed); }

 private:
  struct Table {
    uint64_t number;
    std::shared_ptr<const TableReader> reader;
  };
  // What a reader needs, copied under the mutex.
  struct Snapshot {
    std::shared_ptr<const MemTable> mem;
    std::shared_ptr<const std::vector<Table>> tables;  // newest first
    SequenceNumber sequence;
  };

  SSTableStore(const Options& options, std::filesystem::path dir);
  Status Recover();
  Status OpenTable(uint64_t number, Table* table);
  Status ReplayLog(uint64_t number, SequenceNumber* last);
  Status NewLog(uint64_t number);
  Status Write(WriteBatch* batch);
  Status FlushLocked();
  // Deletes the logs numbered below `below`, ignoring failures (a leftover log is harmless).
  void RemoveObsoleteLogs(uint64_t below);
  Snapshot GetSnapshot() const;
  std::filesystem::path FileName(uint64_t number, std::string_view ext) const;

  // Constant after Open.
  const Options options_;
  const std::filesystem::path dir_;
  const InternalKeyComparator icmp_;
  std::unique_ptr<const FilterPolicy> bloom_;
  std::unique_ptr<const InternalFilterPolicy> filter_;
  std::unique_ptr<BlockCache> cache_;
  TableOptions table_options_;
  std::unique_ptr<FileLock> lock_;

  mutable std::mutex mu_;
  // Guarded by mu_:
  std::shared_ptr<MemTable> mem_;
  std::shared_ptr<const std::vector<Table>> tables_;  // replaced, never mutated (readers share)
  SequenceNumber last_sequence_ = 0;
  uint64_t next_file_number_ = 1;
  uint64_t log_number_ = 0;
  std::unique_ptr<WritableFile> log_file_;
  std::unique_ptr<WalWriter> log_;
  Status error_;  // sticky write error

  mutable std::atomic<uint64_t> tables_probed_{0};
  mutable std::atomic<uint64_t> filter_skips_{0};
};

static_assert(OrderedKvStore<SSTableStore>);

}  // namespace lsm
