// Crash loop: start crash_writer (a separate process writing with sync = true and reporting
// each acknowledged operation through a pipe), SIGKILL it after a random delay — during
// Open's recovery, a write, a flush or a compaction, whichever is running — then reopen the
// DB here and verify it:
//   - every acknowledged operation is there: each key holds the value of the last
//     acknowledged operation that wrote it (or is absent if that was a delete);
//   - the one operation in flight at the kill (never acknowledged) is all there or not at
//     all — never some of its keys (a batch is atomic); if there, it counts as done;
//   - a full scan equals that model exactly: no key or value from nowhere.
// Repeat on the same directory for CRASH_CYCLES cycles (default 20; scripts/crash_loop.sh
// runs hundreds). CRASH_SEED (default 1) picks the kill delays; it is printed on failure.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step5_lsm/db.h"
#include "tests/crash/crash_workload.h"
#include "tests/support/compaction_styles.h"
#include "tests/support/temp_dir.h"

namespace lsm::crash {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

// What the parent knows: key -> value of the last acknowledged op (nullopt: deleted/absent).
using Model = std::map<std::string, std::optional<std::string>>;

void Apply(const Op& op, Model* model) {
  for (const auto& [key, value] : op) (*model)[key] = value;
}

// Starts crash_writer at operation `start`; returns its pid and the read end of the ack pipe.
pid_t StartWriter(const std::filesystem::path& dir, uint64_t start, CompactionStyle style,
                  int* ack_read_fd) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The write end becomes fd 3 (dup2 first: the read end may itself be fd 3).
    ::dup2(fds[1], 3);
    if (fds[0] != 3) ::close(fds[0]);
    if (fds[1] != 3) ::close(fds[1]);
    const std::string db = "--db=" + dir.string();
    const std::string from = "--start=" + std::to_string(start);
    const std::string style_flag = fmt::format("--style={}", CompactionStyleName(style));
    ::execl(CRASH_WRITER_PATH, "crash_writer", db.c_str(), from.c_str(), "--ack_fd=3",
            style_flag.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  *ack_read_fd = fds[0];
  return pid;
}

// Reads every whole 8-byte ack left in the pipe (until the writer's end is closed).
void DrainAcks(int fd, uint64_t* next, Model* model, uint64_t* acked) {
  char buf[4096];
  std::string pending;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) {
    pending.append(buf, static_cast<size_t>(n));
    while (pending.size() >= sizeof(uint64_t)) {
      uint64_t i;
      std::memcpy(&i, pending.data(), sizeof(i));
      pending.erase(0, sizeof(i));
      EXPECT_EQ(*next, i) << "acks out of order";
      Apply(OpAt(i), model);
      *next = i + 1;
      ++*acked;
    }
  }
  EXPECT_TRUE(pending.empty()) << "a torn ack";  // writes of <= PIPE_BUF bytes are atomic
}

struct LoopStats {
  uint64_t cycles = 0, acked = 0, landed_unacked = 0, killed_before_first_ack = 0;
};

// Reopens dir and checks it against the model; adopts the in-flight op `*next` if it landed.
void VerifyCycle(const std::filesystem::path& dir, CompactionStyle style, uint64_t* next,
                 Model* model, LoopStats* stats) {
  std::unique_ptr<DB> db;
  Status s = DB::Open(CrashOptions(style), dir, &db);
  ASSERT_TRUE(s.ok()) << "reopen: " << s.ToString();
  auto get = [&](const std::string& key) -> std::optional<std::string> {
    std::string value;
    Status g = db->Get(key, &value);
    EXPECT_TRUE(g.ok() || g.IsNotFound()) << key << ": " << g.ToString();
    return g.ok() ? std::optional<std::string>(value) : std::nullopt;
  };
  // The op in flight at the kill: all of its keys or none.
  const Op in_flight = OpAt(*next);
  int landed = 0, not_landed = 0;
  for (const auto& [key, value] : in_flight) {
    const auto got = get(key);
    const auto before = model->count(key) ? model->at(key) : std::nullopt;
    if (got == value && got != before) ++landed;
    if (got == before && got != value) ++not_landed;
  }
  ASSERT_FALSE(landed > 0 && not_landed > 0)
      << "operation " << *next << " is half there: " << landed << " keys landed, "
      << not_landed << " did not";
  if (landed > 0) {
    Apply(in_flight, model);
    ++*next;
    ++stats->landed_unacked;
  }
  // Everything else: exactly the model, by Get and by a full scan.
  Model expected;
  for (const auto& [key, value] : *model) {
    if (value) expected[key] = value;
    ASSERT_EQ(value, get(key)) << "acknowledged state of " << key << " lost (next op "
                               << *next << ")";
  }
  Model scanned;
  auto it = db->NewIterator(ReadOptions{});
  for (it->SeekToFirst(); it->Valid(); it->Next()) scanned[std::string(it->key())] = std::string(it->value());
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  ASSERT_EQ(expected.size(), scanned.size());
  ASSERT_TRUE(expected == scanned) << "the scan differs from the acknowledged writes";
}

// Every compaction style: flushes and compactions are where a kill can hurt.
class CrashLoop : public ::testing::TestWithParam<CompactionStyle> {};

TEST_P(CrashLoop, AcknowledgedWritesSurviveSigkill) {
  const CompactionStyle style = GetParam();
  const uint64_t cycles = EnvOr("CRASH_CYCLES", 20);
  const uint64_t seed = EnvOr("CRASH_SEED", 1);
  const uint64_t max_delay_ms = EnvOr("CRASH_MAX_DELAY_MS", 400);
  SCOPED_TRACE(fmt::format("CRASH_SEED={} CRASH_CYCLES={} style={}", seed, cycles,
                           CompactionStyleName(style)));
  testutil::TempDir dir;
  Random rnd(seed);
  Model model;
  uint64_t next = 1;
  LoopStats stats;
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE(fmt::format("cycle {}", cycle));
    int ack_fd = -1;
    const pid_t pid = StartWriter(dir.path(), next, style, &ack_fd);
    ASSERT_GT(pid, 0);
    // Kill after a random delay: skewed so that some kills land inside Open's recovery.
    const uint64_t delay_ms = rnd.OneIn(5) ? rnd.Uniform(20) : 20 + rnd.Uniform(max_delay_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    const uint64_t acked_before = stats.acked;
    DrainAcks(ack_fd, &next, &model, &stats.acked);
    ::close(ack_fd);
    ASSERT_TRUE(WIFSIGNALED(wstatus))
        << "crash_writer exited by itself with " << WEXITSTATUS(wstatus);
    if (stats.acked == acked_before) ++stats.killed_before_first_ack;
    VerifyCycle(dir.path(), style, &next, &model, &stats);
    if (::testing::Test::HasFatalFailure()) return;
    ++stats.cycles;
  }
  fmt::print("crash loop ({}, seed {}): {} SIGKILL cycles, {} acknowledged operations, 0 lost; "
             "{} in-flight operations landed whole, {} kills before the first ack\n",
             CompactionStyleName(style), seed, stats.cycles, stats.acked, stats.landed_unacked,
             stats.killed_before_first_ack);
}

INSTANTIATE_TEST_SUITE_P(Styles, CrashLoop,
                         ::testing::ValuesIn(testutil::kAllStyles), testutil::StyleParamName);

}  // namespace
}  // namespace lsm::crash
