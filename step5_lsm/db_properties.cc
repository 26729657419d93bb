// DB::GetProperty and the statistics behind it: the level map, per-level compaction totals,
// write amplification, block cache and recovery reports. Part of DBImpl (step5_lsm/db_impl.h);
// every function here reads state guarded by mu_.
#include "step5_lsm/db_impl.h"

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "step5_lsm/tiered_policy.h"

namespace lsm {

namespace {

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

std::string ReadAmpLine(std::string_view kind, uint64_t ops, uint64_t memtable, uint64_t runs,
                        uint64_t filters, uint64_t blocks, uint64_t cache_hits) {
  return fmt::format(
      "read {}: ops {} memtable {} runs/op {:.2f} filters/op {:.2f} blocks/op {:.2f} "
      "cache-hits/op {:.2f}\n",
      kind, ops, memtable, Ratio(runs, ops), Ratio(filters, ops), Ratio(blocks, ops),
      Ratio(cache_hits, ops));
}

}  // namespace

std::string DBImpl::AmplificationLocked() const {
  auto current = versions_->current();
  const uint64_t table_bytes = TableBytesWrittenLocked();
  uint64_t live_bytes = 0, live_files = 0;
  for (int level = 0; level < kNumLevels; ++level) {
    live_bytes += current->LevelBytes(level);
    live_files += current->files[level].size();
  }
  const uint64_t compacted = EstimateCompactedBytes(icmp_, *current);
  const size_t runs = SortedRuns(*current).size();
  constexpr auto kRelaxed = std::memory_order_relaxed;
  std::string out = fmt::format("style {} sorted-runs {}\n",
                                CompactionStyleName(options_.compaction_style), runs);
  out += fmt::format(
      "write-amp {:.2f} table-bytes {} flush-bytes {} compaction-bytes {} user-bytes {}\n",
      WriteAmplificationLocked(), table_bytes, flush_bytes_written_,
      table_bytes - flush_bytes_written_, user_kv_bytes_);
  out += fmt::format("log-amp {:.2f} log-bytes {}\n", Ratio(log_bytes_written_, user_kv_bytes_),
                     log_bytes_written_);
  out += fmt::format("space-amp {:.2f} live-table-bytes {} estimated-compacted-bytes {}\n",
                     Ratio(live_bytes, compacted), live_bytes, compacted);
  for (const auto& [kind, c] : {std::pair<std::string_view, const ReadAmpCounters*>{
                                    "point-hit", &point_hits_},
                                {"point-miss", &point_misses_}}) {
    out += ReadAmpLine(kind, c->ops.load(kRelaxed), c->memtable_answers.load(kRelaxed),
                       c->runs.load(kRelaxed), c->filters.load(kRelaxed),
                       c->blocks.load(kRelaxed), c->cache_hits.load(kRelaxed));
  }
  const uint64_t scans = scans_.ops.load(kRelaxed);
  out += fmt::format("read scan: ops {} runs/op {:.2f} tables-opened/op {:.2f} blocks/op {:.2f}\n",
                     scans, Ratio(scans_.runs.load(kRelaxed), scans),
                     Ratio(scans_.blocks.load(kRelaxed), scans),
                     Ratio(scans_.data_blocks.load(kRelaxed), scans));
  out += fmt::format("stall: slowdowns {} slowdown-micros {} stops {} stop-micros {}\n",
                     stall_slowdowns_, stall_slowdown_micros_, stall_stops_, stall_stop_micros_);
  uint64_t background_micros = 0;
  for (const auto& level : stats_) background_micros += level.micros;
  out += fmt::format("background: micros {} table-bytes {}\n", background_micros, table_bytes);
  int nonempty_levels = 0;
  for (int level = 1; level < kNumLevels; ++level) nonempty_levels += !current->files[level].empty();
  out += fmt::format(
      "mini-lsm: write-amp {:.2f} (files {} / flushes {}) space-amp {:.2f} (max-live-files {} "
      "/ flushes {}) read-amp {} (l0-files {} + non-empty-levels {}) live-files {}\n",
      Ratio(table_files_written_, flushes_), table_files_written_, flushes_,
      Ratio(max_live_table_files_, flushes_), max_live_table_files_, flushes_,
      current->NumFiles(0) + nonempty_levels, current->NumFiles(0), nonempty_levels, live_files);
  return out;
}

uint64_t DBImpl::TableBytesWrittenLocked() const {
  uint64_t written = 0;
  for (const auto& s : stats_) written += s.bytes_written;
  return written;
}

double DBImpl::WriteAmplificationLocked() const {
  return Ratio(TableBytesWrittenLocked(), user_kv_bytes_);
}

std::string DBImpl::StatsLocked() const {
  auto current = versions_->current();
  std::string out =
      "                               Compactions\n"
      "Level  Files Size(MB) Time(sec) Read(MB) Write(MB)\n"
      "--------------------------------------------------\n";
  for (int level = 0; level < kNumLevels; ++level) {
    const LevelStats& s = stats_[level];
    if (current->NumFiles(level) == 0 && s.micros == 0) continue;
    out += fmt::format("{:>3} {:>8} {:>8.0f} {:>9.0f} {:>8.0f} {:>9.0f}\n", level,
                       current->NumFiles(level), current->LevelBytes(level) / 1048576.0,
                       s.micros / 1e6, s.bytes_read / 1048576.0, s.bytes_written / 1048576.0);
  }
  out += fmt::format(
      "flushes: {}  table bytes written: {:.1f} MB  user key+value bytes: {:.1f} MB\n"
      "write amplification (table bytes / user key+value bytes): {:.2f}\n",
      flushes_, TableBytesWrittenLocked() / 1048576.0, user_kv_bytes_ / 1048576.0,
      WriteAmplificationLocked());
  return out;
}

bool DBImpl::GetProperty(std::string_view property, std::string* value) {
  value->clear();
  constexpr std::string_view kPrefix = "lsm.";
  if (!property.starts_with(kPrefix)) return false;
  const std::string_view name = property.substr(kPrefix.size());
  Lock l(mu_);
  auto current = versions_->current();
  if (name.starts_with("num-files-at-level")) {
    const std::string_view digits = name.substr(18);
    if (digits.size() != 1 || digits[0] < '0' || digits[0] >= '0' + kNumLevels) return false;
    *value = std::to_string(current->NumFiles(digits[0] - '0'));
    return true;
  }
  if (name == "stats") {
    *value = StatsLocked();
    return true;
  }
  if (name == "levels") {
    *value = current->LevelMap();
    return true;
  }
  if (name == "sstables") {
    for (int level = 0; level < kNumLevels; ++level) {
      *value += fmt::format("--- level {} ---\n", level);
      for (const auto& f : current->files[level]) {
        *value += fmt::format(" {}:{}[{} .. {}]\n", f->number, f->file_size,
                              f->smallest.DebugString(), f->largest.DebugString());
      }
    }
    return true;
  }
  if (name == "approximate-memory-usage") {
    size_t total = block_cache_->TotalCharge() + mem_->ApproximateMemoryUsage();
    if (imm_ != nullptr) total += imm_->ApproximateMemoryUsage();
    *value = std::to_string(total);
    return true;
  }
  if (name == "block-cache") {
    // Blocks of memory-mapped tables are read in place and never enter the cache; with
    // Options::mmap_tables off (or a non-default FileSystem) every data block goes through it.
    const uint64_t hits = block_cache_->hits(), misses = block_cache_->misses();
    *value = fmt::format("hits {} misses {} hit-rate {:.1f}% charge {} bytes", hits, misses,
                         hits + misses == 0 ? 0.0 : 100.0 * hits / (hits + misses),
                         block_cache_->TotalCharge());
    return true;
  }
  if (name == "compaction-pending" || name == "pending-work") {
    // What is queued, running, or wanted by the tree's shape.
    std::string work;
    auto add = [&work](std::string_view what) {
      if (!work.empty()) work += ' ';
      work += what;
    };
    if (bg_scheduled_) add("scheduled");
    if (imm_ != nullptr) add("memtable-flush");
    if (manual_compaction_ != nullptr) add("manual-compaction");
    if (bg_error_.ok() && versions_->NeedsCompaction()) add("compaction-wanted");
    if (name == "pending-work") {
      *value = work.empty() ? std::string("none") : std::move(work);
    } else {
      // Not `*value = "1"`: GCC 12 at -O2 warns falsely about it (-Wrestrict).
      value->assign(1, work.empty() ? '0' : '1');
    }
    return true;
  }
  if (name == "recovery") {
    *value = recovery_.Describe();
    return true;
  }
  if (name == "background-error") {
    *value = bg_error_.ToString();
    return true;
  }
  if (name == "amplification") {
    *value = AmplificationLocked();
    return true;
  }
  if (name == "write-amplification") {
    *value = fmt::format("{:.2f}", WriteAmplificationLocked());
    return true;
  }
  return false;
}

}  // namespace lsm
