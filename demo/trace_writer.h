// TraceWriter: an EventListener that records the engine's background work as JSON Lines, so
// `lsmviz` can replay the tree (every box it draws is a real table file). The engine knows
// nothing of it: it only sees the EventListener callbacks (step5_lsm/event_listener.h).
//
// Example:
//   TraceWriter trace(options, &narrator);     // forwards every event to the narrator too
//   Status s = trace.Start("/tmp/t.jsonl");
//   Options options{.listener = &trace};
//   ... DB::Open, writes ...; db.reset(); (void)trace.Stop();
//
// The format, version 2 (one JSON object per line; every line ends in '\n'). Version 1 had
// no "limits", "targets", "scores" or "why"; lsmviz reads both.
//
//   line 1, the header:
//     {"format":"lsm-trace","version":2,"style":"leveled","levels":7,"key_limit":64,
//      "limits":{"l0_trigger":4,"level_base":10485760,"run_trigger":4,"size_ratio":1,
//                "max_size_amplification_percent":200,"lazy_leveling_size_ratio":10}}
//       style: the compaction style (leveled | tiered | lazy-leveled); levels: kNumLevels;
//       key_limit: keys longer than this many bytes are cut to it (order-preserving prefix);
//       limits: the Options the scores below are measured against (kL0CompactionTrigger,
//       max_bytes_for_level_base, and the universal options of the run-based styles).
//   then one event a line; every event has
//     "seq"   1, 2, ... in trace order,         "t_us"  microseconds since Start,
//     "type"  one of the types below,           "counters" the totals after the event:
//       {"files":[7 counts per level],"bytes":[7 byte totals per level],
//        "targets":[7 numbers],"scores":[7 numbers] (see Scores below),
//        "wa":<engine write amplification so far: table bytes / user key+value bytes, 0 before
//              known>,
//        "written":<table bytes written since Start>,"stall_us":<stall time since Start>}
//     and, where the layout changed (snapshot, open, flush, compaction, trivial_move),
//     "files": every live table, by level: [FILE, ...]  with
//       FILE = {"level":1,"number":12,"size":2097152,"smallest":"key","largest":"key"}
//   types and their own fields:
//     "snapshot"     the layout known when Start ran mid-session (kvsh `trace FILE`).
//     "open"         Open finished: "logs":[{"log":7,"records":120,"torn_tail_bytes":0,
//                    "damaged":false,"skipped":false,"bytes_dropped":0}] (replayed logs).
//     "frozen"       a memtable became immutable: "memtable_bytes","entries","new_log".
//     "flush"        "file" (0: empty memtable, no table),"level","size","micros","output":FILE
//                    (absent when file is 0).
//     "compaction"   "style","reason","why","level","output_level","manual","seek_triggered",
//                    "description","inputs":[{"level":0,"files":[7,9]},{"level":1,"files":[4]}],
//                    "input_files":[FILE, ...] (as they were), "outputs":[FILE, ...],
//                    "bytes_read","bytes_written","entries_dropped","micros".
//     "trivial_move" the same fields as "compaction" (one input, its one output is the same
//                    file at output_level; no bytes read or written).
//     "stall"        "kind" (slowdown | memtable-full | too-many-l0-files),"begin" (true:
//                    the writer started waiting; false: it goes on),"l0_files","micros".
//     "error"        "message": the background error that stopped writes.
//   Strings are JSON strings; a byte outside printable ASCII is written as \u00XX (so a key's
//   UTF-16 code units are its bytes and JavaScript's string order is the engine's bytewise
//   order); '"' and '\' are escaped.
//
// Reasons: the engine names the run-based styles' reasons ("size ratio", ...); for leveled
// compactions the writer names them: "manual", "seek", "L0 file count" or "level size".
// "why" says it in words with the numbers the policy compared, measured on the layout when
// the compaction began: the last layout traced before its event, without the files numbered
// after its first output (a flush that finished while it ran): "L0 has 4 files >= trigger 4
// (score 1.00)", "L1 score 1.30: 13.0 MiB against its target 10.0 MiB", "space
// amplification 210% >= 200%: ...". (A compaction that wrote no output is measured on the
// last layout traced.)
//
// Scores (counters "targets" and "scores", per level, after the event), as the style's policy
// measures the layout:
//   leveled   L0: target = l0_trigger (files), score = files / target; L1..L5: target =
//             level_base x 10^(level-1) bytes, score = bytes / target; compact at score >= 1
//             (the highest first). L6, the last level, is never compacted: target 0, score 0.
//   tiered,   L0: target = run_trigger (sorted runs: each L0 file and each non-empty level),
//   lazy-     score = runs / target (nothing merges below 1). A non-empty level's target is
//   leveled   the size up to which the runs newer than it absorb it: bytes(newer runs) x
//             (100 + size_ratio) / 100; for the oldest run, tiered: bytes(newer runs) x 100 /
//             max_size_amplification_percent (space amplification), lazy-leveled:
//             bytes(newer runs) x lazy_leveling_size_ratio; score = target / bytes, so >= 1
//             again means "merged" (once score(L0) >= 1). Empty levels: target 0, score 0.
//
// Thread-safety: callbacks may come from any thread (the DB's background thread, the writer,
// Open); one mutex orders every line and Start/Stop. Callbacks run with the DB mutex held:
// they only format and write (fflush per event, so a killed process leaves whole lines and
// at most one torn last line). The forwarding target `next` must outlive the writer.
// The writer must outlive every DB that uses it (close the DB before Stop or destruction).
// Simplifications: no rotation or size cap; write errors stop the trace (see status()).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "step5_lsm/event_listener.h"
#include "step5_lsm/options.h"

namespace lsm::demo {

inline constexpr int kTraceFormatVersion = 2;
inline constexpr size_t kTraceKeyLimit = 64;

// `bytes` as a JSON string literal (quotes included), cut to its first `limit` bytes.
std::string JsonString(std::string_view bytes, size_t limit = kTraceKeyLimit);

class TraceWriter final : public EventListener {
 public:
  // options: the DB's; its compaction style is printed in the header and the compaction
  // events (CompactionStyleName), its limits shape the scores and reasons.
  // next: an optional listener that receives every event after it is traced.
  explicit TraceWriter(const Options& options, EventListener* next = nullptr);
  // The same with default Options but for the style, named as CompactionStyleName prints it
  // (an unknown name is printed as given and scored as leveled).
  explicit TraceWriter(std::string style, EventListener* next = nullptr);
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;
  ~TraceWriter() override;

  // Starts writing to `path` (truncated): the header, and — when a layout is already known
  // (an Open was seen) — a "snapshot" event. Stops a trace already running first.
  Status Start(const std::filesystem::path& path);
  // Closes the file; OK when no trace was running.
  Status Stop();
  bool tracing() const;
  // Events written since the last Start.
  uint64_t events() const;

  void OnFlush(const FlushInfo& info) override;
  void OnCompaction(const CompactionInfo& info) override;
  void OnRecovery(const RecoveryInfo& info) override;
  void OnBackgroundError(const std::string& error) override;
  void OnMemTableFrozen(const MemTableFrozenInfo& info) override;
  void OnWriteStall(const WriteStallInfo& info) override;

 private:
  // Appends "seq", "t_us", "type" + body + "files" (when given) + "counters" as one line.
  void EmitLocked(std::string_view type, const std::string& body,
                  const std::vector<TableFileInfo>* files);
  void SetLayoutLocked(const std::vector<TableFileInfo>& files);

  // "why" for a compaction, measured on `layout` (the one when it began).
  std::string WhyOf(const CompactionInfo& info, const std::string& reason,
                    const std::vector<TableFileInfo>& layout) const;

  // Constant after construction.
  const std::string style_;
  const Options options_;  // read only for its limits (style, level base, universal, lazy ratio)
  EventListener* const next_;

  mutable std::mutex mu_;  // guards everything below
  std::FILE* file_ = nullptr;
  std::filesystem::path path_;
  std::chrono::steady_clock::time_point start_;
  uint64_t seq_ = 0;
  bool layout_known_ = false;
  std::vector<TableFileInfo> layout_;  // the last live-table list seen
  double wa_ = 0;
  uint64_t written_ = 0;
  uint64_t stall_us_ = 0;
};

}  // namespace lsm::demo
