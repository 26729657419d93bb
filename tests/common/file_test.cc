#include "common/file.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

class FileTest : public ::testing::Test {
 protected:
  FileSystem* fs_ = FileSystem::Default();
  testutil::TempDir dir_;
};

TEST_F(FileTest, WriteSyncAndReadBack) {
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_->NewWritableFile(dir_ / "a", &f).ok());
  ASSERT_TRUE(f->Append("hello ").ok());
  ASSERT_TRUE(f->Append(std::string(200000, 'x')).ok());  // larger than the buffer
  ASSERT_TRUE(f->Append("!").ok());
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(f->Close().ok());
  std::string data;
  ASSERT_TRUE(ReadFileToString(fs_, dir_ / "a", &data).ok());
  EXPECT_EQ("hello " + std::string(200000, 'x') + "!", data);
  uint64_t size;
  ASSERT_TRUE(fs_->GetFileSize(dir_ / "a", &size).ok());
  EXPECT_EQ(data.size(), size);
}

TEST_F(FileTest, AppendableFileKeepsExistingBytes) {
  ASSERT_TRUE(WriteStringToFile(fs_, "abc", dir_ / "f", true).ok());
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs_->NewAppendableFile(dir_ / "f", &f).ok());
  ASSERT_TRUE(f->Append("def").ok());
  ASSERT_TRUE(f->Close().ok());
  std::string data;
  ASSERT_TRUE(ReadFileToString(fs_, dir_ / "f", &data).ok());
  EXPECT_EQ("abcdef", data);
}

TEST_F(FileTest, RandomAccessReadsAtOffsetsAndShortAtEnd) {
  ASSERT_TRUE(WriteStringToFile(fs_, "0123456789", dir_ / "r", false).ok());
  std::unique_ptr<RandomAccessFile> f;
  ASSERT_TRUE(fs_->NewRandomAccessFile(dir_ / "r", &f).ok());
  char scratch[16];
  std::string_view got;
  ASSERT_TRUE(f->Read(3, 4, scratch, &got).ok());
  EXPECT_EQ("3456", got);
  ASSERT_TRUE(f->Read(8, 10, scratch, &got).ok());
  EXPECT_EQ("89", got);
}

TEST_F(FileTest, SequentialReadAndSkip) {
  ASSERT_TRUE(WriteStringToFile(fs_, "abcdefgh", dir_ / "s", false).ok());
  std::unique_ptr<SequentialFile> f;
  ASSERT_TRUE(fs_->NewSequentialFile(dir_ / "s", &f).ok());
  char scratch[8];
  std::string_view got;
  ASSERT_TRUE(f->Read(3, scratch, &got).ok());
  EXPECT_EQ("abc", got);
  ASSERT_TRUE(f->Skip(2).ok());
  ASSERT_TRUE(f->Read(8, scratch, &got).ok());
  EXPECT_EQ("fgh", got);
  ASSERT_TRUE(f->Read(8, scratch, &got).ok());
  EXPECT_TRUE(got.empty());
}

TEST_F(FileTest, MissingFileErrorNamesThePath) {
  std::unique_ptr<SequentialFile> f;
  Status s = fs_->NewSequentialFile(dir_ / "missing", &f);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("missing"));
  EXPECT_NE(std::string::npos, s.ToString().find("No such file"));
}

TEST_F(FileTest, WriteInMissingDirectoryFailsCleanly) {
  std::unique_ptr<WritableFile> f;
  Status s = fs_->NewWritableFile(dir_ / "no" / "such" / "dir", &f);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
}

TEST_F(FileTest, AtomicWriteReplacesAndLeavesNoTemp) {
  ASSERT_TRUE(WriteFileAtomically(fs_, "old", dir_ / "CURRENT", dir_ / "tmp").ok());
  ASSERT_TRUE(WriteFileAtomically(fs_, "new", dir_ / "CURRENT", dir_ / "tmp").ok());
  std::string data;
  ASSERT_TRUE(ReadFileToString(fs_, dir_ / "CURRENT", &data).ok());
  EXPECT_EQ("new", data);
  EXPECT_FALSE(fs_->FileExists(dir_ / "tmp"));
}

TEST_F(FileTest, ChildrenRenameRemove) {
  ASSERT_TRUE(fs_->CreateDir(dir_ / "sub" / "deeper").ok());
  ASSERT_TRUE(fs_->CreateDir(dir_ / "sub").ok());  // exists: still OK
  ASSERT_TRUE(WriteStringToFile(fs_, "x", dir_ / "sub" / "a", false).ok());
  ASSERT_TRUE(fs_->RenameFile(dir_ / "sub" / "a", dir_ / "sub" / "b").ok());
  std::vector<std::string> names;
  ASSERT_TRUE(fs_->GetChildren(dir_ / "sub", &names).ok());
  std::sort(names.begin(), names.end());
  EXPECT_EQ((std::vector<std::string>{"b", "deeper"}), names);
  ASSERT_TRUE(fs_->RemoveFile(dir_ / "sub" / "b").ok());
  EXPECT_FALSE(fs_->FileExists(dir_ / "sub" / "b"));
  ASSERT_TRUE(fs_->SyncDir(dir_ / "sub").ok());
  EXPECT_TRUE(fs_->GetChildren(dir_ / "nope", &names).IsIOError());
}

TEST_F(FileTest, LockIsExclusiveAndReleasedOnDestruction) {
  std::unique_ptr<FileLock> lock;
  ASSERT_TRUE(fs_->LockFile(dir_ / "LOCK", &lock).ok());
  std::unique_ptr<FileLock> second;
  EXPECT_TRUE(fs_->LockFile(dir_ / "LOCK", &second).IsIOError());
  lock.reset();
  EXPECT_TRUE(fs_->LockFile(dir_ / "LOCK", &second).ok());
}

}  // namespace
}  // namespace lsm
