#include "demo/trace_writer.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "demo/narrator.h"
#include "step5_lsm/version.h"

namespace lsm::demo {

std::string JsonString(std::string_view bytes, size_t limit) {
  if (bytes.size() > limit) bytes = bytes.substr(0, limit);
  std::string out = "\"";
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  out += '"';
  return out;
}

namespace {

std::string FileJson(const TableFileInfo& f) {
  return fmt::format(R"({{"level":{},"number":{},"size":{},"smallest":{},"largest":{}}})", f.level,
                     f.number, f.file_size, JsonString(f.smallest_user_key),
                     JsonString(f.largest_user_key));
}

std::string FilesJson(const std::vector<TableFileInfo>& files) {
  std::string out = "[";
  for (size_t i = 0; i < files.size(); ++i) out += (i ? "," : "") + FileJson(files[i]);
  return out + "]";
}

const char* Bool(bool b) { return b ? "true" : "false"; }

// The leveled policy leaves CompactionInfo::reason empty: name why it ran.
std::string ReasonOf(const CompactionInfo& info) {
  if (!info.reason.empty()) return info.reason;
  if (info.manual) return "manual";
  if (info.seek_triggered) return "seek";
  return info.level == 0 ? "L0 file count" : "level size";
}

// Each level's target and score, as trace_writer.h's "Scores" defines them.
struct LevelScores {
  std::array<double, kNumLevels> target{}, score{};
  std::array<uint64_t, kNumLevels> files{}, bytes{};
  // Run-based styles: the sorted runs (each L0 file, then each non-empty level), the bytes of
  // every run but the oldest, and the oldest run's bytes.
  int runs = 0;
  uint64_t newer_than_oldest = 0, oldest_bytes = 0;
};

LevelScores ScoresOf(const Options& options, const std::vector<TableFileInfo>& layout) {
  LevelScores s;
  for (const auto& f : layout) {
    if (f.level < 0 || f.level >= kNumLevels) continue;
    ++s.files[f.level];
    s.bytes[f.level] += f.file_size;
  }
  if (options.compaction_style == CompactionStyle::kLeveled) {
    const CompactionLimits limits{.max_bytes_for_level_base = options.max_bytes_for_level_base};
    s.target[0] = kL0CompactionTrigger;
    s.score[0] = static_cast<double>(s.files[0]) / kL0CompactionTrigger;
    for (int level = 1; level < kNumLevels - 1; ++level) {
      s.target[level] = limits.MaxBytesForLevel(level);
      s.score[level] = static_cast<double>(s.bytes[level]) / s.target[level];
    }
    return s;
  }
  const UniversalCompactionOptions& u = options.universal;
  // The runs' bytes, newest first: L0 files by descending number, then levels 1..6.
  std::vector<std::pair<uint64_t, uint64_t>> l0;  // (number, bytes)
  for (const auto& f : layout) {
    if (f.level == 0) l0.emplace_back(f.number, f.file_size);
  }
  std::sort(l0.begin(), l0.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<uint64_t> runs;
  for (const auto& [number, bytes] : l0) runs.push_back(bytes);
  int oldest_level = 0;  // the level of the oldest run (0: it is an L0 file)
  for (int level = 1; level < kNumLevels; ++level) {
    if (s.files[level] == 0) continue;
    runs.push_back(s.bytes[level]);
    oldest_level = level;
  }
  s.runs = static_cast<int>(runs.size());
  if (!runs.empty()) {
    s.oldest_bytes = runs.back();
    for (size_t i = 0; i + 1 < runs.size(); ++i) s.newer_than_oldest += runs[i];
  }
  s.target[0] = u.run_compaction_trigger;
  s.score[0] = static_cast<double>(s.runs) / u.run_compaction_trigger;
  uint64_t newer = s.bytes[0];  // L0's files are newer than every level
  for (int level = 1; level < kNumLevels; ++level) {
    if (s.files[level] == 0) continue;
    double target = static_cast<double>(newer) * (100.0 + u.size_ratio) / 100.0;
    if (level == oldest_level) {
      target = options.compaction_style == CompactionStyle::kTiered
                   ? static_cast<double>(newer) * 100.0 / u.max_size_amplification_percent
                   : static_cast<double>(newer) * options.lazy_leveling_size_ratio;
    }
    s.target[level] = target;
    s.score[level] = s.bytes[level] > 0 ? target / static_cast<double>(s.bytes[level]) : 0;
    newer += s.bytes[level];
  }
  return s;
}

Options StyleOptions(const std::string& style) {
  Options options;
  if (!ParseCompactionStyle(style, &options.compaction_style).ok()) {
    options.compaction_style = CompactionStyle::kLeveled;
  }
  return options;
}

}  // namespace

TraceWriter::TraceWriter(const Options& options, EventListener* next)
    : style_(CompactionStyleName(options.compaction_style)), options_(options), next_(next) {}

TraceWriter::TraceWriter(std::string style, EventListener* next)
    : style_(std::move(style)), options_(StyleOptions(style_)), next_(next) {}

TraceWriter::~TraceWriter() { (void)Stop(); }

Status TraceWriter::Start(const std::filesystem::path& path) {
  if (Status s = Stop(); !s.ok()) return s;
  std::lock_guard<std::mutex> l(mu_);
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) return Status::IOError("{}: {}", path.string(), std::strerror(errno));
  path_ = path;
  start_ = std::chrono::steady_clock::now();
  seq_ = 0;
  written_ = 0;
  stall_us_ = 0;
  const UniversalCompactionOptions& u = options_.universal;
  fmt::print(file_, R"({{"format":"lsm-trace","version":{},"style":{},"levels":{},"key_limit":{},)"
                    R"("limits":{{"l0_trigger":{},"level_base":{},"run_trigger":{},"size_ratio":{},)"
                    R"("max_size_amplification_percent":{},"lazy_leveling_size_ratio":{}}}}})" "\n",
             kTraceFormatVersion, JsonString(style_), kNumLevels, kTraceKeyLimit,
             kL0CompactionTrigger, options_.max_bytes_for_level_base, u.run_compaction_trigger,
             u.size_ratio, u.max_size_amplification_percent, options_.lazy_leveling_size_ratio);
  if (layout_known_) EmitLocked("snapshot", "", &layout_);
  std::fflush(file_);
  return Status::OK();
}

Status TraceWriter::Stop() {
  std::lock_guard<std::mutex> l(mu_);
  if (file_ == nullptr) return Status::OK();
  const bool failed = std::ferror(file_) != 0;
  const bool close_failed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (failed || close_failed) return Status::IOError("{}: writing the trace failed", path_.string());
  return Status::OK();
}

bool TraceWriter::tracing() const {
  std::lock_guard<std::mutex> l(mu_);
  return file_ != nullptr;
}

uint64_t TraceWriter::events() const {
  std::lock_guard<std::mutex> l(mu_);
  return seq_;
}

void TraceWriter::SetLayoutLocked(const std::vector<TableFileInfo>& files) {
  layout_ = files;
  layout_known_ = true;
}

void TraceWriter::EmitLocked(std::string_view type, const std::string& body,
                             const std::vector<TableFileInfo>* files) {
  if (file_ == nullptr) return;
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start_).count();
  const LevelScores s = ScoresOf(options_, layout_);
  std::string line = fmt::format(R"({{"seq":{},"t_us":{},"type":"{}")", ++seq_, us, type);
  if (!body.empty()) line += "," + body;
  if (files != nullptr) line += R"(,"files":)" + FilesJson(*files);
  line += fmt::format(R"(,"counters":{{"files":[{}],"bytes":[{}],"targets":[{:.0f}],)"
                      R"("scores":[{:.4f}],"wa":{:.4f},"written":{},"stall_us":{}}}}})",
                      fmt::join(s.files, ","), fmt::join(s.bytes, ","), fmt::join(s.target, ","),
                      fmt::join(s.score, ","), wa_, written_, stall_us_);
  line += '\n';
  std::fputs(line.c_str(), file_);
  std::fflush(file_);
}

void TraceWriter::OnRecovery(const RecoveryInfo& info) {
  {
    std::lock_guard<std::mutex> l(mu_);
    SetLayoutLocked(info.files_after);
    std::string logs = R"("logs":[)";
    for (size_t i = 0; i < info.logs.size(); ++i) {
      const LogRecoveryInfo& g = info.logs[i];
      logs += fmt::format(R"({}{{"log":{},"records":{},"torn_tail_bytes":{},"damaged":{},)"
                          R"("skipped":{},"bytes_dropped":{}}})",
                          i ? "," : "", g.log_number, g.records_replayed, g.torn_tail_bytes,
                          Bool(g.damaged), Bool(g.skipped), g.bytes_dropped);
    }
    EmitLocked("open", logs + "]", &layout_);
  }
  if (next_ != nullptr) next_->OnRecovery(info);
}

void TraceWriter::OnMemTableFrozen(const MemTableFrozenInfo& info) {
  {
    std::lock_guard<std::mutex> l(mu_);
    EmitLocked("frozen", fmt::format(R"("memtable_bytes":{},"entries":{},"new_log":{})",
                                     info.memtable_bytes, info.entries, info.new_log_number),
               nullptr);
  }
  if (next_ != nullptr) next_->OnMemTableFrozen(info);
}

void TraceWriter::OnFlush(const FlushInfo& info) {
  {
    std::lock_guard<std::mutex> l(mu_);
    SetLayoutLocked(info.files_after);
    wa_ = info.write_amplification;
    written_ += info.file_size;
    std::string body = fmt::format(R"("file":{},"level":{},"size":{},"micros":{})",
                                   info.file_number, info.level, info.file_size, info.micros);
    if (info.file_number != 0) {
      for (const auto& f : info.files_after) {
        if (f.number == info.file_number) body += R"(,"output":)" + FileJson(f);
      }
    }
    EmitLocked("flush", body, &layout_);
  }
  if (next_ != nullptr) next_->OnFlush(info);
}

void TraceWriter::OnCompaction(const CompactionInfo& info) {
  {
    std::lock_guard<std::mutex> l(mu_);
    // Outputs: live afterwards and new (or, for a trivial move, the moved file at its new level).
    std::vector<TableFileInfo> outputs;
    for (const auto& f : info.files_after) {
      if (f.level != info.output_level) continue;
      bool was_live_here = false;
      for (const auto& g : layout_) was_live_here |= (g.number == f.number && g.level == f.level);
      if (!was_live_here) outputs.push_back(f);
    }
    const std::string reason = ReasonOf(info);
    // The layout when the compaction began: the last one traced, without the files numbered
    // after its first output (flushes that finished while it ran; numbers only grow).
    uint64_t first_output = std::numeric_limits<uint64_t>::max();
    for (const auto& f : outputs) first_output = std::min(first_output, f.number);
    std::vector<TableFileInfo> began;
    for (const auto& f : layout_) {
      if (info.trivial_move || f.number < first_output) began.push_back(f);
    }
    const std::string why = WhyOf(info, reason, began);
    std::string inputs = "[";
    for (int level = 0, n = 0; level < kNumLevels; ++level) {
      std::string numbers;
      for (const auto& f : info.inputs) {
        if (f.level == level) numbers += fmt::format("{}{}", numbers.empty() ? "" : ",", f.number);
      }
      if (!numbers.empty()) {
        inputs += fmt::format(R"({}{{"level":{},"files":[{}]}})", n++ ? "," : "", level, numbers);
      }
    }
    inputs += "]";
    SetLayoutLocked(info.files_after);
    wa_ = info.write_amplification;
    written_ += info.bytes_written;
    const std::string body = fmt::format(
        R"("style":{},"reason":{},"why":{},"level":{},"output_level":{},"manual":{},)"
        R"("seek_triggered":{},"description":{},"inputs":{},"input_files":{},"outputs":{},)"
        R"("bytes_read":{},"bytes_written":{},"entries_dropped":{},"micros":{})",
        JsonString(style_), JsonString(reason, 256), JsonString(why, 1024), info.level,
        info.output_level,
        Bool(info.manual), Bool(info.seek_triggered), JsonString(info.description, 4096), inputs,
        FilesJson(info.inputs), FilesJson(outputs), info.bytes_read, info.bytes_written,
        info.entries_dropped, info.micros);
    EmitLocked(info.trivial_move ? "trivial_move" : "compaction", body, &layout_);
  }
  if (next_ != nullptr) next_->OnCompaction(info);
}

std::string TraceWriter::WhyOf(const CompactionInfo& info, const std::string& reason,
                               const std::vector<TableFileInfo>& layout) const {
  const LevelScores s = ScoresOf(options_, layout);
  const int l = std::clamp(info.level, 0, kNumLevels - 1);
  // Runs among the inputs: each L0 file, and each level >= 1 with an input file.
  int input_runs = 0;
  std::array<bool, kNumLevels> level_seen{};
  for (const auto& f : info.inputs) {
    if (f.level == 0) ++input_runs;
    else if (f.level > 0 && f.level < kNumLevels && !level_seen[f.level]) {
      level_seen[f.level] = true;
      ++input_runs;
    }
  }
  const UniversalCompactionOptions& u = options_.universal;
  const uint64_t oldest = s.oldest_bytes;
  if (reason == "L0 file count") {
    return fmt::format("L0 has {} files {} trigger {} (score {:.2f})", s.files[0],
                       s.files[0] >= static_cast<uint64_t>(kL0CompactionTrigger) ? ">=" : "<",
                       kL0CompactionTrigger, s.score[0]);
  }
  if (reason == "level size") {
    return fmt::format("L{} score {:.2f}: {} against its target {}", l, s.score[l],
                       HumanBytes(s.bytes[l]), HumanBytes(static_cast<uint64_t>(s.target[l])));
  }
  if (reason == "seek") {
    return fmt::format("a file in L{} used up its allowed seeks (reads that looked in it and "
                       "then had to go deeper)", l);
  }
  if (reason == "manual") return fmt::format("CompactRange asked for it (L{} -> L{})", l,
                                             info.output_level);
  if (reason == "space amplification") {
    return fmt::format("space amplification {:.0f}% >= {}%: the {} newer runs hold {}, the "
                       "oldest run {}", oldest > 0 ? 100.0 * s.newer_than_oldest / oldest : 0.0,
                       u.max_size_amplification_percent, s.runs - 1,
                       HumanBytes(s.newer_than_oldest), HumanBytes(oldest));
  }
  if (reason == "lazy leveling") {
    return fmt::format("the {} upper runs hold {}, at least 1/{} of the largest level's {}: all "
                       "merged into it", s.runs - 1, HumanBytes(s.newer_than_oldest),
                       options_.lazy_leveling_size_ratio, HumanBytes(oldest));
  }
  if (reason == "size ratio") {
    return fmt::format("{} runs >= trigger {}; the newest {} merged: each next older run was at "
                       "most {}% of the runs before it", s.runs, u.run_compaction_trigger,
                       input_runs, 100 + u.size_ratio);
  }
  if (reason == "run count") {
    return fmt::format("{} runs > trigger {}: the newest {} merged, whatever their sizes", s.runs,
                       u.run_compaction_trigger, input_runs);
  }
  return reason;
}

void TraceWriter::OnWriteStall(const WriteStallInfo& info) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!info.begin) stall_us_ += info.micros;
    EmitLocked("stall", fmt::format(R"("kind":"{}","begin":{},"l0_files":{},"micros":{})",
                                    WriteStallInfo::KindName(info.kind), Bool(info.begin),
                                    info.l0_files, info.micros),
               nullptr);
  }
  if (next_ != nullptr) next_->OnWriteStall(info);
}

void TraceWriter::OnBackgroundError(const std::string& error) {
  {
    std::lock_guard<std::mutex> l(mu_);
    EmitLocked("error", R"("message":)" + JsonString(error, 4096), nullptr);
  }
  if (next_ != nullptr) next_->OnBackgroundError(error);
}

}  // namespace lsm::demo
