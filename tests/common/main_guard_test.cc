// GuardedMain turns an exception escaping main() into a message and status 1 (not an abort);
// MakeTempDir names the directory it could not create.
#include "common/main_guard.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

int Returns7(int, char**) { return 7; }
int ThrowsFilesystemError(int, char**) {
  throw std::filesystem::filesystem_error(
      "create_directories", "/missing/dir", std::make_error_code(std::errc::not_a_directory));
}
int ThrowsRuntimeError(int, char**) { throw std::runtime_error("boom"); }
int ThrowsAnInt(int, char**) { throw 42; }

int RunGuarded(int (*body)(int, char**), std::string* err) {
  char name[] = "/some/dir/tool";
  char* argv[] = {name, nullptr};
  testing::internal::CaptureStderr();
  const int status = GuardedMain(1, argv, body);
  *err = testing::internal::GetCapturedStderr();
  return status;
}

TEST(MainGuardTest, ReturnsWhatTheBodyReturns) {
  std::string err;
  EXPECT_EQ(7, RunGuarded(Returns7, &err));
  EXPECT_EQ("", err);
}

TEST(MainGuardTest, AnEscapingExceptionIsReportedWithStatus1) {
  std::string err;
  EXPECT_EQ(1, RunGuarded(ThrowsFilesystemError, &err));
  EXPECT_EQ(0u, err.find("tool: error: ")) << err;  // the program's base name
  EXPECT_NE(std::string::npos, err.find("create_directories")) << err;
  EXPECT_NE(std::string::npos, err.find("(path: /missing/dir)")) << err;
  EXPECT_EQ(1, RunGuarded(ThrowsRuntimeError, &err));
  EXPECT_EQ("tool: error: boom\n", err);
  EXPECT_EQ(1, RunGuarded(ThrowsAnInt, &err));
  EXPECT_EQ("tool: error: an unknown exception\n", err);
}

TEST(MainGuardTest, MakeTempDirUsesTmpdirAndNamesItOnFailure) {
  testutil::TempDir base;
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ASSERT_EQ(0, ::setenv("TMPDIR", base.path().c_str(), 1));
  std::filesystem::path made;
  Status s = MakeTempDir("x-", &made);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(base.path(), made.parent_path());
  EXPECT_TRUE(made.filename().string().starts_with("x-"));
  EXPECT_TRUE(std::filesystem::is_directory(made));

  const std::string missing = (base / "missing").string();
  ASSERT_EQ(0, ::setenv("TMPDIR", missing.c_str(), 1));
  s = MakeTempDir("x-", &made);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos,
            s.ToString().find(fmt::format("cannot create a temporary directory in {} (from "
                                          "TMPDIR): No such file or directory", missing)))
      << s.ToString();
  if (old != nullptr) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
}

}  // namespace
}  // namespace lsm
