// EventListener: a window onto the background work — each memtable flush and each compaction
// is reported when it finishes, so a demo can narrate the LSM tree as it reshapes itself.
//
// Example:
//   struct Printer : EventListener {
//     void OnFlush(const FlushInfo& f) override { fmt::print("flushed #{}\n", f.file_number); }
//   };
//   Printer printer;
//   Options options{.listener = &printer};
//
// Thread-safety: callbacks run on the DB's background thread WITH the DB mutex held: keep them
// short and never call back into the DB from them (that would deadlock).
#pragma once

#include <cstdint>
#include <string>

namespace lsm {

struct FlushInfo {
  uint64_t file_number = 0;  // 0 when the memtable was empty (no file)
  int level = 0;             // where the new table went (0, or up to 2 if nothing overlapped)
  uint64_t file_size = 0;
  uint64_t micros = 0;
  std::string levels_after;  // Version::LevelSummary() after the flush
};

struct CompactionInfo {
  int level = 0;              // inputs from level and level + 1; outputs to level + 1
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
  double write_amplification = 0;  // table bytes written so far / user bytes written so far
  std::string levels_after;
};

class EventListener {
 public:
  virtual ~EventListener() = default;
  virtual void OnFlush(const FlushInfo& /*info*/) {}
  virtual void OnCompaction(const CompactionInfo& /*info*/) {}
};

}  // namespace lsm
