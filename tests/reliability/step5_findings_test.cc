// Step-5 bugs the reliability suites ran into, kept as regression tests now that they are
// fixed (each comment says what went wrong and where the fix is).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "step5_lsm/db.h"
#include "step5_lsm/filename.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

// Runs fn in a child process; returns its exit code, or -1 if it ran for over `seconds`.
template <typename Fn>
int RunWithDeadline(Fn fn, int seconds) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn());
  for (int waited_ms = 0; waited_ms < seconds * 1000; waited_ms += 10) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

// FINDING 1 (hang): a write_buffer_size smaller than an empty memtable's footprint (its
// arena's first 4 KiB block) makes the first Put loop forever in DBImpl::MakeRoomForWrite
// (step5_lsm/db_impl.cc: `mem_->ApproximateMemoryUsage() <= options_.write_buffer_size` is
// false even for an empty memtable, so it switches to a new log + memtable, waits for the
// flush of the empty one, and repeats — thousands of empty logs a second). LevelDB clamps
// write_buffer_size to [64 KiB, 1 GiB] when it opens (SanitizeOptions). Fixed: an empty
// memtable always has room (DBImpl::MakeRoomForWrite checks MemTable::num_entries()).
TEST(Step5Findings, TinyWriteBufferDoesNotHang) {
  testutil::TempDir dir;
  const int code = RunWithDeadline(
      [&] {
        std::unique_ptr<DB> db;
        Options options{.create_if_missing = true, .write_buffer_size = 4 * 1024};
        if (!DB::Open(options, dir.path(), &db).ok()) return 1;
        return db->Put("k", "v").ok() ? 0 : 2;
      },
      10);
  EXPECT_EQ(0, code) << (code == -1 ? "Put did not return within 10 s" : "Put failed");
}

// FINDING 2 (silent loss, same as LevelDB 1.23): one flipped bit in the length field of the
// MANIFEST's last record makes the reader take the record for a torn tail (an impossible
// length in the final block is indistinguishable from a cut-off append), so Open succeeds —
// even with paranoid_checks — with the last edits (here: two flushed tables) missing, and
// then deletes those tables as obsolete. The corruption sweep counts these as "lossy" opens
// (stale or missing values, never invented ones). A possible fix: with paranoid_checks,
// treat a torn MANIFEST tail as Corruption (the MANIFEST is synced after every edit, so a
// torn tail means a crash inside LogAndApply, which a repair tool can then handle).
TEST(Step5Findings, ParanoidOpenRejectsAManifestWithAFlippedLength) {
  testutil::TempDir dir;
  Options options{.create_if_missing = true, .paranoid_checks = true};
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, dir.path(), &db).ok());
    ASSERT_TRUE(db->Put("a", "1").ok());
    ASSERT_TRUE(db->Flush().ok());
    ASSERT_TRUE(db->Put("b", "2").ok());
    ASSERT_TRUE(db->Flush().ok());
  }
  std::string current;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), CurrentFileName(dir.path()), &current).ok());
  const std::filesystem::path manifest = dir.path() / current.substr(0, current.size() - 1);
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), manifest, &bytes).ok());
  // Walk the physical records (7-byte header: crc32 4, length 2 LE, type 1) to the last one.
  size_t last = 0;
  for (size_t off = 0; off + 7 <= bytes.size();) {
    last = off;
    off += 7 + (static_cast<uint8_t>(bytes[off + 4]) | static_cast<uint8_t>(bytes[off + 5]) << 8);
  }
  bytes[last + 5] = static_cast<char>(bytes[last + 5] ^ 0x80);  // length += 32768
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), bytes, manifest, true).ok());

  std::unique_ptr<DB> db;
  Status s = DB::Open(options, dir.path(), &db);
  if (s.ok()) {
    std::string v;
    ADD_FAILURE() << "opened; Get(b) = " << db->Get("b", &v).ToString();
  }
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

}  // namespace
}  // namespace lsm
