#include "demo/trace_writer.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

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

}  // namespace

TraceWriter::TraceWriter(std::string style, EventListener* next)
    : style_(std::move(style)), next_(next) {}

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
  fmt::print(file_, R"({{"format":"lsm-trace","version":{},"style":{},"levels":{},"key_limit":{}}})"
                    "\n", kTraceFormatVersion, JsonString(style_), kNumLevels, kTraceKeyLimit);
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
  std::array<uint64_t, kNumLevels> count{}, bytes{};
  for (const auto& f : layout_) {
    if (f.level < 0 || f.level >= kNumLevels) continue;
    ++count[f.level];
    bytes[f.level] += f.file_size;
  }
  std::string line = fmt::format(R"({{"seq":{},"t_us":{},"type":"{}")", ++seq_, us, type);
  if (!body.empty()) line += "," + body;
  if (files != nullptr) line += R"(,"files":)" + FilesJson(*files);
  line += fmt::format(R"(,"counters":{{"files":[{}],"bytes":[{}],"wa":{:.4f},"written":{},)"
                      R"("stall_us":{}}}}})",
                      fmt::join(count, ","), fmt::join(bytes, ","), wa_, written_, stall_us_);
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
        R"("style":{},"reason":{},"level":{},"output_level":{},"manual":{},"seek_triggered":{},)"
        R"("description":{},"inputs":{},"input_files":{},"outputs":{},"bytes_read":{},)"
        R"("bytes_written":{},"entries_dropped":{},"micros":{})",
        JsonString(style_), JsonString(ReasonOf(info), 256), info.level, info.output_level,
        Bool(info.manual), Bool(info.seek_triggered), JsonString(info.description, 4096), inputs,
        FilesJson(info.inputs), FilesJson(outputs), info.bytes_read, info.bytes_written,
        info.entries_dropped, info.micros);
    EmitLocked(info.trivial_move ? "trivial_move" : "compaction", body, &layout_);
  }
  if (next_ != nullptr) next_->OnCompaction(info);
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
