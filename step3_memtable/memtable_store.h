// MemTableStore: step 3 — step 2's write-ahead log in front of a MemTable. Writes are durable
// (logged first) and reads are ordered: a scan walks the skip list, no sorting.
//
//   Put/Delete/Write --> WriteBatch (sequence S..S+n-1) --> [WalWriter: NNNNNN.log]
//                    --> MemTable.Add(S+i, type, key, value) --> last_sequence = S+n-1
//   Get(k)           --> MemTable.Get(LookupKey(k, last_sequence))
//   Scan(from, to)   --> MemTable iterator from (from, max seq): for each user key the first
//                        entry at or below the snapshot decides (value -> report, tombstone ->
//                        skip), older versions are stepped over
//   Open             --> replay every *.log in number order into a fresh MemTable, restoring
//                        the sequence numbers, then start a new log NNNNNN+1.log
//
// Files in the store's directory:
//   LOCK          fcntl lock: one process at a time
//   NNNNNN.log    write-ahead logs (LevelDB log format, one WriteBatch per record). Every Open
//                 starts a new one; old ones are kept, because they are the only durable copy
//                 of the data: this step never writes the memtable to disk (step 4 does).
//
// Example:
//   std::unique_ptr<MemTableStore> store;
//   Status s = MemTableStore::Open({.sync = true}, "/tmp/db", &store);
//   if (s.ok()) s = store->Put("apple", "red");
//   s = store->Scan("a", "b", [](auto k, auto v) { fmt::print("{}={}\n", k, v); return true; });
//
// Thread-safety: thread-safe. Writers serialize on a mutex. Readers take no lock: they read
// last_sequence_ (acquire) and then the memtable at that snapshot. A writer adds a batch's
// entries to the memtable first and publishes the new last sequence (release) after, so a
// reader never sees half a batch — entries above its snapshot are invisible to it.
// Invariants: every entry in the memtable is also in a log; last_sequence_ is the sequence of
// the newest operation applied; after a failed log write the store refuses further writes.
// Not copyable.
// Simplifications: the memtable grows without bound and the logs are never deleted (step 5
// flushes the memtable to a table and then drops the log); no group commit; no snapshots API.
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
#include "common/value_type.h"
#include "step2_wal/wal_writer.h"
#include "step2_wal/write_batch.h"
#include "step3_memtable/internal_key.h"
#include "step3_memtable/memtable.h"

namespace lsm {

struct MemTableStoreOptions {
  // fsync the log before every write returns (durable against power loss; slow).
  bool sync = false;
  // Paranoid: the first damaged log record makes Open fail with a Corruption naming the file
  // and offset. Tolerant: skip the damaged bytes, count them in the report, keep going.
  bool paranoid_checks = false;
  // Where the files live; must outlive the store.
  FileSystem* fs = FileSystem::Default();
};

// What Open found. A torn tail is normal after a crash; dropped bytes are damage.
struct MemTableRecovery {
  int logs_replayed = 0;
  uint64_t batches_applied = 0;
  uint64_t torn_tail_bytes = 0;
  uint64_t dropped_bytes = 0;
  std::vector<std::string> problems;  // one line per damage: file and offset
  SequenceNumber last_sequence = 0;
};

class MemTableStore {
 public:
  using Options = MemTableStoreOptions;

  // Opens (creating if needed) the store in dir and replays its logs.
  static Status Open(const Options& options, const std::filesystem::path& dir,
                     std::unique_ptr<MemTableStore>* result);

  MemTableStore(const MemTableStore&) = delete;
  MemTableStore& operator=(const MemTableStore&) = delete;
  // Flushes (does not sync) the log and releases the lock.
  ~MemTableStore();

  // Logs, then applies; OK means durable per Options::sync.
  Status Put(std::string_view key, std::string_view value);
  Status Delete(std::string_view key);
  // Applies every operation of *batch atomically, giving them sequence numbers (SetSequence).
  // Corruption (and nothing written) if the batch is malformed.
  Status Write(WriteBatch* batch);

  // OK and *value set, or NotFound. Lock-free.
  Status Get(std::string_view key, std::string* value) const;
  // Calls fn for every live key in [from, to) in ascending order (empty `to` = to the end),
  // as of the moment the scan starts. O(log n + keys visited); no sorting. Lock-free: fn may
  // call back into the store (its own writes are not seen by this scan).
  Status Scan(std::string_view from, std::string_view to, const ScanCallback& fn) const;

  SequenceNumber last_sequence() const { return last_sequence_.load(std::memory_order_acquire); }
  const MemTableRecovery& recovery() const { return recovery_; }
  // The memtable, shared: step 4's flush reads it through this.
  std::shared_ptr<const MemTable> memtable() const { return mem_; }
  size_t ApproximateMemoryUsage() const { return mem_->ApproximateMemoryUsage(); }
  std::filesystem::path log_path() const;

 private:
  MemTableStore(const Options& options, std::filesystem::path dir);

  Status Recover();
  Status ReplayLog(uint64_t number);
  Status NewLog();
  // REQUIRES: write_mu_ held; *batch well formed.
  Status WriteLocked(WriteBatch* batch);

  // Constant after Open.
  const Options options_;
  const std::filesystem::path dir_;
  const InternalKeyComparator icmp_;
  std::unique_ptr<FileLock> lock_;
  MemTableRecovery recovery_;
  const std::shared_ptr<MemTable> mem_;

  // Written under write_mu_, read by anyone.
  std::atomic<SequenceNumber> last_sequence_{0};

  std::mutex write_mu_;
  // Guarded by write_mu_.
  uint64_t log_number_ = 0;
  std::unique_ptr<WritableFile> log_file_;
  std::unique_ptr<WalWriter> log_;
  WriteBatch scratch_batch_;  // reused by Put/Delete
  Status error_;              // sticky: set when the log could not be written
};

static_assert(OrderedKvStore<MemTableStore>);

}  // namespace lsm
