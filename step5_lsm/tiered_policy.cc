#include "step5_lsm/tiered_policy.h"

#include <algorithm>
#include <cassert>

namespace lsm {

std::vector<SortedRun> SortedRuns(const Version& v) {
  std::vector<SortedRun> runs;
  for (const auto& f : v.files[0]) {
    runs.push_back(SortedRun{.level = 0, .files = {f}, .bytes = f->file_size});
  }
  std::sort(runs.begin(), runs.end(), [](const SortedRun& a, const SortedRun& b) {
    return a.files[0]->number > b.files[0]->number;
  });
  for (int level = 1; level < kNumLevels; ++level) {
    if (v.files[level].empty()) continue;
    runs.push_back(SortedRun{.level = level, .files = v.files[level],
                             .bytes = v.LevelBytes(level)});
  }
  return runs;
}

std::optional<CompactionPlan> PlanRunMerge(const std::vector<SortedRun>& runs, size_t first,
                                           size_t last, std::string reason) {
  assert(first <= last && last < runs.size());
  int output_level;
  if (last + 1 == runs.size()) {
    output_level = kNumLevels - 1;  // the merge is the oldest run now: the deepest level
  } else {
    const int next_level = runs[last + 1].level;
    output_level = next_level >= 2 ? next_level - 1 : 0;
    // An L0 output is newer-numbered than every L0 file: only right if it holds the newest.
    if (output_level == 0 && first != 0) return std::nullopt;
  }
  CompactionPlan plan{.output_level = output_level, .reason = std::move(reason)};
  for (size_t i = first; i <= last; ++i) {
    FileList& inputs = plan.inputs[runs[i].level];
    inputs.insert(inputs.end(), runs[i].files.begin(), runs[i].files.end());
  }
  return plan;
}

std::optional<CompactionPlan> PickBySizeRatio(const std::vector<SortedRun>& runs, size_t limit,
                                              int ratio_percent, int min_width, int max_width,
                                              const std::string& reason) {
  limit = std::min(limit, runs.size());
  for (size_t start = 0; start < limit; ++start) {
    uint64_t window_bytes = runs[start].bytes;
    size_t count = 1;
    for (size_t i = start + 1; i < limit && count < static_cast<size_t>(max_width); ++i) {
      if (ratio_percent >= 0 &&
          static_cast<double>(window_bytes) * (100.0 + ratio_percent) / 100.0 <
              static_cast<double>(runs[i].bytes)) {
        break;
      }
      window_bytes += runs[i].bytes;
      ++count;
    }
    if (count >= static_cast<size_t>(min_width)) {
      auto plan = PlanRunMerge(runs, start, start + count - 1, reason);
      if (plan) return plan;  // else: it would need an unsafe L0 output; try an older start
    }
  }
  return std::nullopt;
}

std::optional<CompactionPlan> PickTieredCompaction(const Version& v,
                                                   const UniversalCompactionOptions& options) {
  const std::vector<SortedRun> runs = SortedRuns(v);
  const size_t n = runs.size();
  if (n < 2 || n < static_cast<size_t>(options.run_compaction_trigger)) return std::nullopt;

  // 1. Space amplification: everything but the oldest run, against the oldest run.
  uint64_t newer_bytes = 0;
  for (size_t i = 0; i + 1 < n; ++i) newer_bytes += runs[i].bytes;
  if (static_cast<double>(newer_bytes) * 100.0 >=
      static_cast<double>(options.max_size_amplification_percent) *
          static_cast<double>(runs[n - 1].bytes)) {
    return PlanRunMerge(runs, 0, n - 1, "space amplification");
  }
  // 2. Size ratio.
  if (auto plan = PickBySizeRatio(runs, n, options.size_ratio, options.min_merge_width,
                                  options.max_merge_width, "size ratio")) {
    return plan;
  }
  // 3. Too many runs: merge the newest ones, whatever their sizes. (The window starts at the
  // newest run, so its output is always placeable: this is what keeps L0 from growing.)
  if (n > static_cast<size_t>(options.run_compaction_trigger)) {
    const int width = static_cast<int>(n) - options.run_compaction_trigger + 1;
    return PickBySizeRatio(runs, n, /*ratio_percent=*/-1, std::min(options.min_merge_width, width),
                           width, "run count");
  }
  return std::nullopt;
}

bool RunOverlapsRange(const InternalKeyComparator& icmp, const Version& v, const SortedRun& run,
                      std::string_view smallest, std::string_view largest) {
  if (run.level > 0) return OverlapInLevel(icmp, v, run.level, smallest, largest);
  return SomeFileOverlapsRange(icmp, false, run.files, &smallest, &largest);
}

// See tiered_policy.h for what it assumes.
uint64_t EstimateCompactedBytes(const InternalKeyComparator& icmp, const Version& v) {
  const std::vector<SortedRun> runs = SortedRuns(v);
  if (runs.empty()) return 0;
  uint64_t estimate = runs.back().bytes;
  uint64_t largest_run = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    largest_run = std::max(largest_run, runs[i].bytes);
    if (i + 1 == runs.size()) break;
    for (const auto& f : runs[i].files) {
      bool overlaps = false;
      for (size_t j = i + 1; j < runs.size() && !overlaps; ++j) {
        overlaps =
            RunOverlapsRange(icmp, v, runs[j], f->smallest.user_key(), f->largest.user_key());
      }
      if (!overlaps) estimate += f->file_size;
    }
  }
  return std::max(estimate, largest_run);
}

}  // namespace lsm
