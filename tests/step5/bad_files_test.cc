// DB::Open on a directory whose files are not what they claim to be: a CURRENT or log that is
// a link to a device, a CURRENT far too long to be one, and the directory of a database that
// is already open, reached through a symlink. Each must be a prompt error naming the file —
// not an allocation failure, an endless read, or a second writer on the same files.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "step5_lsm/db.h"
#include "step5_lsm/filename.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

namespace fs = std::filesystem;

class BadFilesTest : public ::testing::Test {
 protected:
  BadFilesTest() {
    std::unique_ptr<DB> db;
    Status s = DB::Open(Options{.create_if_missing = true}, Dir(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (db != nullptr) {
      EXPECT_TRUE(db->Put("apple", "red").ok());
    }
  }

  fs::path Dir() const { return dir_ / "db"; }

  // Replaces path with a symlink to target.
  static void LinkTo(const fs::path& path, const fs::path& target) {
    fs::remove(path);
    fs::create_symlink(target, path);
  }

  // DB::Open, failing the test (and ending the process) if it does not return within a
  // minute: a regression here is an endless read.
  static Status OpenWithDeadline(const fs::path& dir, std::unique_ptr<DB>* db) {
    auto done = std::async(std::launch::async, [&] { return DB::Open(Options{}, dir, db); });
    if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      std::fprintf(stderr, "DB::Open(%s) did not return within 60 s\n", dir.c_str());
      std::_Exit(1);  // the open cannot be interrupted; the future would wait for it forever
    }
    return done.get();
  }

  testutil::TempDir dir_;
};

TEST_F(BadFilesTest, CurrentLinkedToDevZeroIsAnErrorNamingCurrent) {
  LinkTo(CurrentFileName(Dir()), "/dev/zero");
  std::unique_ptr<DB> db;
  Status s = OpenWithDeadline(Dir(), &db);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(CurrentFileName(Dir()).string() + " is not a regular file (a character device)",
            s.message());
  EXPECT_EQ(nullptr, db);
}

// CURRENT is one short line; a huge one is refused before it is read into memory.
TEST_F(BadFilesTest, OversizedCurrentIsAnErrorNamingTheLimit) {
  fs::remove(CurrentFileName(Dir()));
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), std::string(1 << 20, 'M') + "\n",
                                CurrentFileName(Dir()), false)
                  .ok());
  std::unique_ptr<DB> db;
  Status s = OpenWithDeadline(Dir(), &db);
  EXPECT_FALSE(s.ok());
  // (Compared by hand: a failure would otherwise print a megabyte of 'M'.)
  EXPECT_TRUE(s.message() == CurrentFileName(Dir()).string() + " is larger than the limit of 4096 bytes")
      << s.message().substr(0, 300);
}

// Recovery replays every live log; one linked to /dev/urandom used to be read forever (its
// random "records" fail their checksums and are skipped, and the file never ends).
TEST_F(BadFilesTest, LogLinkedToDevUrandomIsAnErrorNotAHang) {
  std::vector<std::string> names;
  ASSERT_TRUE(FileSystem::Default()->GetChildren(Dir(), &names).ok());
  std::vector<fs::path> logs;
  for (const auto& name : names) {
    uint64_t number;
    FileType type;
    if (ParseFileName(name, &number, &type) && type == FileType::kLogFile) logs.push_back(Dir() / name);
  }
  ASSERT_FALSE(logs.empty());
  for (const auto& log : logs) LinkTo(log, "/dev/urandom");
  std::unique_ptr<DB> db;
  Status s = OpenWithDeadline(Dir(), &db);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find(".log is not a regular file")) << s.ToString();
}

// The lock is on the LOCK file itself, so a symlink to an open database's directory cannot
// open it a second time (the second handle's log would replace the first one's on reopen).
TEST_F(BadFilesTest, OpenThroughSymlinkToAnOpenDatabaseFails) {
  std::unique_ptr<DB> first;
  ASSERT_TRUE(DB::Open(Options{}, Dir(), &first).ok());
  fs::create_directory_symlink(Dir(), dir_ / "alias");
  std::unique_ptr<DB> second;
  Status s = DB::Open(Options{}, dir_ / "alias", &second);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("already locked by this process")) << s.ToString();
  EXPECT_EQ(nullptr, second);

  // The first handle is untouched: its writes survive a reopen.
  ASSERT_TRUE(first->Put("banana", "yellow").ok());
  first.reset();
  ASSERT_TRUE(DB::Open(Options{}, dir_ / "alias", &second).ok());  // now free, under any name
  std::string value;
  ASSERT_TRUE(second->Get("banana", &value).ok());
  EXPECT_EQ("yellow", value);
  ASSERT_TRUE(second->Get("apple", &value).ok());
  EXPECT_EQ("red", value);
}

}  // namespace
}  // namespace lsm
