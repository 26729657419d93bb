// DurableStore: step 2 — step 1's MemoryStore plus a write-ahead log, so a restart (or a
// crash) loses nothing that was acknowledged.
//
// Every write is first appended to the log as one WriteBatch record, then applied to the map:
//
//   Put/Delete/Write --> [WalWriter: NNNNNN.log] --(sync option)--> [MemoryStore] --> OK
//   Open            --> load CHECKPOINT, replay *.log in number order (skip what the
//                       checkpoint already holds, by sequence number) --> RecoveryReport
//
// Files in the store's directory:
//   LOCK          fcntl lock: one process at a time
//   NNNNNN.log    the write-ahead log(s); a fresh one is started on every Open
//   CHECKPOINT    a snapshot of the whole map in the same log format: WriteBatches of puts,
//                 each carrying the snapshot's sequence S, ended by an empty batch (the end
//                 marker). It holds the effect of every write with sequence <= S.
//   CHECKPOINT.tmp  a snapshot being written; ignored and removed on Open
//
// Example:
//   std::unique_ptr<DurableStore> store;
//   Status s = DurableStore::Open({.sync = true}, "/tmp/db", &store);
//   if (s.ok()) s = store->Put("apple", "red");   // on disk when this returns OK
//
// Durability: with sync=true a write is on stable storage when it returns OK (survives power
// loss). With sync=false it has reached the OS (survives a crash of this process, not of the
// machine) — the trade-off step2_wal/README.md measures.
// Atomicity: a WriteBatch is one log record, and the reader returns whole records only, so
// after a crash either all of a batch is there or none of it.
// Thread-safety: thread-safe; one mutex serializes every operation (step 5 adds group commit).
// Scan's callback runs under that mutex and must not call back into the store.
// Invariants: last_sequence_ is the sequence of the newest applied operation; the map equals
// CHECKPOINT + every log record with a larger sequence; after a failed log write or log switch
// the store refuses writes with that error (sticky; reads work); log_ is set while error_ is OK.
// Not copyable.
// Simplifications: everything still lives in RAM (step 3/4 move it to sorted files); a
// checkpoint rewrites the whole map (O(data)), where LevelDB flushes only the memtable; no
// group commit; tolerant recovery may skip a damaged batch and still apply later ones.
#pragma once

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
#include "step1_memory/memory_store.h"
#include "step2_wal/wal_writer.h"
#include "step2_wal/write_batch.h"

namespace lsm {

struct DurableStoreOptions {
  // fsync the log before every write returns (durable against power loss; slow).
  bool sync = false;
  // Recovery policy. Paranoid: the first damaged record makes Open fail with a Corruption
  // naming the file and offset. Tolerant: skip the damage, report it, keep going.
  bool paranoid_checks = false;
  // Checkpoint automatically once the current log passes this many bytes; 0 = never.
  uint64_t checkpoint_log_bytes = 64ull << 20;
  // Where the files live; must outlive the store.
  FileSystem* fs = FileSystem::Default();
};

// What Open found and did. A torn tail is normal after a crash; dropped bytes are damage.
struct RecoveryReport {
  bool loaded_checkpoint = false;
  uint64_t checkpoint_entries = 0;   // keys loaded from CHECKPOINT
  int logs_replayed = 0;
  uint64_t batches_applied = 0;
  uint64_t batches_skipped = 0;      // already contained in the checkpoint
  uint64_t torn_tail_bytes = 0;      // incomplete last records, dropped silently
  uint64_t dropped_bytes = 0;        // damaged bytes skipped (tolerant mode)
  std::vector<std::string> problems; // one line per damage or torn tail: file and offset
  SequenceNumber last_sequence = 0;
  bool checkpointed_on_open = false;

  // A few human-readable lines.
  std::string ToString() const;
};

class DurableStore {
 public:
  using Options = DurableStoreOptions;

  // Opens (creating if needed) the store in dir and recovers its contents.
  static Status Open(const Options& options, const std::filesystem::path& dir,
                     std::unique_ptr<DurableStore>* result);

  DurableStore(const DurableStore&) = delete;
  DurableStore& operator=(const DurableStore&) = delete;
  // Flushes (does not sync) the log and releases the lock.
  ~DurableStore();

  // Logs, then applies; OK means durable per Options::sync.
  Status Put(std::string_view key, std::string_view value);
  Status Delete(std::string_view key);
  // Applies every operation of *batch atomically, giving them sequence numbers (SetSequence).
  // Corruption (and nothing written) if the batch is malformed.
  Status Write(WriteBatch* batch);

  // OK and *value set, or NotFound.
  Status Get(std::string_view key, std::string* value) const;
  // Every live key in [from, to) in ascending order (empty `to` = to the end); O(n log n).
  Status Scan(std::string_view from, std::string_view to, const ScanCallback& fn) const;

  // Snapshots the map to CHECKPOINT and starts a new, empty log, deleting the old ones.
  // Order (each step durable before the next): write CHECKPOINT.tmp, fsync it, rename it to
  // CHECKPOINT, fsync the directory, create the next log, fsync the directory, delete old logs.
  Status Checkpoint();

  const RecoveryReport& recovery_report() const { return report_; }
  SequenceNumber last_sequence() const;
  // Path of the log currently written.
  std::filesystem::path log_path() const;
  size_t size() const;

  // File names inside a store directory (logs: LogFileName, step2_wal/log_file_name.h).
  static constexpr std::string_view kCheckpointName = "CHECKPOINT";
  static constexpr std::string_view kCheckpointTmpName = "CHECKPOINT.tmp";

 private:
  DurableStore(const Options& options, std::filesystem::path dir);

  Status Recover();
  // Replays one log-format file into map_. `is_checkpoint`: every record is a snapshot batch.
  Status ReplayFile(const std::filesystem::path& path, bool is_checkpoint);
  // REQUIRES: mu_ held (or not yet shared).
  Status NewLogLocked();
  Status WriteLocked(WriteBatch* batch);
  Status CheckpointLocked();

  // Constant after Open.
  const Options options_;
  const std::filesystem::path dir_;
  std::unique_ptr<FileLock> lock_;
  RecoveryReport report_;

  mutable std::mutex mu_;
  // Guarded by mu_.
  MemoryStore map_;
  SequenceNumber last_sequence_ = 0;
  SequenceNumber checkpoint_sequence_ = 0;  // during recovery: S of the loaded CHECKPOINT
  uint64_t log_number_ = 0;
  std::vector<uint64_t> old_logs_;  // replayed on Open, deleted by the next checkpoint
  std::unique_ptr<WritableFile> log_file_;
  std::unique_ptr<WalWriter> log_;
  WriteBatch scratch_batch_;  // reused by Put/Delete
  Status error_;              // sticky: set when the log could not be written or switched
};

static_assert(OrderedKvStore<DurableStore>);

}  // namespace lsm
