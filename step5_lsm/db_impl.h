// DBImpl: the engine behind DB — the write path, the read path, the background thread that
// flushes memtables and runs compactions, and recovery.
//
// One mutex (mu_) guards the shared state below it, like LevelDB's DBImpl. It is never held
// during disk I/O on the hot paths: a writer appends to the log and the memtable with the
// mutex released (only the front writer of the queue does so, so they stay ordered), and a
// reader copies three shared_ptrs (memtable, immutable memtable, Version) under the mutex and
// searches them without it.
//
// Invariants (under mu_):
//   - mem_ is the live memtable; its writes are in log logfile_number_.
//   - imm_, if any, is frozen and being flushed; its writes are in logs >= the MANIFEST's log
//     number, so recovery replays them until the flush's edit is logged.
//   - a table file is deleted only when no live Version lists it and it is not being written
//     (pending_outputs_).
// Errors: a failed log append or sync, flush or compaction sets bg_error_; from then on
// writes fail with it (reads keep working) until Resume() succeeds or the DB is reopened.
// Simplifications (vs LevelDB): iterators do not sample reads for seek compaction; one
// background thread does flushes and compactions.
//
// Where the code is: db_impl.cc holds the write path (and Resume), the read path and the
// manual operations; db_recovery.cc opening and recovery; db_background.cc the background
// thread (flushes, picking compactions, deleting obsolete files); running one compaction is
// CompactionJob (step5_lsm/compaction_job.h); db_stats.cc the counters and the listener's
// events; db_properties.cc GetProperty.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/info_log.h"
#include "step2_wal/wal_writer.h"
#include "step3_memtable/internal_key.h"
#include "step3_memtable/memtable.h"
#include "step4_sstable/block_cache.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/table_options.h"
#include "step5_lsm/compaction.h"
#include "step5_lsm/compaction_job.h"
#include "step5_lsm/db.h"
#include "step5_lsm/table_cache.h"
#include "step5_lsm/version_set.h"

namespace lsm {

class DBImpl final : public DB {
 public:
  DBImpl(const Options& options, std::filesystem::path dir);
  ~DBImpl() override;

  Status Put(const WriteOptions& options, std::string_view key, std::string_view value) override;
  Status Delete(const WriteOptions& options, std::string_view key) override;
  Status Write(const WriteOptions& options, WriteBatch* batch) override;
  Status Get(const ReadOptions& options, std::string_view key, std::string* value) override;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) override;
  const Snapshot* GetSnapshot() override;
  void ReleaseSnapshot(const Snapshot* snapshot) override;
  Status CompactRange(const std::string_view* begin, const std::string_view* end) override;
  Status Flush() override;
  bool GetProperty(std::string_view property, std::string* value) override;
  Status Resume() override;

  // Opens the directory: lock, create or recover, new log, first MANIFEST write.
  Status Recover();

 protected:
  WriteOptions DefaultWriteOptions() const override { return WriteOptions{.sync = options_.sync}; }
  const Comparator* UserComparator() const override { return options_.comparator; }

 private:
  struct Writer;
  // A CompactRange round the background thread runs (manual_compaction_).
  struct ManualCompaction {
    int level = 0;
    bool done = false;
    const InternalKey* begin = nullptr;  // null: from the start
    const InternalKey* end = nullptr;    // null: to the end
    InternalKey tmp_storage;             // where the next round starts
  };
  // Per-level totals of background work, for "lsm.stats" and write amplification.
  struct LevelStats {
    uint64_t micros = 0;
    uint64_t bytes_read = 0;
    uint64_t bytes_written = 0;
    int compactions = 0;
  };
  using Lock = std::unique_lock<std::mutex>;
  // Read-amplification totals of one operation kind (point hit, zero-result point lookup,
  // scan). Relaxed atomics, bumped by readers without mu_: each counter is exact, a snapshot
  // of several may mix operations in flight.
  struct ReadAmpCounters {
    std::atomic<uint64_t> ops{0};
    std::atomic<uint64_t> memtable_answers{0};  // answered before any table was searched
    std::atomic<uint64_t> runs{0};              // sorted runs consulted (tables searched)
    std::atomic<uint64_t> filters{0};           // bloom filters probed
    std::atomic<uint64_t> blocks{0};            // data blocks searched (scans_: tables opened)
    std::atomic<uint64_t> cache_hits{0};        // of those, from the block cache
    std::atomic<uint64_t> data_blocks{0};       // scans_ only: data blocks iterators read
  };

  // --- recovery ---
  // Replays one log into level-0 tables (replay = false: only counts what it holds), filling
  // *info; stops at the first damage (an error with paranoid_checks).
  Status RecoverLogFile(uint64_t log_number, bool replay, VersionEdit* edit,
                        SequenceNumber* max_sequence, Lock* lock, LogRecoveryInfo* info);
  // Moves logs that recovery dropped data from into dir/lost/ (best effort).
  void KeepLostLogs();
  // One line in the info LOG (if it could be opened).
  template <typename... Args>
  void Log(fmt::format_string<Args...> f, Args&&... args) {
    if (info_log_ != nullptr) info_log_->Log(f, std::forward<Args>(args)...);
  }
  // --- write path ---
  Status MakeRoomForWrite(bool force, Lock* lock);
  // Freezes mem_ as imm_ and starts a new log. REQUIRES: mu_ held, imm_ == nullptr, and the
  // caller is the front writer.
  Status SwitchMemTable();
  Status ResumeLocked(Lock* lock);
  WriteBatch* BuildBatchGroup(Writer** last_writer);
  // --- background work (REQUIRES: mu_ held; may release it) ---
  void MaybeScheduleCompaction();
  void BackgroundThread();
  void BackgroundCompaction(Lock* lock);
  void CompactMemTable(Lock* lock);
  Status WriteLevel0Table(const MemTable* mem, VersionEdit* edit, const Version* base,
                          Lock* lock, FlushInfo* info);
  // What a CompactionJob uses of this DB; between entries it flushes imm_ (through *lock).
  CompactionJob::Context MakeCompactionContext(Lock* lock);
  void RemoveObsoleteFiles(Lock* lock);
  void RecordBackgroundError(const Status& s);
  // Whether a user read checks block checksums: when it asks, or always if paranoid.
  bool ShouldVerifyChecksums(const ReadOptions& options) const {
    return options.verify_checksums || options_.paranoid_checks;
  }
  std::unique_ptr<Iterator> NewInternalIterator(const ReadOptions& options,
                                                SequenceNumber* latest_snapshot);
  // Waits until the immutable memtable is flushed (or an error). REQUIRES: mu_ held.
  Status WaitForImmutableFlush(Lock* lock);
  // --- counters and events (db_stats.cc; REQUIRES: mu_ held unless noted) ---
  // Bytes of keys and values in a batch (the denominator of write amplification).
  static uint64_t KeyValueBytes(const WriteBatch& batch);
  static TableFileInfo DescribeFile(int level, const FileMetaData& f);
  static std::vector<TableFileInfo> DescribeFiles(const Version& v);  // every table, by level
  // A write group reached the log (log_bytes) and the memtable (kv_bytes; 0 if it failed).
  void CountWrite(uint64_t kv_bytes, uint64_t log_bytes);
  // A writer starts waiting (tells the listener; returns the start time) / stops waiting.
  uint64_t BeginStall(WriteStallInfo::Kind kind, int l0_files);
  void EndStall(WriteStallInfo::Kind kind, int l0_files, uint64_t start);
  void ReportStall(WriteStallInfo::Kind kind, bool begin, int l0_files, uint64_t micros);
  // Read amplification of one Get (found: a value, else NotFound), and of one new scan and
  // each table it opens in a level. No mutex needed (relaxed atomics).
  void CountPointRead(bool found, bool searched_tables, const GetStats& stats);
  void CountScan(const Version& v);
  void CountScanTableOpened();
  // Updates max_live_table_files_ after a new Version is installed.
  void NoteLiveFiles();
  // A table written by a flush / the work of one compaction, into stats_ and the totals.
  void CountFlush(int level, uint64_t micros, uint64_t file_size);
  void CountCompaction(const Compaction& c, const CompactionJob& job);
  // After the flush's or compaction's Version is installed: fills the event's totals, logs
  // it and tells the listener.
  void ReportFlush(FlushInfo* info);
  void ReportTrivialMove(const Compaction& c, const FileMetaData& f,
                         const std::string& description);
  void ReportCompaction(const Compaction& c, const CompactionJob& job, bool manual,
                        uint64_t micros);
  // --- properties (db_properties.cc; REQUIRES: mu_ held) ---
  // Table bytes written (flushes + compactions) / user key+value bytes, since Open: the one
  // write amplification every report prints (lsm.stats, lsm.amplification, the events).
  double WriteAmplificationLocked() const;
  uint64_t TableBytesWrittenLocked() const;  // by flushes and compactions, since Open
  std::string StatsLocked() const;
  // The "lsm.amplification" report (format in db.h).
  std::string AmplificationLocked() const;

  // Constant after construction.
  const Options options_;
  const std::filesystem::path dir_;
  const InternalKeyComparator icmp_;
  std::unique_ptr<const FilterPolicy> user_filter_;
  std::unique_ptr<InternalFilterPolicy> filter_;
  std::unique_ptr<BlockCache> block_cache_;
  TableOptions table_options_;
  std::unique_ptr<TableCache> table_cache_;

  std::unique_ptr<FileLock> db_lock_;
  std::unique_ptr<InfoLog> info_log_;  // dir/LOG; null if it could not be created

  std::mutex mu_;
  std::condition_variable bg_done_cv_;  // signalled when background work finishes a step
  std::condition_variable bg_work_cv_;  // wakes the background thread
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> has_imm_{false};  // imm_ != nullptr, readable without mu_

  // Guarded by mu_.
  std::shared_ptr<MemTable> mem_;
  std::shared_ptr<const MemTable> imm_;  // frozen: only read and flushed
  std::unique_ptr<WritableFile> logfile_;
  uint64_t logfile_number_ = 0;
  std::unique_ptr<WalWriter> log_;
  std::deque<Writer*> writers_;
  WriteBatch tmp_batch_;  // the merged batch of a write group
  std::list<std::unique_ptr<Snapshot>> snapshots_;  // oldest first
  std::set<uint64_t> pending_outputs_;  // table files being written
  bool bg_scheduled_ = false;
  bool bg_thread_stop_ = false;
  ManualCompaction* manual_compaction_ = nullptr;
  Status bg_error_;  // sticky: once set, writes fail until Resume() succeeds
  RecoveryInfo recovery_;  // what Open replayed and dropped (set before the thread starts)
  std::unique_ptr<VersionSet> versions_;
  LevelStats stats_[kNumLevels];
  uint64_t flushes_ = 0;
  // For "lsm.stats" and "lsm.amplification" (guarded by mu_).
  uint64_t user_kv_bytes_ = 0;          // key + value bytes the user wrote (Put and Delete):
                                        // the denominator of write amplification
  uint64_t log_bytes_written_ = 0;      // bytes appended to the logs (headers included)
  uint64_t flush_bytes_written_ = 0;    // table bytes written by flushes
  uint64_t table_files_written_ = 0;    // tables written by flushes and compactions
  uint64_t max_live_table_files_ = 0;   // the most table files live at once
  uint64_t stall_slowdowns_ = 0;        // writes delayed 1 ms (L0 at the slowdown trigger)
  uint64_t stall_slowdown_micros_ = 0;
  uint64_t stall_stops_ = 0;            // writes that waited for L0 to shrink or a flush
  uint64_t stall_stop_micros_ = 0;
  // Readers add to these on every Get and scan without mu_: each on its own cache line, away
  // from the fields above that the writer updates on every write, so a reader's atomic add
  // does not steal the writer's line (false sharing; 64 bytes on x86-64).
  alignas(64) ReadAmpCounters point_hits_;
  alignas(64) ReadAmpCounters point_misses_;
  alignas(64) ReadAmpCounters scans_;

  std::thread bg_thread_;  // started at the end of Recover()
};

}  // namespace lsm
