// The lazy-leveled policy (Dostoevsky, SIGMOD 2018) as a pure function of the Version: tiered
// merges at every level but the largest, one run at the largest.
//
//   runs:  [#40 L0] [#38 L0] [L4] [L5]  |  [L6]          newest -> oldest
//          ---- tiered (universal) ----     the largest level: one run, >= T x the rest
//
// Policy (nothing happens below run_compaction_trigger runs, as in the tiered policy):
//   1. leveling at the largest level: once bytes(all runs but the oldest) x T >= bytes(oldest)
//      (T = Options::lazy_leveling_size_ratio, 10), merge every run into the largest level —
//      space amplification stays near 1 + 1/T, as with leveling;
//   2. otherwise the tiered size-ratio merge (tiered_policy.h, step 2), among the runs above
//      the largest level only;
//   3. otherwise, with n > trigger runs, the newest n - trigger + 1 runs (never the largest).
// Output levels follow the tiered rule (tiered_policy.h): a merge into the largest level goes
// to L6, any other to the level just above the next older run.
//
// Cost model: each byte is rewritten about once per tier above the largest level (tiering's
// WA) and about T times at the largest level (leveling's). A zero-result lookup probes the
// filter of every run whose key range holds the key — each L0 file, one file per level —
// and every table has the same bits per key (Options::bloom_bits_per_key), so its false
// positives grow with the number of runs, as under tiering.
// Thread-safety: a pure function of a const Version.
// Simplifications (vs Dostoevsky): rule 1 merges every run — the L0 files and every level
// above the largest — into the largest level and rewrites it whole (Dostoevsky merges only
// the level above into it, and LevelDB-style merges of one file at a time would need that run
// to be the level directly above); and the filters do not get more bits at the smaller
// levels (Monkey's allocation, SIGMOD 2017), which would make a zero-result lookup cost mostly
// the largest level's filter.
#pragma once

#include <optional>

#include "step5_lsm/options.h"
#include "step5_lsm/tiered_policy.h"
#include "step5_lsm/version.h"

namespace lsm {

// The compaction to run now for v, or nullopt. REQUIRES: size_ratio >= 1.
std::optional<CompactionPlan> PickLazyLeveledCompaction(const Version& v,
                                                        const UniversalCompactionOptions& options,
                                                        int size_ratio);

}  // namespace lsm
