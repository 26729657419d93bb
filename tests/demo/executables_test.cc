// Smoke runs of the real executables: kvsh as a script over stdin, lsmdump on a database's
// files, and the demo in --quick mode (which must end with its crash check passed).
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/file.h"
#include "tests/support/temp_dir.h"

namespace lsm::demo {
namespace {

// A shell prefix capping a child's memory (sanitizers reserve terabytes of address space, so
// not under them).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::string_view kMemoryCap = "";
#else
constexpr std::string_view kMemoryCap = "ulimit -v 4000000; ";
#endif

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
  // command, capped in memory and time, so a regression that reads or allocates without end
  // fails the test instead of taking the machine down.
  static std::string Bounded(const std::string& command) {
    return fmt::format("{}timeout 60 {}", kMemoryCap, command);
  }

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
  EXPECT_EQ(2, Run(fmt::format("{} < /dev/null", LSM_KVSH_PATH), &out));  // a database is required
  EXPECT_NE(std::string::npos, out.find("no database: kvsh DIR, or kvsh --db DIR")) << out;
}

// kvsh DIR, like sqlite3 FILE: the same as --db DIR; both may be given only if they agree.
TEST_F(ExecutablesTest, KvshTakesTheDatabaseAsItsArgument) {
  std::string out;
  EXPECT_EQ(0, Run(fmt::format("{} {} < {}", LSM_KVSH_PATH, Db(), Write("put.kv", "put a 1\n")),
                   &out));
  EXPECT_EQ("OK\n", out);
  const std::string get = Write("get.kv", "get a\n");
  EXPECT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), get), &out));
  EXPECT_EQ("1\n", out);
  // The same directory, spelled differently.
  EXPECT_EQ(0, Run(fmt::format("{} --db {} {}/ < {}", LSM_KVSH_PATH, Db(), Db(), get), &out));
  EXPECT_EQ("1\n", out);
  EXPECT_EQ(0, Run(fmt::format("cd {} && {} --db db ./db < {}", dir_.path().string(),
                               LSM_KVSH_PATH, get), &out));
  EXPECT_EQ("1\n", out);

  const std::string other = (dir_ / "other").string();
  EXPECT_EQ(2, Run(fmt::format("{} --db {} {} < {}", LSM_KVSH_PATH, Db(), other, get), &out));
  EXPECT_NE(std::string::npos,
            out.find(fmt::format("kvsh: two database directories: --db {} and {}", Db(), other)))
      << out;
  EXPECT_FALSE(std::filesystem::exists(other));  // nothing was opened
  EXPECT_EQ(2, Run(fmt::format("{} {} {} < {}", LSM_KVSH_PATH, Db(), other, get), &out));
  EXPECT_NE(std::string::npos, out.find("too many arguments")) << out;

  EXPECT_EQ(0, Run(fmt::format("{} --help", LSM_KVSH_PATH), &out));
  EXPECT_EQ(0u, out.find("Usage: kvsh [flags] [DIR]\n")) << out;
  EXPECT_NE(std::string::npos, out.find("kvsh DIR, or kvsh --db DIR")) << out;
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

// Out-of-range numbers used to abort (length_error, bad_alloc) or allocate until killed; now
// each is a usage error naming the flag, the value and the range.
TEST_F(ExecutablesTest, DemoRejectsOutOfRangeNumbers) {
  std::string out;
  EXPECT_EQ(2, Run(Bounded(fmt::format("{} --num=9223372036854775807", LSM_DEMO_PATH)), &out));
  EXPECT_NE(std::string::npos,
            out.find("demo: --num: 9223372036854775807 is out of range (allowed: 8..10000000)"))
      << out;
  EXPECT_EQ(2, Run(Bounded(fmt::format("{} --num 100000000000", LSM_DEMO_PATH)), &out));
  EXPECT_NE(std::string::npos, out.find("--num: 100000000000 is out of range")) << out;
  EXPECT_EQ(2, Run(Bounded(fmt::format("{} --quick --value_size=9223372036854775807",
                                       LSM_DEMO_PATH)), &out));
  EXPECT_NE(std::string::npos,
            out.find("--value_size: 9223372036854775807 is out of range (allowed: 8..100000)"))
      << out;
  EXPECT_EQ(2, Run(Bounded(fmt::format("{} --max_value_bytes=-1 x.log", LSM_LSMDUMP_PATH)), &out));
  EXPECT_NE(std::string::npos, out.find("--max_value_bytes: -1 is out of range")) << out;
  // --help states the ranges.
  EXPECT_EQ(0, Run(fmt::format("{} --help", LSM_DEMO_PATH), &out));
  EXPECT_NE(std::string::npos, out.find("keys to load (range 8..10000000, default: 200000)")) << out;
}

TEST_F(ExecutablesTest, LsmdumpHelpSaysUsageOnce) {
  std::string out;
  EXPECT_EQ(0, Run(fmt::format("{} --help", LSM_LSMDUMP_PATH), &out));
  EXPECT_EQ(0u, out.find("Usage: lsmdump [flags] FILE...\n")) << out;
  EXPECT_EQ(std::string::npos, out.find("Usage:", 1)) << out;
}

// `--flag value` (the form common/flags.h documents) works for lsmdump too: 5 is the value of
// --max_value_bytes, not a file.
TEST_F(ExecutablesTest, LsmdumpTakesFlagValueAsSeparateWord) {
  const std::string script = Write("fill.kv", "put apple 0123456789abcdef\n");
  std::string out;
  ASSERT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), script), &out)) << out;
  std::vector<std::string> names;
  ASSERT_TRUE(FileSystem::Default()->GetChildren(dir_ / "db", &names).ok());
  std::string log;
  for (const auto& n : names) {
    if (n.ends_with(".log")) log = (dir_ / "db" / n).string();
  }
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(0, Run(fmt::format("{} --max_value_bytes 5 {}", LSM_LSMDUMP_PATH, log), &out)) << out;
  EXPECT_NE(std::string::npos, out.find("put 'apple' => '01234'...(16 bytes)")) << out;
}

// A CURRENT, log or MANIFEST that is a link to /dev/zero is refused at once (it used to be
// read until memory ran out).
TEST_F(ExecutablesTest, LsmdumpRefusesLinksToDevices) {
  ASSERT_TRUE(FileSystem::Default()->CreateDir(dir_ / "bad").ok());
  for (const std::string name : {"CURRENT", "000003.log", "MANIFEST-000002"}) {
    const auto link = dir_ / "bad" / name;
    std::filesystem::create_symlink("/dev/zero", link);
    std::string out;
    EXPECT_EQ(1, Run(Bounded(fmt::format("{} {}", LSM_LSMDUMP_PATH, link.string())), &out))
        << out;
    EXPECT_NE(std::string::npos,
              out.find(link.string() + " is not a regular file (a character device)")) << out;
  }
}

}  // namespace
}  // namespace lsm::demo

namespace lsm::demo {
namespace {

// A byte flipped in the middle of the log: kvsh and demo say that the database lost data.
TEST_F(ExecutablesTest, ToolsWarnWhenRecoveryDroppedDamagedLogData) {
  std::string script;
  for (int i = 0; i < 400; ++i) script += fmt::format("put key{:04} {}\n", i, std::string(90, 'v'));
  std::string out;
  ASSERT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), Write("load.kv", script)),
                   &out))
      << out;
  EXPECT_EQ(std::string::npos, out.find("WARNING")) << out;
  std::filesystem::path log;
  for (const auto& entry : std::filesystem::directory_iterator(Db())) {
    if (entry.path().extension() == ".log" && entry.file_size() > 10000) log = entry.path();
  }
  ASSERT_FALSE(log.empty());
  std::string data;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), log, &data).ok());
  data[data.size() / 2] ^= 0x40;
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), data, log, true).ok());

  ASSERT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), Write("get.kv", "get key0001\n")),
                   &out))
      << out;
  EXPECT_NE(std::string::npos, out.find("WARNING: " + Db() + " was recovered from damaged logs"))
      << out;
  EXPECT_NE(std::string::npos, out.find("DAMAGED at offset")) << out;
  EXPECT_NE(std::string::npos, out.find("lost/" + log.filename().string())) << out;
  // Reported once: the next open is clean.
  ASSERT_EQ(0, Run(fmt::format("{} --db {} < {}", LSM_KVSH_PATH, Db(), Write("get2.kv", "get key0001\n")),
                   &out));
  EXPECT_EQ(std::string::npos, out.find("WARNING")) << out;
}

}  // namespace
}  // namespace lsm::demo

namespace lsm::demo {
namespace {

// step5_lsm --style narrates the chosen policy; an unknown style lists the valid ones.
TEST_F(ExecutablesTest, Step5TourTakesACompactionStyle) {
  std::string out;
  EXPECT_EQ(2, Run(Bounded(fmt::format("{} --style=bogus", LSM_STEP5_PATH)), &out));
  EXPECT_NE(std::string::npos,
            out.find("unknown compaction style 'bogus' (valid: leveled, tiered, lazy-leveled)"))
      << out;
  for (const char* style : {"tiered", "lazy-leveled"}) {
    ASSERT_EQ(0, Run(Bounded(fmt::format("{} --style={} --num=20000 --db={}", LSM_STEP5_PATH,
                                         style, Db())),
                     &out))
        << out;
    EXPECT_NE(std::string::npos, out.find(fmt::format("a {} LSM tree", style))) << out;
    EXPECT_NE(std::string::npos, out.find("[compaction]")) << out;
    EXPECT_NE(std::string::npos, out.find("after reopen -> found")) << out;
  }
}


// Every executable the project builds, given a bad path, prints one clear error naming it and
// exits 1 — never "terminate called ..." and an abort (SIGABRT, status 134) from an exception.
// Each case: TMPDIR naming a missing directory, a regular file where a directory should be,
// an output in a directory that does not exist. (As root no mode bit makes a directory
// unwritable, so "unwritable" is spelled as a path under a regular file: ENOTDIR.)
class BadPathsTest : public ExecutablesTest {
 protected:
  // Runs `command` (bounded) and checks status 1, no abort, and `named` in its output.
  void ExpectReported(const std::string& command, const std::string& named) {
    std::string out;
    const int status = Run(Bounded(command), &out);
    EXPECT_EQ(1, status) << command << "\n" << out;
    EXPECT_EQ(std::string::npos, out.find("terminate called")) << command << "\n" << out;
    EXPECT_NE(std::string::npos, out.find(named)) << command << "\n" << out;
  }
  std::string File() { return Write("a-file", "not a directory\n"); }
  std::string MissingTmp() const { return (dir_ / "no-such-tmp").string(); }
  std::string Trace() {
    std::string out;
    const std::string trace = (dir_ / "t.jsonl").string();
    EXPECT_EQ(0, Run(Bounded(fmt::format("{} --quick --num=200 --trace={}", LSM_DEMO_PATH, trace)),
                     &out)) << out;
    return trace;
  }
};

TEST_F(BadPathsTest, TmpdirNamingAMissingDirectory) {
  const std::string tmp = MissingTmp();
  const std::string named = fmt::format("cannot create a temporary directory in {} (from TMPDIR)", tmp);
  // step2_wal used to abort here on std::filesystem::temp_directory_path's exception.
  ExpectReported(fmt::format("env TMPDIR={} {} --kill_after=5", tmp, LSM_STEP2_PATH), named);
  ExpectReported(fmt::format("env TMPDIR={} {} --quick --num=200", tmp, LSM_DEMO_PATH), named);
  ExpectReported(fmt::format("env TMPDIR={} {} --kill_after=5", File(), LSM_STEP2_PATH),
                 "(from TMPDIR): Not a directory");
  // What takes no temporary directory ignores TMPDIR.
  std::string out;
  EXPECT_EQ(0, Run(Bounded(fmt::format("env TMPDIR={} {}", tmp, LSM_STEP1_PATH)), &out)) << out;
#ifdef LSM_COMPACTION_MODEL_PATH
  // compaction_model read the default --dir from temp_directory_path: it aborted even on --help.
  EXPECT_EQ(0, Run(Bounded(fmt::format("env TMPDIR={} {} --help", tmp, LSM_COMPACTION_MODEL_PATH)),
                   &out)) << out;
  ExpectReported(fmt::format("env TMPDIR={} {} --style=leveled --num=1000 --compare", tmp,
                             LSM_COMPACTION_MODEL_PATH),
                 fmt::format("cannot create the temporary directory {}/compaction-model-", tmp));
#endif
#ifdef LSM_CROSS_STEP_BENCH_PATH
  // Google Benchmark's main: the scratch directory used to std::abort().
  ExpectReported(fmt::format("env TMPDIR={} LSM_BENCH_NUM=10 {} --benchmark_filter=fillseq", tmp,
                             LSM_CROSS_STEP_BENCH_PATH), named);
#endif
}

TEST_F(BadPathsTest, AFileWhereADirectoryShouldBe) {
  const std::string file = File();
  const std::string named = file + ": create directory: Not a directory";
  ExpectReported(fmt::format("{} --kill_after=5 --dir={}", LSM_STEP2_PATH, file), named);
  ExpectReported(fmt::format("{} --keys=10 --dir={}", LSM_STEP4_PATH, file), named);
  ExpectReported(fmt::format("{} --num=100 --db={}", LSM_STEP5_PATH, file), named);
  ExpectReported(fmt::format("{} --quick --num=200 --db={}", LSM_DEMO_PATH, file), named);
  ExpectReported(fmt::format("{} --db={} < /dev/null", LSM_KVSH_PATH, file), named);
  ExpectReported(fmt::format("{} --db={} --ops=10", LSM_CRASH_WRITER_PATH, file), named);
  // A directory where a file should be: readers refuse anything but a regular file.
  ExpectReported(fmt::format("{} {}", LSM_LSMVIZ_PATH, dir_.path().string()),
                 dir_.path().string() + " is not a regular file (a directory)");
}

TEST_F(BadPathsTest, OutputsInAMissingOrBadDirectory) {
  const std::string trace = Trace();
  const std::string missing = (dir_ / "missing" / "out").string();
  const std::string under_file = File() + "/out";
  ExpectReported(fmt::format("{} --quick --num=200 --trace={}.jsonl", LSM_DEMO_PATH, missing),
                 missing + ".jsonl");
  ExpectReported(fmt::format("{} {} -o {}.html", LSM_LSMVIZ_PATH, trace, missing), missing + ".html");
  ExpectReported(fmt::format("{} {} -o {}.html", LSM_LSMVIZ_PATH, trace, under_file),
                 under_file + ".html: open for write: Not a directory");
  ExpectReported(fmt::format("{} {}.log", LSM_LSMDUMP_PATH, missing), missing + ".log");
#ifdef LSM_DB_BENCH_PATH
  // The results file is checked before the runs (it used to be dropped silently, status 0).
  ExpectReported(fmt::format("{} --engine=ours --num=100 --benchmarks=fillseq --db={} "
                             "--results={}.json", LSM_DB_BENCH_PATH, Db(), under_file),
                 fmt::format("cannot append to the results file {}.json: Not a directory",
                             under_file));
  ExpectReported(fmt::format("{} --engine=ours --num=100 --benchmarks=fillseq --db={} "
                             "--trace={}.jsonl", LSM_DB_BENCH_PATH, Db(), missing),
                 missing + ".jsonl");
#endif
#ifdef LSM_COMPACTION_LAB_PATH
  ExpectReported(fmt::format("{} --quick --num=1000 --styles=ours:leveled --db={} "
                             "--results={}.json", LSM_COMPACTION_LAB_PATH, Db(), under_file),
                 fmt::format("cannot append to the results file {}.json: Not a directory",
                             under_file));
#endif
}

}  // namespace
}  // namespace lsm::demo
