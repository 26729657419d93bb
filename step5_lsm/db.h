// DB: step 5's complete engine — a leveled LSM tree, byte-compatible with LevelDB 1.23.
// (Options::compaction_style also offers tiered and lazy-leveled compaction over the same
// LevelDB-readable layout.)
//
//   Put/Delete ──> WAL (NNNNNN.log) ──> memtable ──full──> immutable memtable
//                                                              │ background thread
//                                                              v
//   L0:  [t7] [t9] [t12]          (overlapping; one per flushed memtable)
//   L1:  [a..f] [g..m] [n..z]     (10 MiB, disjoint)      compaction merges L(n) into L(n+1)
//   L2:  ...                      (100 MiB, disjoint)     and drops shadowed versions
//   MANIFEST + CURRENT: which files make up each level
//
// Example:
//   std::unique_ptr<DB> db;
//   Status s = DB::Open(Options{.create_if_missing = true}, "/tmp/db", &db);
//   if (s.ok()) s = db->Put("apple", "red");
//   std::string value;
//   if (s.ok()) s = db->Get("apple", &value);
//   auto it = db->NewIterator(ReadOptions{});
//   for (it->Seek("a"); it->Valid(); it->Next()) Use(it->key(), it->value());
//
// Thread-safety: every method is safe to call from many threads at once. Concurrent writers
// are batched into one log record (group commit). Iterators and snapshots are per-thread
// objects; an Iterator must be destroyed before the DB.
// Durability: a write acknowledged with sync = true survives a crash or power loss; without
// sync it survives a process crash. After a failed log write no later write is acknowledged
// until Resume() (see there). Recovery replays a consistent prefix of the logs: it stops at
// the first damaged record and reports what it dropped (the info log dir/LOG, the property
// "lsm.recovery", EventListener::OnRecovery), keeping the dropped bytes in dir/lost/;
// Options::paranoid_checks refuses to open instead.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/iterator.h"
#include "common/status.h"
#include "common/store.h"
#include "step2_wal/write_batch.h"
#include "step5_lsm/event_listener.h"
#include "step5_lsm/options.h"

namespace lsm {

// A consistent, read-only view of the database at one sequence number. Obtain with
// DB::GetSnapshot, give back with DB::ReleaseSnapshot; while held, compactions keep every
// version it can see.
class Snapshot {
 public:
  explicit Snapshot(SequenceNumber sequence) : sequence_(sequence) {}
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  SequenceNumber sequence() const { return sequence_; }

 private:
  const SequenceNumber sequence_;
};

class DB {
 public:
  // Opens (or creates, with create_if_missing) the database in dir and recovers it: replays
  // the MANIFEST and every log newer than it; unflushed log data becomes a level-0 table.
  static Status Open(const Options& options, const std::filesystem::path& dir,
                     std::unique_ptr<DB>* db);

  DB() = default;
  DB(const DB&) = delete;
  DB& operator=(const DB&) = delete;
  // Waits for the running background work, then closes. Unflushed writes are in the log.
  virtual ~DB() = default;

  virtual Status Put(const WriteOptions& options, std::string_view key,
                     std::string_view value) = 0;
  virtual Status Delete(const WriteOptions& options, std::string_view key) = 0;
  // Applies every update in *batch atomically (all or none survive a crash).
  virtual Status Write(const WriteOptions& options, WriteBatch* batch) = 0;
  // OK and *value, NotFound, or an error.
  virtual Status Get(const ReadOptions& options, std::string_view key, std::string* value) = 0;
  // An iterator over user keys at options.snapshot (or now). It pins the memtables and tables
  // it reads; destroy it before the DB.
  virtual std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) = 0;

  virtual const Snapshot* GetSnapshot() = 0;
  // REQUIRES: snapshot came from this DB's GetSnapshot and was not released.
  virtual void ReleaseSnapshot(const Snapshot* snapshot) = 0;

  // Flushes the memtable, then compacts every file overlapping [*begin, *end] (null =
  // unbounded) down to the deepest level holding data in that range.
  virtual Status CompactRange(const std::string_view* begin, const std::string_view* end) = 0;
  // Freezes the memtable and waits until it is a table.
  virtual Status Flush() = 0;

  // Properties (value in *value; false for unknown names). Counters start at zero at Open.
  // "Write amplification" is one figure everywhere (lsm.stats, lsm.amplification,
  // lsm.write-amplification, FlushInfo/CompactionInfo): bytes written to table files by
  // flushes and compactions / bytes of keys and values the user wrote (Put and Delete).
  //   "lsm.num-files-at-level<N>"      the number of table files at level N (0-6)
  //   "lsm.stats"                      a table, one row per level with files or background
  //                                    work: files, size, compaction time, MB read, MB
  //                                    written; then "flushes: <n>  table bytes written: <MB>
  //                                    user key+value bytes: <MB>" and "write amplification
  //                                    (table bytes / user key+value bytes): <x.xx>"
  //   "lsm.write-amplification"        that write amplification alone, e.g. "1.63"
  //   "lsm.levels"                     the level map: per non-empty level its file count,
  //                                    bytes and share of its limit, then a line per file
  //                                    (number, user-key range, size)
  //   "lsm.sstables"                   "--- level <N> ---" for every level, each followed by
  //                                    a line per file: " <number>:<bytes>[<smallest> ..
  //                                    <largest>]" (internal keys)
  //   "lsm.approximate-memory-usage"   memtables + block cache bytes
  //   "lsm.block-cache"                "hits <n> misses <n> hit-rate <x>% charge <n> bytes"
  //   "lsm.compaction-pending"         1 while background work is queued or running, else 0
  //   "lsm.pending-work"               that work by name: "none", or one or more of
  //                                    "scheduled" (queued or running on the background
  //                                    thread), "memtable-flush", "manual-compaction",
  //                                    "compaction-wanted" (the tree's shape asks for one)
  //   "lsm.recovery"                   what Open replayed from each log and what it dropped
  //   "lsm.background-error"           "OK", or the error that stops writes (see Resume)
  //   "lsm.amplification"              amplification measured in bytes since Open, one
  //                                    "name value ..." line each:
  //     style <leveled|tiered|lazy-leveled> sorted-runs <n>
  //     write-amp <table bytes / user key+value bytes> table-bytes <n> flush-bytes <n>
  //       compaction-bytes <n> user-bytes <user key+value bytes>
  //     log-amp <log bytes / user key+value bytes> log-bytes <n>
  //     space-amp <live table bytes / estimated bytes after a full compaction>
  //       live-table-bytes <n> estimated-compacted-bytes <n>
  //       (the estimate: EstimateCompactedBytes, step5_lsm/tiered_policy.h)
  //     read point-hit: ops <n> memtable <answered there> runs/op filters/op blocks/op
  //       cache-hits/op                     (Get that found a value)
  //     read point-miss: (the same, for Get returning NotFound)
  //     read scan: ops <iterators> runs/op tables-opened/op blocks/op (data blocks read)
  //     stall: slowdowns <n> slowdown-micros <n> stops <n> stop-micros <n>
  //     background: micros <time the flushes and compactions took> table-bytes <they wrote>
  //     mini-lsm: write-amp (table files / flushes) space-amp (max live files / flushes)
  //       read-amp (L0 files + non-empty levels) live-files <n>
  virtual bool GetProperty(std::string_view property, std::string* value) = 0;

  // After a failed log append or fsync (a full disk, an I/O error), flush or compaction, the
  // DB refuses every write with that error — the message names the file — while reads keep
  // working: a write appended after a torn or unsynced log record would be acknowledged yet
  // lost by recovery. Resume() retries, once the cause is gone: it flushes the memtables to
  // tables (so nothing depends on the damaged log) and starts a fresh log. OK when the DB is
  // healthy again (or was); otherwise the new error, still sticky. Reopening also recovers.
  virtual Status Resume() = 0;

  // --- The store concepts (common/store.h), with the options' default durability --------
  Status Put(std::string_view key, std::string_view value);
  Status Delete(std::string_view key);
  Status Get(std::string_view key, std::string* value);
  // Every live key in [from, to) in ascending order (empty `to` = to the end).
  Status Scan(std::string_view from, std::string_view to, const ScanCallback& fn);

 protected:
  // What Put/Delete without options use (Options::sync).
  virtual WriteOptions DefaultWriteOptions() const = 0;
  // The key order (Options::comparator), for Scan's upper bound.
  virtual const Comparator* UserComparator() const = 0;
};

// Deletes every file of the database in dir (and dir if it becomes empty). The DB must be
// closed. OK if dir does not exist.
Status DestroyDB(const std::filesystem::path& dir, const Options& options);

static_assert(OrderedKvStore<DB>);

}  // namespace lsm
