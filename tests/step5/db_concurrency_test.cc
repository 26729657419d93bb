// Several writer and reader threads on one DB (run under tsan in CI): writes are grouped,
// flushed and compacted in the background while readers read and iterate.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "tests/step5/db_test_util.h"

namespace lsm {
namespace {

TEST(DBConcurrency, WritersAndReaders) {
  testutil::DBFixture t;
  constexpr int kWriters = 3;
  constexpr int kPerWriter = 1500;
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        // Each key is written by one thread, values grow: readers check monotonicity.
        const std::string key = fmt::format("w{}-{:04d}", w, i % 300);
        ASSERT_TRUE(t.db_->Put(WriteOptions{.sync = i % 500 == 0}, key,
                               fmt::format("{:06d}", i)).ok());
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      while (!done.load()) {
        if (r == 0) {
          std::string value;
          Status s = t.db_->Get("w0-0000", &value);
          if (!s.ok() && !s.IsNotFound()) ++read_errors;
        } else {
          const Snapshot* snap = t.db_->GetSnapshot();
          auto it = t.db_->NewIterator(ReadOptions{.snapshot = snap});
          std::string last;
          for (it->SeekToFirst(); it->Valid(); it->Next()) {
            if (!last.empty() && std::string(it->key()) <= last) ++read_errors;
            last = it->key();
          }
          if (!it->status().ok()) ++read_errors;
          it.reset();
          t.db_->ReleaseSnapshot(snap);
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  done = true;
  for (size_t i = kWriters; i < threads.size(); ++i) threads[i].join();
  EXPECT_EQ(0, read_errors.load());
  auto contents = t.Contents();
  EXPECT_EQ(static_cast<size_t>(kWriters * 300), contents.size());
  for (int w = 0; w < kWriters; ++w) {
    for (int k = 0; k < 300; ++k) {
      // The last write of key k by writer w was i = k + 1200.
      EXPECT_EQ(fmt::format("{:06d}", k + 1200), contents[fmt::format("w{}-{:04d}", w, k)]);
    }
  }
}

}  // namespace
}  // namespace lsm
