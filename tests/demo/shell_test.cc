// Shell: kvsh's commands run as a script against a temp database, with the exact output
// (answers and errors interleaved) held as a golden text.
#include "demo/shell.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <sstream>

#include "common/comparator.h"
#include "tests/support/forwarding_fs.h"
#include "tests/support/reverse_comparator.h"
#include "tests/support/temp_dir.h"

namespace lsm::demo {
namespace {

class ShellTest : public ::testing::Test {
 protected:
  ShellTest() : shell_(dir_ / "db", {.out = Sink(), .err = Sink()}) {
    Status s = shell_.Open(Options{.create_if_missing = true});
    EXPECT_TRUE(s.ok()) << s.ToString();
    shell_.set_number_errors(true);
  }

  std::function<void(std::string_view)> Sink() {
    return [this](std::string_view s) { text_ += s; };
  }

  // Runs every line of script; returns how many failed.
  int RunScript(std::string_view script) {
    int failed = 0;
    std::istringstream in{std::string(script)};
    std::string line;
    while (!shell_.quit_requested() && std::getline(in, line)) {
      if (!shell_.Execute(line).ok()) ++failed;
    }
    return failed;
  }

  // Runs one line and returns what it printed.
  std::string Run(std::string_view line) {
    text_.clear();
    (void)shell_.Execute(line);
    return text_;
  }

  testutil::TempDir dir_;
  std::string text_;
  Shell shell_;
};

constexpr std::string_view kScript = R"(# a kvsh script: comments and blank lines are fine

put apple red
put "big apple" "\x00\x01 two words"
get apple
get "big apple"
get pear
frobnicate now
put onlykey
get "unterminated
scan
batch
put cherry dark
del apple
batch
commit
commit
scan --limit 2
scan b c
scan --limit 1
batch
put ghost 1
abort
scan --limit x
snapshot take
put cherry changed
snapshot use 1
get cherry
snapshot
snapshot latest
get cherry
snapshot release 1
snapshot release 1
history
!3
!99
help get
quit
get never-run
)";

constexpr std::string_view kExpected = R"(OK
OK
red
"\x00\x01 two words"
(not found)
line 8: error: unknown command 'frobnicate' (try 'help')
line 9: error: usage: put KEY VALUE
line 10: error: unterminated quote at column 5
apple => red
"big apple" => "\x00\x01 two words"
(2 keys)
batch open: put and del are collected until commit (or abort)
batched (1 op)
batched (2 ops)
line 15: error: a batch is already open (commit or abort it)
committed 2 ops atomically
line 17: error: no batch is open (start one with 'batch')
"big apple" => "\x00\x01 two words"
cherry => dark
(2 keys)
"big apple" => "\x00\x01 two words"
(1 key)
"big apple" => "\x00\x01 two words"
(limit 1 reached; continue with: scan cherry)
batch open: put and del are collected until commit (or abort)
batched (1 op)
dropped 1 op
line 24: error: --limit needs a positive number, not 'x'
snapshot 1 taken at sequence 4 (read from it with: snapshot use 1)
OK
get and scan now read snapshot 1 (back with: snapshot latest)
dark
snapshot 1 at sequence 4 (in use)
get and scan now read the latest state
changed
snapshot 1 released
line 33: error: no snapshot '1' (see 'snapshot')
   1  put apple red
   2  put "big apple" "\x00\x01 two words"
   3  get apple
   4  get "big apple"
   5  get pear
   6  frobnicate now
   7  put onlykey
   8  scan
   9  batch
  10  put cherry dark
  11  del apple
  12  batch
  13  commit
  14  commit
  15  scan --limit 2
  16  scan b c
  17  scan --limit 1
  18  batch
  19  put ghost 1
  20  abort
  21  scan --limit x
  22  snapshot take
  23  put cherry changed
  24  snapshot use 1
  25  get cherry
  26  snapshot
  27  snapshot latest
  28  get cherry
  29  snapshot release 1
  30  snapshot release 1
  31  history
get apple
(not found)
line 36: error: no history entry '!99' (see 'history')
  get KEY                                        print KEY's value, or (not found)
)";

TEST_F(ShellTest, GoldenScript) {
  EXPECT_EQ(8, RunScript(kScript));  // the eight "error:" lines
  EXPECT_EQ(kExpected, text_);
  EXPECT_TRUE(shell_.quit_requested());  // and "get never-run" after quit did not run
}

TEST_F(ShellTest, ErrorsNeverEndTheShell) {
  EXPECT_EQ("line 1: error: unknown command 'nope' (try 'help')\n", Run("nope"));
  EXPECT_EQ("line 2: error: usage: get KEY\n", Run("get"));
  EXPECT_EQ("line 3: error: usage: get KEY\n", Run("get a b"));
  EXPECT_EQ("line 4: error: unknown escape \\q at column 5\n", Run("get \\q"));
  EXPECT_EQ("line 5: error: unknown command '\\x01' (try 'help')\n", Run("\\x01"));
  EXPECT_EQ("OK\n", Run("put k v"));
  EXPECT_EQ("v\n", Run("get k"));
  EXPECT_FALSE(shell_.quit_requested());
}

// `trace FILE` starts the engine's event trace (it used to read a word past the arguments and
// crash), a file that cannot be written is an error naming it, `trace off` stops it.
TEST_F(ShellTest, TraceStartsAndStops) {
  const std::string trace = (dir_ / "t.jsonl").string();
  EXPECT_EQ(fmt::format("tracing to {} (draw it with: lsmviz {} -o tree.html)\n", trace, trace),
            Run("trace " + trace));
  EXPECT_EQ("OK\n", Run("put k v"));
  EXPECT_EQ("flushed\n", Run("flush"));
  EXPECT_EQ("trace stopped\n", Run("trace off"));
  EXPECT_EQ("no trace running\n", Run("trace off"));
  std::string text;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), trace, &text).ok());
  EXPECT_NE(std::string::npos, text.find("\"type\":\"snapshot\"")) << text;
  EXPECT_NE(std::string::npos, text.find("\"type\":\"flush\"")) << text;
  const std::string bad = (dir_ / "missing" / "t.jsonl").string();
  EXPECT_EQ(fmt::format("line 6: error: {}: No such file or directory\n", bad),
            Run("trace " + bad));
}

TEST_F(ShellTest, BinaryKeysAndValuesRoundTrip) {
  EXPECT_EQ("OK\n", Run("put \\x00\\xff \"\\n\\t\\\"\""));
  EXPECT_EQ("\"\\x0a\\x09\\\"\"\n", Run("get \\x00\\xff"));
  EXPECT_EQ("\"\\x00\\xff\" => \"\\x0a\\x09\\\"\"\n(1 key)\n", Run("scan"));
}

TEST_F(ShellTest, PromptShowsBatchAndSnapshot) {
  EXPECT_EQ("kvsh> ", shell_.Prompt());
  (void)Run("batch");
  (void)Run("put a 1");
  EXPECT_EQ("kvsh [batch: 1 op]> ", shell_.Prompt());
  (void)Run("commit");
  (void)Run("snapshot take");
  (void)Run("snapshot use 1");
  EXPECT_EQ("kvsh [snapshot 1]> ", shell_.Prompt());
}

TEST_F(ShellTest, MachineryCommandsAnswer) {
  for (int i = 0; i < 50; ++i) (void)Run(fmt::format("put key{:03} value{}", i, i));
  EXPECT_EQ("flushed\n", Run("flush"));
  EXPECT_NE(std::string::npos, Run("levels").find("L")) << text_;
  EXPECT_NE(std::string::npos, Run("stats").find("write amplification")) << text_;
  EXPECT_NE(std::string::npos, text_.find("counters are this process's, since this open")) << text_;
  EXPECT_EQ("compacted\n", Run("compact"));
  EXPECT_EQ("compacted\n", Run("compact key010 key020"));
  EXPECT_NE(std::string::npos, Run("files").find("CURRENT")) << text_;
  EXPECT_NE(std::string::npos, Run("dump CURRENT").find("CURRENT: names 'MANIFEST-")) << text_;
  const std::string manifest = Run("dump CURRENT").substr(16, 15);
  EXPECT_NE(std::string::npos, Run("dump " + manifest).find("comparator")) << text_;
  const std::string error = Run("dump nowhere.txt");
  EXPECT_NE(std::string::npos, error.find("error: ")) << error;
  EXPECT_NE(std::string::npos, error.find("nowhere.txt: cannot tell the kind of file")) << error;
}

// Counts WritableFile::Sync calls made through it.
class SyncCountingFileSystem final : public testutil::ForwardingFileSystem {
 public:
  using ForwardingFileSystem::ForwardingFileSystem;
  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override {
    Status s = base()->NewWritableFile(path, result);
    if (s.ok()) *result = std::make_unique<File>(std::move(*result), &syncs_);
    return s;
  }
  int syncs() const { return syncs_.load(); }

 private:
  class File final : public testutil::ForwardingWritableFile {
   public:
    File(std::unique_ptr<WritableFile> base, std::atomic<int>* syncs)
        : ForwardingWritableFile(std::move(base)), syncs_(syncs) {}
    Status Sync() override {
      ++*syncs_;
      return base()->Sync();
    }

   private:
    std::atomic<int>* const syncs_;
  };
  std::atomic<int> syncs_{0};
};

// kvsh --sync is Options::sync: every write the shell makes (put, del, commit) follows it.
TEST(ShellOptionsTest, WritesFollowTheDatabaseSyncOption) {
  for (const bool sync : {false, true}) {
    testutil::TempDir dir;
    SyncCountingFileSystem fs(FileSystem::Default());
    std::string text;
    auto sink = [&](std::string_view s) { text += s; };
    Shell shell(dir / "db", {.out = sink, .err = sink});
    ASSERT_TRUE(shell.Open(Options{.create_if_missing = true, .fs = &fs, .sync = sync}).ok());
    for (std::string_view line : {"put a 1", "del a", "batch", "put b 2", "commit"}) {
      const int before = fs.syncs();
      ASSERT_TRUE(shell.Execute(line).ok()) << line << ": " << text;
      const bool writes = line != "batch" && line != "put b 2";  // these only fill the batch
      EXPECT_EQ(sync && writes ? before + 1 : before, fs.syncs()) << "sync=" << sync << ": " << line;
    }
  }
}

using testutil::ReverseComparator;

// scan FROM TO stops at TO in the database's order, not in byte order.
TEST(ShellOptionsTest, ScanBoundUsesTheDatabaseComparator) {
  testutil::TempDir dir;
  const ReverseComparator reverse;
  std::string text;
  auto sink = [&](std::string_view s) { text += s; };
  Shell shell(dir / "db", {.out = sink, .err = sink});
  ASSERT_TRUE(shell.Open(Options{.comparator = &reverse, .create_if_missing = true}).ok());
  for (std::string_view line : {"put a 1", "put b 2", "put c 3", "put d 4"}) {
    ASSERT_TRUE(shell.Execute(line).ok());
  }
  text.clear();
  ASSERT_TRUE(shell.Execute("scan c a").ok());
  EXPECT_EQ("c => 3\nb => 2\n(2 keys)\n", text);
  text.clear();
  ASSERT_TRUE(shell.Execute("scan d b --limit 1").ok());
  EXPECT_EQ("d => 4\n(limit 1 reached; continue with: scan c b)\n", text);
}

// compact FROM TO with FROM after TO names an empty range: an error, not "compacted".
TEST_F(ShellTest, CompactFromAfterToIsAnError) {
  (void)Run("put a 1");
  (void)Run("put z 2");
  EXPECT_EQ("line 3: error: compact: FROM 'z' comes after TO 'a' in the key order\n",
            Run("compact z a"));
  EXPECT_EQ("compacted\n", Run("compact a a"));
  EXPECT_EQ("compacted\n", Run("compact a z"));
  EXPECT_EQ("compacted\n", Run("compact z"));  // from z to the end
}

// ... in the database's order: backwards, "z a" is the right way round.
TEST(ShellOptionsTest, CompactBoundsUseTheDatabaseComparator) {
  testutil::TempDir dir;
  const ReverseComparator reverse;
  std::string text;
  auto sink = [&](std::string_view s) { text += s; };
  Shell shell(dir / "db", {.out = sink, .err = sink});
  ASSERT_TRUE(shell.Open(Options{.comparator = &reverse, .create_if_missing = true}).ok());
  ASSERT_TRUE(shell.Execute("put a 1").ok());
  text.clear();
  EXPECT_TRUE(shell.Execute("compact z a").ok()) << text;
  EXPECT_EQ("compacted\n", text);
  text.clear();
  EXPECT_TRUE(shell.Execute("compact a z").IsInvalidArgument());
  EXPECT_EQ("error: compact: FROM 'a' comes after TO 'z' in the key order\n", text);
}

// help says what a flush makes: not always a level-0 table (LevelDB's PickLevelForMemTableOutput
// places it as deep as level 2 when nothing there overlaps).
TEST_F(ShellTest, HelpSaysWhereAFlushLands) {
  EXPECT_NE(std::string::npos,
            Run("help flush").find("a table (level 0, or up to level 2 when nothing overlaps)"))
      << text_;
  EXPECT_NE(std::string::npos, Run("help stats").find("this process's, since this open")) << text_;
}

TEST_F(ShellTest, QuitCountsTheDroppedBatch) {
  (void)Run("batch");
  (void)Run("put a 1");
  EXPECT_EQ("(the open batch of 1 op is dropped)\n", Run("quit"));
}

TEST_F(ShellTest, SnapshotIdBeyondIntIsNoSnapshot) {
  (void)Run("snapshot take");
  // 4294967297 would wrap to 1 if cast to int.
  EXPECT_EQ("line 2: error: no snapshot '4294967297' (see 'snapshot')\n",
            Run("snapshot use 4294967297"));
}

}  // namespace
}  // namespace lsm::demo
