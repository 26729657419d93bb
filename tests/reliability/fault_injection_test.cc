// Fault injection: a 1,000-write workload (every write sync = true) runs through a
// FaultInjectionFileSystem that makes the Nth write / sync / rename / open-for-write fail —
// and every later one of that kind, like a dying disk. Then the power is cut
// (DropUnsyncedData truncates each file to its last synced size) and the DB is reopened with
// the plain file system. For every N we expect:
//   - the fault fires exactly when operation N is reached (FaultInjectionFileSystem counts
//     what it injected), and nothing fails when it is not;
//   - the failure surfaces as a Status, never a crash: always, if it fired before the last
//     write began (only a fault in the last write's background tail or the final close may
//     go unseen); and no error without an injected fault;
//   - the DB opens;
//   - every write acknowledged with OK is there with its value (deletes stay deleted);
//   - the one write that failed is either fully there or not at all.
// The buffers are tiny (8 KiB memtable, 512-byte blocks), so the workload flushes dozens of
// memtables, compacts level 0 repeatedly and writes the MANIFEST after each: the failure
// points cover the log, table files, the MANIFEST and CURRENT, in the foreground and the
// background thread.
//
// Cost: run N replays the workload up to the failure, so a full sweep is quadratic. The
// default sweeps every failure point of rename and open, and a stride of the write and sync
// points (printed); LSM_FAULT_STRIDE=1 tries every point of every kind (a few minutes). Each
// sweep then checks its totals: faults armed, fired (about one per point within the clean
// run's count) and surfaced (all but at most a tenth of those fired; in practice all).
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step5_lsm/db.h"
#include "tests/reliability/no_sync_fs.h"
#include "tests/support/fault_injection_fs.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

using testutil::FaultInjectionFileSystem;
using Op = FaultInjectionFileSystem::Op;

constexpr int kWrites = 1000;
constexpr int kKeys = 250;

// Write i: a put (or, every 50th, a delete) of one of kKeys keys; values carry i.
std::string KeyOf(int i) { return fmt::format("key{:04d}", (i * 37) % kKeys); }
bool IsDelete(int i) { return i % 50 == 49; }
std::string ValueOf(int i) {
  return fmt::format("{:06d}-", i) + std::string(40 + i % 90, static_cast<char>('a' + i % 26));
}

Options TinyOptions(FileSystem* fs) {
  return Options{.create_if_missing = true,
                 .fs = fs,
                 .write_buffer_size = 8 * 1024,
                 .max_open_files = 30,
                 .block_cache_bytes = 64 * 1024,
                 .block_size = 512};
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kWrite: return "write";
    case Op::kSync: return "sync";
    case Op::kRename: return "rename";
    case Op::kOpenWrite: return "open";
    case Op::kClose: return "close";
    case Op::kRemove: return "remove";
  }
  return "?";
}

struct RunResult {
  int acked = 0;       // writes 0 .. acked-1 returned OK
  bool opened = false;  // DB::Open returned OK
  Status first_error;   // the first non-OK Status the workload saw
  // Faults of the swept kind injected before the last write the workload issued began (or
  // before Open returned, if it failed), and by the time the workload stopped (DB still open).
  int injected_before_last_write = 0;
  int injected_by_end = 0;
};

// Opens the DB through fs and applies the workload until a write fails. The DB is closed
// (destroyed) before returning, still through fs. `op`: the kind whose injections to record.
RunResult RunWorkload(FaultInjectionFileSystem* fs, Op op, const std::filesystem::path& dir) {
  RunResult r;
  std::unique_ptr<DB> db;
  Status s = DB::Open(TinyOptions(fs), dir, &db);
  if (!s.ok()) {
    r.first_error = s;
    r.injected_by_end = fs->Injected(op);
    return r;
  }
  r.opened = true;
  for (int i = 0; i < kWrites; ++i) {
    r.injected_before_last_write = fs->Injected(op);
    const WriteOptions sync{.sync = true};
    s = IsDelete(i) ? db->Delete(sync, KeyOf(i)) : db->Put(sync, KeyOf(i), ValueOf(i));
    if (!s.ok()) {
      r.first_error = s;
      break;
    }
    r.acked = i + 1;
  }
  r.injected_by_end = fs->Injected(op);
  return r;
}

// The state of each key after writes [0, n): a value, or nullopt for deleted / never written.
std::map<std::string, std::optional<std::string>> ModelAfter(int n) {
  std::map<std::string, std::optional<std::string>> model;
  for (int i = 0; i < n; ++i) {
    model[KeyOf(i)] = IsDelete(i) ? std::nullopt : std::optional<std::string>(ValueOf(i));
  }
  return model;
}

// Reopens dir with the plain file system and checks it against the acknowledged writes.
// Returns "" when everything acknowledged is there, else what is wrong.
std::string Verify(FileSystem* fs, const std::filesystem::path& dir, const RunResult& run) {
  std::unique_ptr<DB> db;
  Status s = DB::Open(TinyOptions(fs), dir, &db);
  if (!s.ok()) return fmt::format("reopen failed: {}", s.ToString());
  const auto acked = ModelAfter(run.acked);
  // The write that failed (if the workload stopped early) may have landed, but only whole.
  const bool maybe_landed = run.opened && run.acked < kWrites;
  const auto landed = ModelAfter(run.acked + (maybe_landed ? 1 : 0));
  for (int k = 0; k < kKeys; ++k) {
    const std::string key = fmt::format("key{:04d}", k);
    std::string value;
    s = db->Get(key, &value);
    if (!s.ok() && !s.IsNotFound()) return fmt::format("Get({}): {}", key, s.ToString());
    const std::optional<std::string> got =
        s.ok() ? std::optional<std::string>(value) : std::nullopt;
    const auto want = acked.count(key) ? acked.at(key) : std::nullopt;
    const auto alt = landed.count(key) ? landed.at(key) : std::nullopt;
    if (got != want && got != alt) {
      return fmt::format("{}: got {}, acknowledged {}", key, got ? got->substr(0, 6) : "NOT_FOUND",
                         want ? want->substr(0, 6) : "NOT_FOUND");
    }
  }
  // The iterator must agree: no key outside the workload, no value but an allowed one.
  auto it = db->NewIterator(ReadOptions{});
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key(it->key());
    const std::optional<std::string> got{std::string(it->value())};
    const auto want = acked.count(key) ? acked.at(key) : std::nullopt;
    const auto alt = landed.count(key) ? landed.at(key) : std::nullopt;
    if (got != want && got != alt) return fmt::format("iterator: unexpected entry {}", key);
  }
  if (!it->status().ok()) return fmt::format("iterator: {}", it->status().ToString());
  return "";
}

// How many cases to skip between tried failure points (1 = every point).
int StrideFor(Op op, int points) {
  if (const char* env = std::getenv("LSM_FAULT_STRIDE"); env != nullptr && std::atoi(env) > 0) {
    return std::atoi(env);
  }
  // Bounded for CI: about 100 write and 100 sync points spread over the whole workload.
  if (op == Op::kWrite || op == Op::kSync) return std::max(1, points / 100);
  return 1;
}

// Tries failure point n = 0, stride, 2*stride, ... of op over the workload.
void SweepFailurePoints(Op op) {
  testutil::NoSyncFileSystem plain;
  int points = 0;
  {
    // A clean run counts the operations of this kind (there is background work, so counts
    // vary a little between runs; the sweep goes a bit past the end to cover that).
    testutil::TempDir dir;
    FaultInjectionFileSystem fs(&plain);
    RunResult run = RunWorkload(&fs, op, dir.path());
    ASSERT_EQ(kWrites, run.acked) << run.first_error.ToString();
    ASSERT_EQ(0, fs.Injected(op));
    points = fs.Count(op);
    ASSERT_EQ("", Verify(&plain, dir.path(), run));
  }
  ASSERT_GT(points, 0);
  const int stride = StrideFor(op, points);
  // armed: cases run (each arms one failure point); armed_inside: those whose point the clean
  // run reached; fired: the point was reached and the FS injected; surfaced: the workload saw
  // the error; late: fired only once the last write was under way, so nothing later saw it.
  int armed = 0, armed_inside = 0, fired = 0, surfaced = 0, open_failed = 0, late = 0;
  int landed = 0;
  for (int n = 0; n < points + 5; n += stride) {
    SCOPED_TRACE(fmt::format("fail {} #{} of ~{}", OpName(op), n, points));
    testutil::TempDir dir;
    RunResult run;
    bool hit = false;
    int attempted = 0, injected = 0;
    {
      FaultInjectionFileSystem fs(&plain);
      fs.FailAfter(op, n);
      run = RunWorkload(&fs, op, dir.path());
      attempted = fs.Count(op);
      hit = attempted > n;
      injected = fs.Injected(op);
      ASSERT_TRUE(fs.DropUnsyncedData().ok());  // the power cut
    }
    ++armed;
    armed_inside += n < points ? 1 : 0;
    fired += injected > 0 ? 1 : 0;
    surfaced += run.first_error.ok() ? 0 : 1;
    open_failed += run.opened ? 0 : 1;
    // The injector fires exactly when the armed point is reached, and then for every later
    // operation of the kind: operations n, n+1, ... all failed.
    EXPECT_EQ(hit ? attempted - n : 0, injected);
    if (!run.first_error.ok()) {
      EXPECT_TRUE(run.first_error.IsIOError()) << run.first_error.ToString();
      // Only an injected fault fails the workload.
      EXPECT_GT(run.injected_by_end, 0) << run.first_error.ToString();
    }
    if (!hit) {
      EXPECT_EQ(kWrites, run.acked);
      EXPECT_TRUE(run.first_error.ok()) << run.first_error.ToString();
    }
    // A fault that fired while writes were still coming reaches one of them as a Status: the
    // engine never swallows it (background errors are sticky).
    if (run.injected_before_last_write > 0) {
      EXPECT_FALSE(run.first_error.ok()) << "acked " << run.acked;
    }
    if (injected > 0 && run.first_error.ok()) ++late;
    const std::string problem = Verify(&plain, dir.path(), run);
    ASSERT_EQ("", problem) << "acked " << run.acked << ", error "
                           << run.first_error.ToString();
    landed += run.acked;
  }
  // The sweep tested something: faults were armed, they fired where the clean run's count
  // says they should (give or take the run-to-run wobble of background work, ~3% of the
  // write count), and (almost) every one that fired came back as an error Status.
  EXPECT_EQ((points + 5 + stride - 1) / stride, armed);
  EXPECT_GT(armed_inside, 0);
  EXPECT_GT(fired, 0);
  EXPECT_NEAR(armed_inside, fired, std::max(2, armed_inside / 10));
  EXPECT_GT(surfaced, 0);
  EXPECT_EQ(fired, surfaced + late);
  EXPECT_LE(late, fired / 10);
  fmt::print("fault injection [{}]: ~{} points, stride {}: {} faults armed ({} within the clean "
             "run's count), {} fired, {} surfaced as Status ({} in Open), {} fired too late to "
             "surface, {} acknowledged writes checked, 0 lost\n",
             OpName(op), points, stride, armed, armed_inside, fired, surfaced, open_failed, late,
             landed);
}

TEST(FaultInjection, EveryOpenFailurePoint) { SweepFailurePoints(Op::kOpenWrite); }
TEST(FaultInjection, EveryRenameFailurePoint) { SweepFailurePoints(Op::kRename); }
TEST(FaultInjection, SyncFailurePoints) { SweepFailurePoints(Op::kSync); }
TEST(FaultInjection, WriteFailurePoints) { SweepFailurePoints(Op::kWrite); }

// The disk goes read-only (every later write and sync fails) at a random moment; then the
// power goes. Like LevelDB's fault_injection_test, with seeds printed on failure.
TEST(FaultInjection, FilesystemGoesInactiveThenPowerLoss) {
  testutil::NoSyncFileSystem plain;
  int surfaced = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    Random rnd(seed);
    const int stop_after = static_cast<int>(rnd.Uniform(kWrites));
    testutil::TempDir dir;
    RunResult run;
    {
      FaultInjectionFileSystem fs(&plain);
      std::unique_ptr<DB> db;
      ASSERT_TRUE(DB::Open(TinyOptions(&fs), dir.path(), &db).ok());
      run.opened = true;
      for (int i = 0; i < kWrites; ++i) {
        if (i == stop_after) fs.SetFilesystemActive(false);
        const WriteOptions sync{.sync = true};
        Status s = IsDelete(i) ? db->Delete(sync, KeyOf(i)) : db->Put(sync, KeyOf(i), ValueOf(i));
        if (!s.ok()) {
          run.first_error = s;
          break;
        }
        run.acked = i + 1;
      }
      EXPECT_LE(run.acked, stop_after);
      // The inactive disk did fail something (what depends on where the switch-off landed).
      EXPECT_GT(fs.Injected(Op::kWrite) + fs.Injected(Op::kSync) + fs.Injected(Op::kOpenWrite),
                0);
      surfaced += run.first_error.ok() ? 0 : 1;
      db.reset();
      ASSERT_TRUE(fs.DropUnsyncedData().ok());
    }
    ASSERT_EQ("", Verify(&plain, dir.path(), run)) << "acked " << run.acked;
  }
  EXPECT_EQ(20, surfaced);
}

}  // namespace
}  // namespace lsm
