#include "common/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
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

// A link to /dev/zero would feed a reader endless bytes: every way of opening a file for
// reading refuses it, naming the link.
TEST_F(FileTest, SymlinkToDevZeroIsNotARegularFile) {
  const auto link = dir_ / "CURRENT";
  std::filesystem::create_symlink("/dev/zero", link);
  auto expect_refused = [&](const Status& s) {
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_EQ(link.string() + " is not a regular file (a character device)", s.message());
  };
  std::unique_ptr<SequentialFile> seq;
  expect_refused(fs_->NewSequentialFile(link, &seq));
  std::unique_ptr<RandomAccessFile> random;
  expect_refused(fs_->NewRandomAccessFile(link, &random));
  std::string data;
  expect_refused(ReadFileToString(fs_, link, &data, /*max_size=*/1 << 20));  // bounded if it regresses
}

TEST_F(FileTest, DirectoryAndFifoAreNotRegularFiles) {
  ASSERT_TRUE(fs_->CreateDir(dir_ / "sub").ok());
  std::unique_ptr<SequentialFile> seq;
  Status s = fs_->NewSequentialFile(dir_ / "sub", &seq);
  EXPECT_NE(std::string::npos, s.message().find("is not a regular file (a directory)")) << s.ToString();
  // A FIFO could feed a reader forever (and opening one waits for a writer; this test holds
  // one end open so that even an unchecked open returns).
  ASSERT_EQ(0, ::mkfifo((dir_ / "fifo").c_str(), 0644));
  const int writer = ::open((dir_ / "fifo").c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(writer, 0);
  std::unique_ptr<RandomAccessFile> random;
  s = fs_->NewRandomAccessFile(dir_ / "fifo", &random);
  EXPECT_NE(std::string::npos, s.message().find("is not a regular file (a FIFO)")) << s.ToString();
  ::close(writer);
}

TEST_F(FileTest, SymlinkToRegularFileStillReads) {
  ASSERT_TRUE(WriteStringToFile(fs_, "MANIFEST-000001\n", dir_ / "target", false).ok());
  std::filesystem::create_symlink(dir_ / "target", dir_ / "link");
  std::string data;
  ASSERT_TRUE(ReadFileToString(fs_, dir_ / "link", &data).ok());
  EXPECT_EQ("MANIFEST-000001\n", data);
}

TEST_F(FileTest, ReadFileToStringStopsAtMaxSize) {
  ASSERT_TRUE(WriteStringToFile(fs_, std::string(4096, 'x'), dir_ / "exact", false).ok());
  ASSERT_TRUE(WriteStringToFile(fs_, std::string(200000, 'x'), dir_ / "big", false).ok());
  std::string data;
  ASSERT_TRUE(ReadFileToString(fs_, dir_ / "exact", &data, 4096).ok());
  EXPECT_EQ(4096u, data.size());
  Status s = ReadFileToString(fs_, dir_ / "exact", &data, 4095);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ((dir_ / "exact").string() + " is larger than the limit of 4095 bytes", s.message());
  s = ReadFileToString(fs_, dir_ / "big", &data, 4096);
  EXPECT_EQ((dir_ / "big").string() + " is larger than the limit of 4096 bytes", s.message());
  EXPECT_LE(data.size(), 4096u);  // it stopped reading, it did not load the whole file
  ASSERT_TRUE(ReadFileToString(fs_, dir_ / "big", &data).ok());  // no limit by default
  EXPECT_EQ(200000u, data.size());
}

// The lock is the file's, not the path's: a symlinked directory names the same LOCK.
TEST_F(FileTest, LockThroughSymlinkedDirectoryFails) {
  ASSERT_TRUE(fs_->CreateDir(dir_ / "db").ok());
  std::filesystem::create_directory_symlink(dir_ / "db", dir_ / "alias");
  std::unique_ptr<FileLock> lock;
  ASSERT_TRUE(fs_->LockFile(dir_ / "db" / "LOCK", &lock).ok());
  std::unique_ptr<FileLock> second;
  Status s = fs_->LockFile(dir_ / "alias" / "LOCK", &second);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(fmt::format("{}: already locked by this process (as {})",
                        (dir_ / "alias" / "LOCK").string(), (dir_ / "db" / "LOCK").string()),
            s.message());
  // A hard link is the same file too.
  ASSERT_EQ(0, ::link((dir_ / "db" / "LOCK").c_str(), (dir_ / "hard").c_str()));
  EXPECT_TRUE(fs_->LockFile(dir_ / "hard", &second).IsIOError());
  // The refused attempts did not drop the real lock, and releasing it frees every name.
  EXPECT_TRUE(fs_->LockFile(dir_ / "db" / "LOCK", &second).IsIOError());
  lock.reset();
  EXPECT_TRUE(fs_->LockFile(dir_ / "alias" / "LOCK", &second).ok());
}

}  // namespace
}  // namespace lsm
