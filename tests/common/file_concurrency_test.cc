// Thread-safety promises of common/: RandomAccessFile::Read and FileSystem methods may be
// called from many threads at once. Run under the tsan preset (label "concurrency").
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/crc32c.h"
#include "common/file.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

TEST(FileConcurrency, ParallelPreadsSeeTheirOwnBytes) {
  testutil::TempDir dir;
  FileSystem* fs = FileSystem::Default();
  std::string data;
  for (int i = 0; i < 4096; ++i) data.push_back(static_cast<char>(i % 251));
  ASSERT_TRUE(WriteStringToFile(fs, data, dir / "f", false).ok());
  std::unique_ptr<RandomAccessFile> file;
  ASSERT_TRUE(fs->NewRandomAccessFile(dir / "f", &file).ok());

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      char scratch[64];
      for (int i = 0; i < 2000; ++i) {
        const uint64_t off = static_cast<uint64_t>((i * 37 + t * 101) % 4000);
        std::string_view got;
        if (!file->Read(off, 64, scratch, &got).ok() || got != std::string_view(data).substr(off, 64)) {
          ++mismatches;
        }
        if (crc32c::Value(got) != crc32c::Value(std::string_view(data).substr(off, 64))) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(0, mismatches.load());
}

TEST(FileConcurrency, OnlyOneThreadWinsTheLock) {
  testutil::TempDir dir;
  std::atomic<int> winners{0};
  std::vector<std::unique_ptr<FileLock>> locks(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      if (FileSystem::Default()->LockFile(dir / "LOCK", &locks[t]).ok()) ++winners;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(1, winners.load());
}

}  // namespace
}  // namespace lsm
