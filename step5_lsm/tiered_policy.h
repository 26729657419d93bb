// The tiered policy (RocksDB's universal compaction) as a pure function of the Version, and the
// sorted-run view of a Version it (and the lazy-leveled policy) works on.
//
// A sorted run is one L0 file or one whole level >= 1. Runs are ordered by time, newest first:
//
//   runs:  [#31 L0] [#28 L0] [L3: #20 #21 #22] [L6: #9 #10 ... #17]      newest -> oldest
//           ^ flushes land here (largest number = newest)        ^ full compactions land here
//
// Policy (RocksDB's UniversalCompactionPicker, in its order; nothing happens below
// run_compaction_trigger runs):
//   1. space amplification: bytes(all runs but the oldest) x 100 >=
//      max_size_amplification_percent x bytes(oldest)  -> merge every run;
//   2. size ratio: from the newest run on, a candidate set absorbs the next older run while
//      bytes(set) x (100 + size_ratio) / 100 >= bytes(next); the first set of at least
//      min_merge_width (at most max_merge_width) runs is merged;
//   3. too many runs: with n > trigger runs, merge the newest n - trigger + 1.
//
// Where the output goes (so that LevelDB 1.23, which searches L0 newest-number-first and then
// L1, L2, ..., reads the result correctly):
//   - the merge includes the oldest run:   L6 (kNumLevels - 1), the deepest level;
//   - otherwise the next older run R outside the merge is at level >= 2: level(R) - 1, the
//     deepest level shallower than R (it is empty, or is itself one of the inputs);
//   - otherwise (R is an L0 file or L1) the output must stay in L0, which is only safe when
//     the merge includes the newest L0 file: the output (one file, numbered when the
//     compaction starts) is then newer-numbered than every older L0 file. A candidate that
//     would need L0 without the newest L0 file is skipped (RocksDB orders L0 by sequence
//     numbers instead and has no such case).
//
// Thread-safety: pure functions of a const Version. Simplifications against RocksDB: no
// periodic or delete-triggered compactions, no compaction_stop_style (always "total size"),
// no subcompactions, runs are never partially compacted (no incremental mode).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "step5_lsm/compaction.h"
#include "step5_lsm/options.h"
#include "step5_lsm/version.h"

namespace lsm {

// One sorted run of a Version.
struct SortedRun {
  int level = 0;   // 0: one L0 file; >= 1: the whole level
  FileList files;  // the L0 file, or every file of the level
  uint64_t bytes = 0;
};

// The runs of v, newest first: L0 files by descending number, then the non-empty levels 1..6.
std::vector<SortedRun> SortedRuns(const Version& v);

// What to merge and where (a Compaction without the Version pinned).
struct CompactionPlan {
  LevelInputs inputs;
  int output_level = 0;
  std::string reason;  // "space amplification", "size ratio", "run count", "lazy leveling"
};

// The plan merging runs[first..last] (inclusive, adjacent in time), with the output level
// chosen by the rule above; nullopt when the output would have to be an L0 file but the
// merge lacks the newest L0 file.
std::optional<CompactionPlan> PlanRunMerge(const std::vector<SortedRun>& runs, size_t first,
                                           size_t last, std::string reason);

// Step 2/3 of the policy over runs[0..limit) only: the first window from the newest run on
// where each next run is at most ratio_percent larger than the window so far, of
// [min_width, max_width] runs. ratio_percent < 0 means "unbounded" (step 3).
std::optional<CompactionPlan> PickBySizeRatio(const std::vector<SortedRun>& runs, size_t limit,
                                              int ratio_percent, int min_width, int max_width,
                                              const std::string& reason);

// The tiered (universal) policy: the compaction to run now for v, or nullopt.
std::optional<CompactionPlan> PickTieredCompaction(const Version& v,
                                                   const UniversalCompactionOptions& options);

// Whether any file of `run` overlaps the user-key range [smallest, largest].
bool RunOverlapsRange(const InternalKeyComparator& icmp, const Version& v, const SortedRun& run,
                      std::string_view smallest, std::string_view largest);

// The denominator of space amplification ("lsm.amplification"; the compaction model uses it
// too): the bytes the same data would take after a full compaction, estimated without doing
// one (no table is read). The oldest run counts in full; a file of a newer run counts only
// when its key range overlaps no older run (otherwise it is taken to be overwrites); never
// below the largest run. Exact for one run; overestimates SA when newer runs insert new keys
// into an older run's range; does not discount tombstones or versions shadowed inside a run.
uint64_t EstimateCompactedBytes(const InternalKeyComparator& icmp, const Version& v);

}  // namespace lsm
