#include "demo/narrator.h"

#include <cstdio>

#include <fmt/format.h>

#include "common/plural.h"

namespace lsm::demo {

std::string HumanBytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 20)) return fmt::format("{:.1f} MiB", bytes / 1048576.0);
  if (bytes >= 1024) return fmt::format("{:.0f} KiB", bytes / 1024.0);
  return fmt::format("{} B", bytes);
}

void Narrator::OnFlush(const FlushInfo& info) {
  ++flushes_;
  if (!live_) return;
  if (info.file_number == 0) return;
  Say(fmt::format("  ~ flush      memtable -> #{} at L{}, {} in {} ms   {}", info.file_number,
                  info.level, HumanBytes(info.file_size), info.micros / 1000, info.levels_after));
}

void Narrator::OnCompaction(const CompactionInfo& info) {
  ++compactions_;
  if (info.trivial_move) ++trivial_moves_;
  if (!live_) return;
  if (info.trivial_move) {
    Say(fmt::format("  ~ move       {} (only the MANIFEST changes)   {}", info.description,
                    info.levels_after));
    return;
  }
  Say(fmt::format("  ~ compaction {}: read {}, wrote {}, dropped {}, {} ms   {}",
                  info.description, HumanBytes(info.bytes_read), HumanBytes(info.bytes_written),
                  Plural(info.entries_dropped, "old entry", "old entries"), info.micros / 1000,
                  info.levels_after));
}

void Narrator::Say(const std::string& line) {
  std::lock_guard<std::mutex> l(mu_);
  if (bar_showing_ && terminal_) std::fputs("\r\033[K", stdout);
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  if (bar_showing_ && terminal_) DrawBarLocked();
  std::fflush(stdout);
}

void Narrator::Progress(uint64_t done, uint64_t total) {
  std::lock_guard<std::mutex> l(mu_);
  done_ = done;
  total_ = total;
  const int percent = total == 0 ? 100 : static_cast<int>(100 * done / total);
  const int step = terminal_ ? 1 : 10;
  if (percent / step == last_percent_ / step && done != total) return;
  last_percent_ = percent;
  bar_showing_ = true;
  if (terminal_) std::fputs("\r\033[K", stdout);
  DrawBarLocked();
  if (!terminal_) std::fputc('\n', stdout);
  std::fflush(stdout);
}

void Narrator::EndProgress() {
  std::lock_guard<std::mutex> l(mu_);
  if (bar_showing_ && terminal_) std::fputc('\n', stdout);
  bar_showing_ = false;
  last_percent_ = -1;
  std::fflush(stdout);
}

void Narrator::DrawBarLocked() {
  constexpr int kWidth = 30;
  const int filled = total_ == 0 ? kWidth : static_cast<int>(kWidth * done_ / total_);
  fmt::print("  [{}{}] {:>3}%  {} / {} keys", std::string(filled, '#'),
             std::string(kWidth - filled, '.'), total_ == 0 ? 100 : 100 * done_ / total_, done_,
             total_);
}

}  // namespace lsm::demo
