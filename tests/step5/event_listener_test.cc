// The EventListener's story of a run: every frozen memtable is flushed, and every write stall
// that begins also ends — what a trace of the engine (demo's trace writer) relies on.
#include "step5_lsm/event_listener.h"

#include <mutex>
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

}  // namespace
}  // namespace lsm
