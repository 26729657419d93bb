// The counting and reporting side of DBImpl: the counters behind "lsm.stats" and
// "lsm.amplification" (db_properties.cc formats them), and the FlushInfo / CompactionInfo
// events the EventListener receives. The write path, Get and the background work each call
// one of these helpers, so they read as the DB and not as its instrumentation. Part of DBImpl
// (step5_lsm/db_impl.h); unless a comment says otherwise, each REQUIRES mu_ held.
#include "step5_lsm/db_impl.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/clock.h"

namespace lsm {

uint64_t DBImpl::KeyValueBytes(const WriteBatch& batch) {
  struct Counter : WriteBatch::Handler {
    uint64_t bytes = 0;
    void Put(std::string_view k, std::string_view v) override { bytes += k.size() + v.size(); }
    void Delete(std::string_view k) override { bytes += k.size(); }
  } counter;
  (void)batch.Iterate(&counter);  // the batch was just applied: it is well formed
  return counter.bytes;
}

TableFileInfo DBImpl::DescribeFile(int level, const FileMetaData& f) {
  return TableFileInfo{.level = level, .number = f.number, .file_size = f.file_size,
                       .smallest_user_key = std::string(f.smallest.user_key()),
                       .largest_user_key = std::string(f.largest.user_key())};
}

std::vector<TableFileInfo> DBImpl::DescribeFiles(const Version& v) {
  std::vector<TableFileInfo> out;
  for (int level = 0; level < kNumLevels; ++level) {
    for (const auto& f : v.files[level]) out.push_back(DescribeFile(level, *f));
  }
  return out;
}

// --- the write path ------------------------------------------------------------------------

void DBImpl::CountWrite(uint64_t kv_bytes, uint64_t log_bytes) {
  user_kv_bytes_ += kv_bytes;
  log_bytes_written_ += log_bytes;
}

uint64_t DBImpl::BeginStall(WriteStallInfo::Kind kind, int l0_files) {
  ReportStall(kind, /*begin=*/true, l0_files, 0);
  return NowMicros();
}

void DBImpl::EndStall(WriteStallInfo::Kind kind, int l0_files, uint64_t start) {
  const uint64_t micros = NowMicros() - start;
  if (kind == WriteStallInfo::Kind::kSlowdown) {
    ++stall_slowdowns_;
    stall_slowdown_micros_ += micros;
  } else {
    ++stall_stops_;
    stall_stop_micros_ += micros;
  }
  ReportStall(kind, /*begin=*/false, l0_files, micros);
}

void DBImpl::ReportStall(WriteStallInfo::Kind kind, bool begin, int l0_files, uint64_t micros) {
  if (options_.listener != nullptr) {
    options_.listener->OnWriteStall(
        WriteStallInfo{.kind = kind, .begin = begin, .l0_files = l0_files, .micros = micros});
  }
}

// --- reads (no mutex: relaxed atomics) -----------------------------------------------------

void DBImpl::CountPointRead(bool found, bool searched_tables, const GetStats& stats) {
  // Counted on every Get: an atomic add costs ~20 cycles and bounces a cache line between
  // reader threads, so a counter that did not move is left alone (most Gets read no block of
  // a missed table and hit no cache).
  ReadAmpCounters& amp = found ? point_hits_ : point_misses_;
  auto add = [](std::atomic<uint64_t>& counter, uint64_t n) {
    if (n != 0) counter.fetch_add(n, std::memory_order_relaxed);
  };
  add(amp.ops, 1);
  add(amp.memtable_answers, searched_tables ? 0 : 1);
  add(amp.runs, static_cast<uint64_t>(stats.tables_searched));
  add(amp.filters, static_cast<uint64_t>(stats.filters_probed));
  add(amp.blocks, static_cast<uint64_t>(stats.blocks_read));
  add(amp.cache_hits, static_cast<uint64_t>(stats.block_cache_hits));
}

void DBImpl::CountScan(const Version& v) {
  // Every L0 file is a run whose table opens at once; a non-empty level is one run whose
  // tables open as the scan reaches them (CountScanTableOpened).
  constexpr auto kRelaxed = std::memory_order_relaxed;
  uint64_t levels = 0;
  for (int level = 1; level < kNumLevels; ++level) levels += v.files[level].empty() ? 0 : 1;
  const uint64_t l0_files = v.files[0].size();
  scans_.ops.fetch_add(1, kRelaxed);
  scans_.runs.fetch_add(l0_files + levels, kRelaxed);
  scans_.blocks.fetch_add(l0_files, kRelaxed);
}

void DBImpl::CountScanTableOpened() { scans_.blocks.fetch_add(1, std::memory_order_relaxed); }

// --- background work -----------------------------------------------------------------------

void DBImpl::NoteLiveFiles() {
  uint64_t live = 0;
  for (const auto& files : versions_->current()->files) live += files.size();
  max_live_table_files_ = std::max(max_live_table_files_, live);
}

void DBImpl::CountFlush(int level, uint64_t micros, uint64_t file_size) {
  LevelStats& stats = stats_[level];
  stats.micros += micros;
  stats.bytes_written += file_size;
  flush_bytes_written_ += file_size;
  if (file_size > 0) ++table_files_written_;
  ++flushes_;
}

void DBImpl::CountCompaction(const Compaction& c, const CompactionJob& job) {
  LevelStats& stats = stats_[c.output_level()];
  stats.micros += job.micros();
  stats.bytes_read += c.TotalInputBytes();
  stats.bytes_written += job.bytes_written();
  table_files_written_ += job.outputs().size();
  ++stats.compactions;
}

void DBImpl::ReportFlush(FlushInfo* info) {
  info->levels_after = versions_->current()->LevelSummary();
  info->files_after = DescribeFiles(*versions_->current());
  info->write_amplification = WriteAmplificationLocked();
  NoteLiveFiles();
  Log("flushed memtable to table #{} at level {}: {} bytes in {} ms; {}", info->file_number,
      info->level, info->file_size, info->micros / 1000, info->levels_after);
  if (options_.listener != nullptr) options_.listener->OnFlush(*info);
}

void DBImpl::ReportTrivialMove(const Compaction& c, const FileMetaData& f,
                               const std::string& description) {
  CompactionInfo info;
  info.level = c.level();
  info.output_level = c.output_level();
  info.description = description + fmt::format(" (moved #{})", f.number);
  info.trivial_move = true;
  info.input_files = 1;
  info.output_files = 1;
  info.inputs.push_back(DescribeFile(c.level(), f));
  info.write_amplification = WriteAmplificationLocked();
  info.levels_after = versions_->current()->LevelSummary();
  info.files_after = DescribeFiles(*versions_->current());
  NoteLiveFiles();
  Log("trivial move: {}; {}", info.description, info.levels_after);
  if (options_.listener != nullptr) options_.listener->OnCompaction(info);
}

void DBImpl::ReportCompaction(const Compaction& c, const CompactionJob& job, bool manual,
                              uint64_t micros) {
  CompactionInfo info;
  info.level = c.level();
  info.output_level = c.output_level();
  info.reason = c.reason();
  info.description = c.Describe();
  for (const auto& out : job.outputs()) info.description += fmt::format(" #{}", out.number);
  info.manual = manual;
  info.seek_triggered = c.seek_triggered();
  info.input_files = c.NumInputFiles();
  info.output_files = static_cast<int>(job.outputs().size());
  for (int level = 0; level < kNumLevels; ++level) {
    for (const auto& f : c.level_inputs(level)) info.inputs.push_back(DescribeFile(level, *f));
  }
  info.bytes_read = c.TotalInputBytes();
  info.bytes_written = job.bytes_written();
  info.entries_dropped = job.entries_dropped();
  info.micros = micros;
  info.write_amplification = WriteAmplificationLocked();
  info.levels_after = versions_->current()->LevelSummary();
  info.files_after = DescribeFiles(*versions_->current());
  NoteLiveFiles();
  Log("compacted {}: read {} bytes, wrote {} bytes, dropped {} entries in {} ms; {}",
      info.description, info.bytes_read, info.bytes_written, info.entries_dropped,
      info.micros / 1000, info.levels_after);
  if (options_.listener != nullptr) options_.listener->OnCompaction(info);
}

}  // namespace lsm
