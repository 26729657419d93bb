// Smoke runs of the real executables: kvsh as a script over stdin, lsmdump on a database's
// files, and the demo in --quick mode (which must end with its crash check passed).
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>

#include <fmt/format.h>

#include "common/file.h"
#include "tests/support/temp_dir.h"

namespace lsm::demo {
namespace {

class ExecutablesTest : public ::testing::Test {
 protected:
  // Runs a shell command with stdout+stderr captured; returns its exit status.
  int Run(const std::string& command, std::string* output) {
    const auto out = dir_ / "output.txt";
    const int status = std::system(fmt::format("{} > '{}' 2>&1", command, out.string()).c_str());
    output->clear();
    EXPECT_TRUE(ReadFileToString(FileSystem::Default(), out, output).ok());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Write(const std::string& name, std::string_view text) {
    EXPECT_TRUE(WriteStringToFile(FileSystem::Default(), text, dir_ / name, false).ok());
    return (dir_ / name).string();
  }
  std::string Db() const { return (dir_ / "db").string(); }

  testutil::TempDir dir_;
};

TEST_F(ExecutablesTest, KvshScriptOverStdinPrintsNoPrompt) {
  const std::string script = Write("ok.kv", "put a 1\nput b \"two words\"\nscan\nget zz\n");
  std::string out;
  EXPECT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), script), &out));
  EXPECT_EQ("OK\nOK\na => 1\nb => \"two words\"\n(2 keys)\n(not found)\n", out);
  // The data is on disk: a second run sees it.
  const std::string again = Write("again.kv", "get b\n");
  EXPECT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), again), &out));
  EXPECT_EQ("\"two words\"\n", out);
}

TEST_F(ExecutablesTest, KvshScriptWithAFailedCommandExitsNonZero) {
  const std::string script = Write("bad.kv", "put a 1\nbogus\nget a\n");
  std::string out;
  EXPECT_EQ(1, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), script), &out));
  EXPECT_EQ("OK\nline 2: error: unknown command 'bogus' (try 'help')\n1\n", out);
}

TEST_F(ExecutablesTest, KvshBadFlagsPrintUsageAndExitTwo) {
  std::string out;
  EXPECT_EQ(2, Run(fmt::format("{} --bogus < /dev/null", LSM_KVSH_PATH), &out));
  EXPECT_NE(std::string::npos, out.find("--db")) << out;
  EXPECT_EQ(2, Run(fmt::format("{} < /dev/null", LSM_KVSH_PATH), &out));  // --db is required
}

TEST_F(ExecutablesTest, LsmdumpReadsTheFilesKvshLeft) {
  const std::string script = Write("fill.kv", "put apple red\ndel pear\nflush\n");
  std::string out;
  ASSERT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), script), &out)) << out;
  std::vector<std::string> names;
  ASSERT_TRUE(FileSystem::Default()->GetChildren(dir_ / "db", &names).ok());
  std::string args;
  for (const auto& n : names) {
    if (n.ends_with(".ldb") || n.starts_with("MANIFEST-")) args += " " + (dir_ / "db" / n).string();
  }
  EXPECT_EQ(0, Run(fmt::format("{} {}", LSM_LSMDUMP_PATH, args), &out)) << out;
  EXPECT_NE(std::string::npos, out.find("'apple' @ 1 : val => 'red'")) << out;
  EXPECT_NE(std::string::npos, out.find("'pear' @ 2 : del")) << out;
  EXPECT_NE(std::string::npos, out.find("comparator       leveldb.BytewiseComparator")) << out;

  EXPECT_EQ(1, Run(fmt::format("{} {}", LSM_LSMDUMP_PATH, Write("x.txt", "")), &out));
  EXPECT_NE(std::string::npos, out.find("cannot tell the kind of file")) << out;
  EXPECT_EQ(2, Run(fmt::format("{}", LSM_LSMDUMP_PATH), &out));
}

TEST_F(ExecutablesTest, DemoQuickLosesNothing) {
  std::string out;
  ASSERT_EQ(0, Run(fmt::format("{} --quick --db {}", LSM_DEMO_PATH, Db()), &out)) << out;
  EXPECT_NE(std::string::npos, out.find("nothing acknowledged was lost")) << out;
  EXPECT_NE(std::string::npos, out.find("== 8. Summary ==")) << out;
  EXPECT_EQ(2, Run(fmt::format("{} --num=abc", LSM_DEMO_PATH), &out));
}

}  // namespace
}  // namespace lsm::demo
