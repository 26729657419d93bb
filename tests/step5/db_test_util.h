// Helpers shared by the step-5 DB tests: open/reopen a DB in a temp dir with small buffers so
// flushes and compactions happen after a few kilobytes, and read it back as a std::map.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "step5_lsm/db.h"
#include "tests/support/temp_dir.h"

namespace lsm::testutil {

// Small enough that a few hundred writes flush and a few thousand compact.
inline Options SmallOptions() {
  return Options{.create_if_missing = true,
                 .write_buffer_size = 16 * 1024,
                 .max_open_files = 30,
                 .block_cache_bytes = 64 * 1024,
                 .block_size = 1024};
}

class DBFixture {
 public:
  explicit DBFixture(Options options = SmallOptions()) : options_(options) { Reopen(); }
  ~DBFixture() { db_.reset(); }

  void Reopen() {
    db_.reset();
    Status s = DB::Open(options_, dir_.path(), &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void Close() { db_.reset(); }
  // Reopens the same directory under another compaction style.
  void ReopenAs(CompactionStyle style) {
    options_.compaction_style = style;
    Reopen();
  }
  // Waits (up to ~15 s) until no flush or compaction is queued or running: on a loaded machine
  // the background work lags the writes. If it is still pending then, fails the test (naming
  // the work, the levels and any background error) and returns false.
  bool WaitForBackgroundWork() {
    for (int i = 0; i < 3000; ++i) {
      std::string pending;
      if (!db_->GetProperty("lsm.compaction-pending", &pending)) {
        ADD_FAILURE() << "no lsm.compaction-pending property";
        return false;
      }
      if (pending == "0") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "background work still pending after ~15 s: "
                  << Property("lsm.pending-work") << "; background error: "
                  << Property("lsm.background-error") << "; levels:\n"
                  << Property("lsm.levels");
    return false;
  }
  std::string Property(std::string_view name) {
    std::string v;
    EXPECT_TRUE(db_->GetProperty(name, &v)) << name;
    return v;
  }

  std::string Get(std::string_view key, const Snapshot* snapshot = nullptr) {
    std::string value;
    Status s = db_->Get(ReadOptions{.snapshot = snapshot}, key, &value);
    if (s.IsNotFound()) return "NOT_FOUND";
    if (!s.ok()) return s.ToString();
    return value;
  }
  std::map<std::string, std::string> Contents(const Snapshot* snapshot = nullptr) {
    std::map<std::string, std::string> out;
    auto it = db_->NewIterator(ReadOptions{.snapshot = snapshot});
    for (it->SeekToFirst(); it->Valid(); it->Next()) out.emplace(it->key(), it->value());
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return out;
  }
  std::map<std::string, std::string> ContentsBackward(const Snapshot* snapshot = nullptr) {
    std::map<std::string, std::string> out;
    auto it = db_->NewIterator(ReadOptions{.snapshot = snapshot});
    for (it->SeekToLast(); it->Valid(); it->Prev()) out.emplace(it->key(), it->value());
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return out;
  }
  int FilesAtLevel(int level) {
    std::string v;
    EXPECT_TRUE(db_->GetProperty(fmt::format("lsm.num-files-at-level{}", level), &v));
    return std::stoi(v);
  }
  int TotalTableFiles() {
    int n = 0;
    for (int level = 0; level < 7; ++level) n += FilesAtLevel(level);
    return n;
  }

  Options options_;
  TempDir dir_;
  std::unique_ptr<DB> db_;
};

}  // namespace lsm::testutil
