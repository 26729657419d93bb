#include "tests/support/fault_injection_fs.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lsm::testutil {
namespace {

using Op = FaultInjectionFileSystem::Op;

class FaultInjectionTest : public ::testing::Test {
 protected:
  std::string Contents(const std::string& name) {
    std::string data;
    EXPECT_TRUE(ReadFileToString(&fs_, dir_ / name, &data).ok());
    return data;
  }
  TempDir dir_;
  FaultInjectionFileSystem fs_{FileSystem::Default()};
};

TEST_F(FaultInjectionTest, DropUnsyncedDataKeepsOnlySyncedBytes) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "log", &f).ok());
  ASSERT_TRUE(f->Append("synced.").ok());
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(f->Append("lost").ok());
  ASSERT_TRUE(f->Flush().ok());
  EXPECT_EQ("synced.lost", Contents("log"));
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ("synced.", Contents("log"));
}

TEST_F(FaultInjectionTest, NeverSyncedFileBecomesEmpty) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "t", &f).ok());
  ASSERT_TRUE(f->Append("data").ok());
  ASSERT_TRUE(f->Close().ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ("", Contents("t"));
}

TEST_F(FaultInjectionTest, RenameCarriesTheSyncedSize) {
  ASSERT_TRUE(WriteStringToFile(&fs_, "abc", dir_ / "tmp", /*sync=*/true).ok());
  ASSERT_TRUE(fs_.RenameFile(dir_ / "tmp", dir_ / "CURRENT").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ("abc", Contents("CURRENT"));
}

TEST_F(FaultInjectionTest, FailAfterFailsTheNthOperationOnward) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "f", &f).ok());
  fs_.FailAfter(Op::kWrite, 2);
  EXPECT_TRUE(f->Append("1").ok());
  EXPECT_TRUE(f->Append("2").ok());
  Status s = f->Append("3");
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("injected write failure"));
  fs_.ClearFailures();
  EXPECT_TRUE(f->Append("4").ok());
  fs_.FailAfter(Op::kSync, 0);
  EXPECT_TRUE(f->Sync().IsIOError());
  fs_.FailAfter(Op::kRename, 0);
  EXPECT_TRUE(fs_.RenameFile(dir_ / "f", dir_ / "g").IsIOError());
  fs_.FailAfter(Op::kOpenWrite, 0);
  EXPECT_TRUE(fs_.NewWritableFile(dir_ / "h", &f).IsIOError());
  EXPECT_GE(fs_.Count(Op::kWrite), 4);
}

TEST_F(FaultInjectionTest, FailedCloseReportsTheErrorButClosesTheFile) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "f", &f).ok());
  ASSERT_TRUE(f->Append("buffered").ok());
  fs_.FailAfter(Op::kClose, 0);
  Status s = f->Close();
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("injected close failure")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find((dir_ / "f").string())) << s.ToString();
  EXPECT_EQ("buffered", Contents("f"));  // the bytes still reached the OS
  EXPECT_EQ(1, fs_.Count(Op::kClose));
  EXPECT_EQ(1, fs_.Injected(Op::kClose));
  fs_.ClearFailures();
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "g", &f).ok());
  EXPECT_TRUE(f->Close().ok());
  EXPECT_EQ(1, fs_.Injected(Op::kClose));
}

TEST_F(FaultInjectionTest, FailedRemoveLeavesTheFileAndItsSyncedSize) {
  ASSERT_TRUE(WriteStringToFile(&fs_, "abc", dir_ / "f", /*sync=*/true).ok());
  fs_.FailAfter(Op::kRemove, 1);  // the first remove works, the second and later fail
  ASSERT_TRUE(WriteStringToFile(&fs_, "x", dir_ / "other", /*sync=*/false).ok());
  EXPECT_TRUE(fs_.RemoveFile(dir_ / "other").ok());
  EXPECT_FALSE(fs_.FileExists(dir_ / "other"));
  Status s = fs_.RemoveFile(dir_ / "f");
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("injected remove failure")) << s.ToString();
  EXPECT_TRUE(fs_.FileExists(dir_ / "f"));
  EXPECT_EQ(2, fs_.Count(Op::kRemove));
  EXPECT_EQ(1, fs_.Injected(Op::kRemove));
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ("abc", Contents("f"));  // still known as synced: not truncated
  fs_.ClearFailures();
  EXPECT_TRUE(fs_.RemoveFile(dir_ / "f").ok());
  EXPECT_FALSE(fs_.FileExists(dir_ / "f"));
}

TEST_F(FaultInjectionTest, InjectedCountsOnlyTheFailuresOfEachKind) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "f", &f).ok());
  fs_.FailAfter(Op::kWrite, 1);
  EXPECT_TRUE(f->Append("1").ok());
  EXPECT_TRUE(f->Append("2").IsIOError());
  EXPECT_TRUE(f->Append("3").IsIOError());
  EXPECT_TRUE(f->Sync().ok());
  EXPECT_EQ(3, fs_.Count(Op::kWrite));
  EXPECT_EQ(2, fs_.Injected(Op::kWrite));
  EXPECT_EQ(0, fs_.Injected(Op::kSync));
  fs_.ClearFailures();
  fs_.SetFilesystemActive(false);
  EXPECT_TRUE(f->Sync().IsIOError());
  EXPECT_EQ(1, fs_.Injected(Op::kSync));
  EXPECT_TRUE(f->Close().ok());  // closes and removes still work on an inactive FS
  EXPECT_TRUE(fs_.RemoveFile(dir_ / "f").ok());
  EXPECT_EQ(0, fs_.Injected(Op::kClose) + fs_.Injected(Op::kRemove));
}

TEST_F(FaultInjectionTest, InactiveFileSystemFailsWrites) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_.NewWritableFile(dir_ / "f", &f).ok());
  fs_.SetFilesystemActive(false);
  EXPECT_TRUE(f->Append("x").IsIOError());
  EXPECT_TRUE(f->Sync().IsIOError());
}

}  // namespace
}  // namespace lsm::testutil
