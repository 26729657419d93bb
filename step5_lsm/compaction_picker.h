// The compaction picker: the compaction each style (Options::compaction_style) runs next on a
// Version, and the MANIFEST edit of a trivial move. Pure functions of the Version, the options
// and the compact pointers, so the engine (VersionSet::PickCompaction and Finalize) and the
// compaction model (bench/compaction_model, over metadata-only Versions) pick with the same code:
//
//   leveled        PickCompaction (compaction.h): size-triggered, then seek-triggered
//   tiered         PickTieredCompaction (tiered_policy.h): RocksDB's universal compaction
//   lazy-leveled   PickLazyLeveledCompaction (lazy_leveled_policy.h)
//
// Example:
//   std::unique_ptr<Compaction> c = PickCompactionForStyle(icmp, version, options, &pointers);
//   if (c != nullptr && c->IsTrivialMove()) AddTrivialMove(*c, &edit);
//
// Thread-safety: pure functions of a const Version; *compact_pointers is the caller's to guard.
#pragma once

#include <memory>
#include <optional>

#include "step5_lsm/compaction.h"
#include "step5_lsm/options.h"
#include "step5_lsm/tiered_policy.h"
#include "step5_lsm/version.h"
#include "step5_lsm/version_edit.h"

namespace lsm {

// The plan of a run-based style (tiered, lazy-leveled) for v; nullopt for leveled, or when
// the style has nothing to merge.
std::optional<CompactionPlan> PickRunCompaction(const Version& v, const Options& options);

// The compaction options.compaction_style picks for v: the leveled picker (which advances
// *compact_pointers), or a Compaction of the run-based plan. nullptr when nothing needs
// compacting. Only compaction_style, universal and lazy_leveling_size_ratio of options count.
std::unique_ptr<Compaction> PickCompactionForStyle(const InternalKeyComparator& icmp,
                                                   std::shared_ptr<const Version> v,
                                                   const Options& options,
                                                   CompactPointers* compact_pointers);

// Adds a trivial move to *edit: c's one input file leaves c.level() and joins
// c.output_level() as it is, so only the MANIFEST changes and no bytes are copied.
// REQUIRES: c.IsTrivialMove().
void AddTrivialMove(const Compaction& c, VersionEdit* edit);

}  // namespace lsm
