// The EventListener's story of a run: every frozen memtable is flushed, and every write stall
// that begins also ends — what a trace of the engine (demo's trace writer) relies on.
#include "step5_lsm/event_listener.h"

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/step5/db_test_util.h"

namespace lsm {
namespace {

struct CountingListener final : EventListener {
  std::mutex mu;
  int frozen = 0, flushes = 0, stall_begins = 0, stall_ends = 0;
  uint64_t frozen_entries = 0;
  void OnMemTableFrozen(const MemTableFrozenInfo& info) override {
    std::lock_guard<std::mutex> l(mu);
    ++frozen;
    frozen_entries += info.entries;
    EXPECT_GT(info.new_log_number, 0u);
  }
  void OnFlush(const FlushInfo&) override {
    std::lock_guard<std::mutex> l(mu);
    ++flushes;
  }
  void OnWriteStall(const WriteStallInfo& info) override {
    std::lock_guard<std::mutex> l(mu);
    (info.begin ? stall_begins : stall_ends)++;
    if (!info.begin) {
      EXPECT_GE(stall_begins, stall_ends);
    }
  }
};

TEST(EventListenerTest, EveryFrozenMemTableIsFlushedAndEveryStallEnds) {
  for (CompactionStyle style :
       {CompactionStyle::kLeveled, CompactionStyle::kTiered, CompactionStyle::kLazyLeveled}) {
    SCOPED_TRACE(CompactionStyleName(style));
    CountingListener listener;
    Options options = testutil::SmallOptions();
    options.write_buffer_size = 8 * 1024;
    options.compaction_style = style;
    options.listener = &listener;
    testutil::DBFixture t(options);
    for (int i = 0; i < 2000; ++i) {
      ASSERT_TRUE(t.db_->Put(fmt::format("key{:05}", (i * 7919) % 2000), std::string(100, 'v')).ok());
    }
    ASSERT_TRUE(t.db_->Flush().ok());
    std::lock_guard<std::mutex> l(listener.mu);
    EXPECT_GT(listener.frozen, 10);
    EXPECT_EQ(listener.frozen, listener.flushes);  // Flush() waited for the last one
    EXPECT_EQ(2000u, listener.frozen_entries);
    EXPECT_EQ(listener.stall_begins, listener.stall_ends);
  }
}

// The last event's write amplification, whichever kind it was.
struct WriteAmpListener final : EventListener {
  std::mutex mu;
  double last = -1;
  int events = 0;
  void OnFlush(const FlushInfo& info) override { Note(info.write_amplification); }
  void OnCompaction(const CompactionInfo& info) override { Note(info.write_amplification); }
  void Note(double wa) {
    std::lock_guard<std::mutex> l(mu);
    last = wa;
    ++events;
  }
};

// The number after `label` in `text` (e.g. "write-amp 1.63 ..."), or "" when absent.
std::string FigureAfter(const std::string& text, std::string_view label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return "";
  const size_t begin = at + label.size();
  const size_t end = text.find_first_of(" \n", begin);
  return text.substr(begin, end - begin);
}

// lsm.stats, lsm.amplification, lsm.write-amplification and the events print one write
// amplification: table bytes / the key and value bytes the user wrote (not batch bytes).
TEST(EventListenerTest, EveryReportPrintsTheSameWriteAmplification) {
  WriteAmpListener listener;
  Options options = testutil::SmallOptions();
  options.write_buffer_size = 8 * 1024;
  options.listener = &listener;
  testutil::DBFixture t(options);
  uint64_t kv_bytes = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string key = fmt::format("key{:05}", (i * 7919) % 1500);
    if (i % 5 == 4) {
      ASSERT_TRUE(t.db_->Delete(key).ok());
      kv_bytes += key.size();
    } else {
      const std::string value(50 + i % 100, 'v');
      ASSERT_TRUE(t.db_->Put(key, value).ok());
      kv_bytes += key.size() + value.size();
    }
  }
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  t.WaitForBackgroundWork();

  const std::string amplification = t.Property("lsm.amplification");
  ASSERT_EQ(std::to_string(kv_bytes), FigureAfter(amplification, "user-bytes ")) << amplification;
  const double table_bytes = std::stod(FigureAfter(amplification, "table-bytes "));
  const std::string expected = fmt::format("{:.2f}", table_bytes / static_cast<double>(kv_bytes));
  EXPECT_EQ(expected, FigureAfter(amplification, "write-amp ")) << amplification;
  const std::string stats = t.Property("lsm.stats");
  EXPECT_EQ(expected,
            FigureAfter(stats, "write amplification (table bytes / user key+value bytes): "))
      << stats;
  EXPECT_EQ(expected, t.Property("lsm.write-amplification"));
  std::lock_guard<std::mutex> l(listener.mu);
  ASSERT_GT(listener.events, 3);
  EXPECT_EQ(expected, fmt::format("{:.2f}", listener.last));
}

}  // namespace
}  // namespace lsm
