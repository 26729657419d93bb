#include "step5_lsm/filename.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

TEST(FileName, BuildsLevelDBNames) {
  const std::filesystem::path dir = "/db";
  EXPECT_EQ("/db/000005.log", LogFileName(dir, 5).string());
  EXPECT_EQ("/db/000007.ldb", TableFileName(dir, 7).string());
  EXPECT_EQ("/db/000007.sst", SSTTableFileName(dir, 7).string());
  EXPECT_EQ("/db/MANIFEST-000002", DescriptorFileName(dir, 2).string());
  EXPECT_EQ("/db/CURRENT", CurrentFileName(dir).string());
  EXPECT_EQ("/db/LOCK", LockFileName(dir).string());
  EXPECT_EQ("/db/000009.dbtmp", TempFileName(dir, 9).string());
  EXPECT_EQ("/db/LOG", InfoLogFileName(dir).string());
  EXPECT_EQ("/db/1234567.log", LogFileName(dir, 1234567).string());  // wider than 6 digits
}

TEST(FileName, ParsesEveryKind) {
  struct Case {
    const char* name;
    uint64_t number;
    FileType type;
  };
  for (const Case& c : {Case{"100.log", 100, FileType::kLogFile},
                        Case{"0.log", 0, FileType::kLogFile},
                        Case{"0.sst", 0, FileType::kTableFile},
                        Case{"0.ldb", 0, FileType::kTableFile},
                        Case{"000123.ldb", 123, FileType::kTableFile},
                        Case{"CURRENT", 0, FileType::kCurrentFile},
                        Case{"LOCK", 0, FileType::kDBLockFile},
                        Case{"MANIFEST-2", 2, FileType::kDescriptorFile},
                        Case{"MANIFEST-7", 7, FileType::kDescriptorFile},
                        Case{"LOG", 0, FileType::kInfoLogFile},
                        Case{"LOG.old", 0, FileType::kInfoLogFile},
                        Case{"18446744073709551615.log", 18446744073709551615ull,
                             FileType::kLogFile},
                        Case{"000009.dbtmp", 9, FileType::kTempFile}}) {
    SCOPED_TRACE(c.name);
    uint64_t number = 99;
    FileType type = FileType::kTempFile;
    ASSERT_TRUE(ParseFileName(c.name, &number, &type));
    EXPECT_EQ(c.number, number);
    EXPECT_EQ(c.type, type);
  }
}

TEST(FileName, RejectsForeignNames) {
  for (const char* name :
       {"", "foo", "foo-dx-100.log", ".log", "manifest", "CURREN", "CURRENTX", "MANIFES",
        "MANIFEST", "MANIFEST-", "XMANIFEST-3", "MANIFEST-3x", "LOC", "LOCKx", "LO", "LOGx",
        "18446744073709551616.log", "184467440737095516150.log", "100", "100.", "100.lop"}) {
    SCOPED_TRACE(name);
    uint64_t number;
    FileType type;
    EXPECT_FALSE(ParseFileName(name, &number, &type));
  }
}

TEST(FileName, SetCurrentFileWritesManifestNameAndLeavesNoTemp) {
  testutil::TempDir dir;
  FileSystem* fs = FileSystem::Default();
  ASSERT_TRUE(SetCurrentFile(fs, dir.path(), 3).ok());
  std::string contents;
  ASSERT_TRUE(ReadFileToString(fs, CurrentFileName(dir.path()), &contents).ok());
  EXPECT_EQ("MANIFEST-000003\n", contents);
  EXPECT_FALSE(fs->FileExists(TempFileName(dir.path(), 3)));
  ASSERT_TRUE(SetCurrentFile(fs, dir.path(), 12).ok());
  ASSERT_TRUE(ReadFileToString(fs, CurrentFileName(dir.path()), &contents).ok());
  EXPECT_EQ("MANIFEST-000012\n", contents);
}

}  // namespace
}  // namespace lsm
