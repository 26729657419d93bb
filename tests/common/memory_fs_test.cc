// MemoryFileSystem keeps the FileSystem contract the engine relies on (tests/support/
// memory_fs.h): files only in existing directories, bytes readable as soon as appended, names
// listed, renamed and removed, one lock per path, errors naming the path.
#include "tests/support/memory_fs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace lsm::testutil {
namespace {

std::string ReadAll(FileSystem* fs, const std::string& path) {
  std::string data;
  EXPECT_TRUE(ReadFileToString(fs, path, &data).ok()) << path;
  return data;
}

TEST(MemoryFileSystemTest, WritesAreReadableAndListed) {
  MemoryFileSystem fs;
  std::unique_ptr<WritableFile> w;
  Status s = fs.NewWritableFile("/db/000001.log", &w);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("/db/000001.log")) << s.ToString();
  ASSERT_TRUE(fs.CreateDir("/db/sub").ok());  // parents too
  EXPECT_TRUE(fs.FileExists("/db"));
  ASSERT_TRUE(fs.NewWritableFile("/db/000001.log", &w).ok());
  ASSERT_TRUE(w->Append("hello ").ok());
  std::unique_ptr<RandomAccessFile> r;
  ASSERT_TRUE(fs.NewRandomAccessFile("/db/./000001.log", &r).ok());
  ASSERT_TRUE(w->Append("world").ok());  // seen by a reader opened before the append
  char scratch[32];
  std::string_view got;
  ASSERT_TRUE(r->Read(6, 20, scratch, &got).ok());
  EXPECT_EQ("world", got);
  ASSERT_TRUE(r->Read(99, 4, scratch, &got).ok());
  EXPECT_EQ("", got);
  ASSERT_TRUE(w->Close().ok());
  EXPECT_TRUE(w->Append("x").IsIOError());
  uint64_t size = 0;
  ASSERT_TRUE(fs.GetFileSize("/db/000001.log", &size).ok());
  EXPECT_EQ(11u, size);

  std::vector<std::string> names;
  ASSERT_TRUE(fs.GetChildren("/db", &names).ok());
  std::sort(names.begin(), names.end());
  EXPECT_EQ((std::vector<std::string>{"000001.log", "sub"}), names);

  // Appendable keeps the bytes; writable truncates them in place.
  ASSERT_TRUE(fs.NewAppendableFile("/db/000001.log", &w).ok());
  ASSERT_TRUE(w->Append("!").ok());
  EXPECT_EQ("hello world!", ReadAll(&fs, "/db/000001.log"));
  ASSERT_TRUE(fs.NewWritableFile("/db/000001.log", &w).ok());
  EXPECT_EQ("", ReadAll(&fs, "/db/000001.log"));
}

TEST(MemoryFileSystemTest, RenameRemoveAndErrorsNameThePath) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDir("/db").ok());
  ASSERT_TRUE(WriteStringToFile(&fs, "new", "/db/CURRENT.tmp", true).ok());
  ASSERT_TRUE(WriteStringToFile(&fs, "old", "/db/CURRENT", true).ok());
  std::unique_ptr<SequentialFile> old_reader;
  ASSERT_TRUE(fs.NewSequentialFile("/db/CURRENT", &old_reader).ok());
  ASSERT_TRUE(fs.RenameFile("/db/CURRENT.tmp", "/db/CURRENT").ok());
  EXPECT_EQ("new", ReadAll(&fs, "/db/CURRENT"));
  EXPECT_FALSE(fs.FileExists("/db/CURRENT.tmp"));
  char scratch[8];
  std::string_view got;
  ASSERT_TRUE(old_reader->Read(8, scratch, &got).ok());
  EXPECT_EQ("old", got) << "an open reader keeps the bytes it had";

  ASSERT_TRUE(fs.RemoveFile("/db/CURRENT").ok());
  Status s = fs.RemoveFile("/db/CURRENT");
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(std::string::npos, s.ToString().find("/db/CURRENT: unlink: No such file")) << s.ToString();
  std::unique_ptr<RandomAccessFile> r;
  s = fs.NewRandomAccessFile("/db", &r);
  EXPECT_NE(std::string::npos, s.ToString().find("/db is not a regular file")) << s.ToString();
  ASSERT_TRUE(WriteStringToFile(&fs, "x", "/db/file", false).ok());
  s = fs.CreateDir("/db/file/sub");
  EXPECT_NE(std::string::npos, s.ToString().find("Not a directory")) << s.ToString();
  ASSERT_TRUE(fs.RemoveDir("/db").ok());
  EXPECT_FALSE(fs.FileExists("/db/file"));
}

TEST(MemoryFileSystemTest, OneLockPerPath) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDir("/db").ok());
  std::unique_ptr<FileLock> lock, again;
  ASSERT_TRUE(fs.LockFile("/db/LOCK", &lock).ok());
  EXPECT_TRUE(fs.FileExists("/db/LOCK"));
  Status s = fs.LockFile("/db/LOCK", &again);
  EXPECT_NE(std::string::npos, s.ToString().find("already locked")) << s.ToString();
  lock.reset();
  EXPECT_TRUE(fs.LockFile("/db/LOCK", &again).ok());
}

}  // namespace
}  // namespace lsm::testutil
