// EventListener: a window onto the background work — each memtable flush and each compaction
// is reported when it finishes, so a demo can narrate the LSM tree as it reshapes itself; so
// are what recovery replayed (or had to drop) and the error that stops writes.
//
// Example:
//   struct Printer : EventListener {
//     void OnFlush(const FlushInfo& f) override { fmt::print("flushed #{}\n", f.file_number); }
//   };
//   Printer printer;
//   Options options{.listener = &printer};
//
// Thread-safety: callbacks run WITH the DB mutex held — flushes and compactions on the DB's
// background thread, OnRecovery on the thread calling Open, OnBackgroundError on the thread
// that hit the error, OnMemTableFrozen and OnWriteStall on the writing thread. Keep them short and never call back into the DB from them (that would
// deadlock).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lsm {

// One table file of the tree after a flush or compaction.
struct TableFileInfo {
  int level = 0;
  uint64_t number = 0;
  uint64_t file_size = 0;
  std::string smallest_user_key;
  std::string largest_user_key;
};

struct FlushInfo {
  uint64_t file_number = 0;  // 0 when the memtable was empty (no file)
  int level = 0;             // where the new table went (0, or up to 2 if nothing overlapped)
  uint64_t file_size = 0;
  uint64_t micros = 0;
  // Write amplification since Open, after this flush: table bytes written / user key+value
  // bytes (the figure lsm.stats and lsm.amplification print).
  double write_amplification = 0;
  std::string levels_after;  // Version::LevelSummary() after the flush
  std::vector<TableFileInfo> files_after;  // every live table after the flush, by level
};

struct CompactionInfo {
  int level = 0;              // the shallowest input level (leveled: inputs from level and
                              // level + 1, outputs to level + 1)
  int output_level = 0;       // where the outputs went
  std::string reason;         // run-based styles: "size ratio", "space amplification", ...
  std::string description;    // "L0 #7 #9 + L1 #4 -> L1 #12 #13"
  bool trivial_move = false;  // the file was only re-labelled in the MANIFEST
  bool manual = false;        // from CompactRange
  bool seek_triggered = false;
  int input_files = 0;
  int output_files = 0;
  uint64_t bytes_read = 0;
  uint64_t bytes_written = 0;
  uint64_t entries_dropped = 0;  // shadowed versions and obsolete tombstones
  uint64_t micros = 0;
  // Write amplification since Open, after this compaction: table bytes written / user
  // key+value bytes (the figure lsm.stats and lsm.amplification print).
  double write_amplification = 0;
  std::string levels_after;
  // The input files, by level (a trivial move: the one moved file, at its old level). With
  // files_after they let a trace replay the tree: inputs disappear, outputs appear.
  std::vector<TableFileInfo> inputs;
  // Every live table after the compaction, by level. The files stay live at least until the
  // callback returns (it runs with the DB mutex held), so a test may read them to check the
  // tree's invariants.
  std::vector<TableFileInfo> files_after;
};

// What Open did with one log file it found newer than the MANIFEST's log number.
//
// Recovery replays a consistent prefix (RocksDB's point-in-time recovery): at the first
// damaged record it stops, applying nothing after it in this log or in any later log, so a
// delete written after the damage can never be lost while the put it deleted comes back.
// A torn tail — the last record cut off by a crash mid-append — is the normal end of a log
// after a crash: it is counted (torn_tail_bytes) but is not damage.
struct LogRecoveryInfo {
  uint64_t log_number = 0;
  std::string path;
  uint64_t records_replayed = 0;
  uint64_t torn_tail_bytes = 0;
  // Damage: replay of this log stopped at damage_offset for `reason`.
  bool damaged = false;
  // Not replayed at all because an earlier log was damaged (its writes are newer).
  bool skipped = false;
  uint64_t damage_offset = 0;
  std::string reason;
  uint64_t bytes_dropped = 0;    // from damage_offset (or 0 when skipped) to the end
  uint64_t records_dropped = 0;  // intact records after the damage that were not applied
  std::string kept_as;           // where the dropped bytes were kept (dir/lost/NNNNNN.log)

  bool lost_data() const { return damaged || skipped; }
  // One line, e.g. "log #7: 120 records replayed; DAMAGED at offset 4096 (...)".
  std::string Describe() const;
};

struct RecoveryInfo {
  std::vector<LogRecoveryInfo> logs;  // oldest first
  // Every live table once Open is done (after any replayed log became a level-0 table).
  std::vector<TableFileInfo> files_after;
  // True when some log was damaged: writes that had been acknowledged may be missing.
  bool lost_data() const;
  // One line per log, or "no log to replay".
  std::string Describe() const;
};

// A writer waited (WriteStallInfo::begin true, then false when it goes on).
struct WriteStallInfo {
  enum class Kind { kSlowdown, kMemTableFull, kTooManyL0Files };
  Kind kind = Kind::kSlowdown;
  bool begin = true;
  int l0_files = 0;
  uint64_t micros = 0;  // at the end: how long this wait took
  static const char* KindName(Kind k) {
    return k == Kind::kSlowdown ? "slowdown" : k == Kind::kMemTableFull ? "memtable-full"
                                                                          : "too-many-l0-files";
  }
};

// The live memtable became immutable (it will be flushed) and a new log was started.
struct MemTableFrozenInfo {
  uint64_t memtable_bytes = 0;  // its arena footprint
  uint64_t entries = 0;
  uint64_t new_log_number = 0;
};

class EventListener {
 public:
  virtual ~EventListener() = default;
  virtual void OnFlush(const FlushInfo& /*info*/) {}
  virtual void OnCompaction(const CompactionInfo& /*info*/) {}
  // At the end of a successful Open, on the opening thread (before Open returns).
  virtual void OnRecovery(const RecoveryInfo& /*info*/) {}
  // When a write, flush or compaction fails and the DB stops accepting writes (see
  // DB::Resume). `error` names the file.
  virtual void OnBackgroundError(const std::string& /*error*/) {}
  // On the writer's thread: a memtable was frozen; a write started or stopped waiting.
  virtual void OnMemTableFrozen(const MemTableFrozenInfo& /*info*/) {}
  virtual void OnWriteStall(const WriteStallInfo& /*info*/) {}
};

}  // namespace lsm
