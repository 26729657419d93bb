#include "step5_lsm/lazy_leveled_policy.h"

#include <algorithm>
#include <cassert>

namespace lsm {

std::optional<CompactionPlan> PickLazyLeveledCompaction(const Version& v,
                                                        const UniversalCompactionOptions& options,
                                                        int size_ratio) {
  assert(size_ratio >= 1);
  const std::vector<SortedRun> runs = SortedRuns(v);
  const size_t n = runs.size();
  if (n < 2 || n < static_cast<size_t>(options.run_compaction_trigger)) return std::nullopt;

  // 1. The largest level must stay T times the rest.
  uint64_t upper_bytes = 0;
  for (size_t i = 0; i + 1 < n; ++i) upper_bytes += runs[i].bytes;
  if (static_cast<double>(upper_bytes) * size_ratio >= static_cast<double>(runs[n - 1].bytes)) {
    return PlanRunMerge(runs, 0, n - 1, "lazy leveling");
  }
  // 2. Tiered merges above the largest level.
  if (auto plan = PickBySizeRatio(runs, n - 1, options.size_ratio, options.min_merge_width,
                                  options.max_merge_width, "size ratio")) {
    return plan;
  }
  // 3. Too many runs: the newest ones (n - trigger + 1 <= n - 1, so never the largest).
  if (n > static_cast<size_t>(options.run_compaction_trigger)) {
    const int width = static_cast<int>(n) - options.run_compaction_trigger + 1;
    return PickBySizeRatio(runs, n - 1, /*ratio_percent=*/-1,
                           std::min(options.min_merge_width, width), width, "run count");
  }
  return std::nullopt;
}

}  // namespace lsm
