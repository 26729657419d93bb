// Style dispatch for compaction picking, and the trivial move's edit (see compaction_picker.h).
#include "step5_lsm/compaction_picker.h"

#include <cassert>

#include "step5_lsm/lazy_leveled_policy.h"

namespace lsm {

std::optional<CompactionPlan> PickRunCompaction(const Version& v, const Options& options) {
  switch (options.compaction_style) {
    case CompactionStyle::kTiered: return PickTieredCompaction(v, options.universal);
    case CompactionStyle::kLazyLeveled:
      return PickLazyLeveledCompaction(v, options.universal, options.lazy_leveling_size_ratio);
    case CompactionStyle::kLeveled: break;
  }
  return std::nullopt;
}

std::unique_ptr<Compaction> PickCompactionForStyle(const InternalKeyComparator& icmp,
                                                   std::shared_ptr<const Version> v,
                                                   const Options& options,
                                                   CompactPointers* compact_pointers) {
  if (options.compaction_style == CompactionStyle::kLeveled) {
    return PickCompaction(icmp, std::move(v), compact_pointers);
  }
  std::optional<CompactionPlan> plan = PickRunCompaction(*v, options);
  if (!plan) return nullptr;
  return std::make_unique<Compaction>(&icmp, std::move(v), std::move(plan->inputs),
                                      plan->output_level, std::move(plan->reason));
}

void AddTrivialMove(const Compaction& c, VersionEdit* edit) {
  assert(c.IsTrivialMove());
  const auto& f = c.inputs(0)[0];
  edit->RemoveFile(c.level(), f->number);
  edit->AddFile(c.output_level(), f->number, f->file_size, f->smallest, f->largest);
}

}  // namespace lsm
