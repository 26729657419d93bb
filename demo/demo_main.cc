// demo: a narrated tour of the complete engine (step 5) — bulk load with live flushes and
// compactions, the level map, point reads, a scan, a snapshot, deletes, then a real crash
// (a writer child SIGKILLed mid-stream) and a recovery check, and a summary.
//
//   demo                 200,000 keys in a temp directory (removed at the end)
//   demo --quick         20,000 keys (the smoke test)
//   demo --db /tmp/mydb  keep the database; look at it afterwards with kvsh and lsmdump
//   demo --trace t.jsonl the engine's events as JSON Lines (demo/trace_writer.h); then
//                        lsmviz t.jsonl -o tree.html draws the tree
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/flags.h"
#include "common/main_guard.h"
#include "common/random.h"
#include "demo/crash_round.h"
#include "demo/narrator.h"
#include "demo/recovery_warning.h"
#include "demo/trace_writer.h"
#include "step5_lsm/db.h"

namespace lsm::demo {
namespace {

struct Config {
  int64_t num = 200000;
  int64_t value_size = 100;
  int64_t write_buffer_size = 1 << 20;
  int64_t reads = 20000;
  int64_t crash_acks = 300;
  std::string db;
  std::string trace;
  CompactionStyle style = CompactionStyle::kLeveled;
  bool quick = false;
};

std::string Key(uint64_t i) { return fmt::format("user{:08}", i); }

std::string ValueFor(Random* rnd, uint64_t i, size_t size) {
  std::string v = fmt::format("v{}:", i);
  while (v.size() < size) v += static_cast<char>('a' + rnd->Uniform(26));
  v.resize(size);
  return v;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Heading(int n, std::string_view title) { fmt::print("\n== {}. {} ==\n", n, title); std::fflush(stdout); }

// "'user00000042' = 'v42:qwe'...(100 bytes)"
std::string Shown(std::string_view value) {
  if (value.size() <= 32) return fmt::format("'{}'", value);
  return fmt::format("'{}'...({} bytes)", value.substr(0, 24), value.size());
}

class Tour {
 public:
  Tour(const Config& cfg, std::filesystem::path dir)
      : cfg_(cfg), dir_(std::move(dir)), narrator_(::isatty(STDOUT_FILENO) != 0),
        trace_(std::string(CompactionStyleName(cfg.style)), &narrator_),
        rnd_(301) {
    options_.create_if_missing = true;
    options_.write_buffer_size = static_cast<size_t>(cfg.write_buffer_size);
    options_.compaction_style = cfg.style;
    options_.listener = cfg.trace.empty() ? static_cast<EventListener*>(&narrator_) : &trace_;
  }

  int Run() {
    fmt::print("lsm-tutorial demo: the complete step-5 engine, narrated\n");
    fmt::print("database {}  ({} keys of 12 bytes, {}-byte values, {} memtable, {}-bit bloom "
               "filters, {} block cache)\n",
               dir_.string(), cfg_.num, cfg_.value_size, HumanBytes(options_.write_buffer_size),
               options_.bloom_bits_per_key, HumanBytes(options_.block_cache_bytes));
    Status s;
    if (!cfg_.trace.empty()) {
      if (s = trace_.Start(cfg_.trace); !s.ok()) return Die(s);
    }
    s = DB::Open(options_, dir_, &db_);
    if (!s.ok()) return Die(s);
    WarnIfRecoveryLostData();
    if (s = Load(); !s.ok()) return Die(s);
    LevelMap();
    if (s = PointReads(); !s.ok()) return Die(s);
    if (s = RangeScan(); !s.ok()) return Die(s);
    if (s = SnapshotRead(); !s.ok()) return Die(s);
    if (s = Deletes(); !s.ok()) return Die(s);
    if (s = Crash(); !s.ok()) return Die(s);
    Summary();
    db_.reset();
    if (!cfg_.trace.empty()) {
      if (s = trace_.Stop(); !s.ok()) return Die(s);
      fmt::print("\ntrace: {} events in {}; draw it with  lsmviz {} -o tree.html\n",
                 trace_.events(), cfg_.trace, cfg_.trace);
    }
    return 0;
  }

 private:
  void WarnIfRecoveryLostData() {
    if (std::string warning = RecoveryWarning(*db_, dir_); !warning.empty()) {
      fmt::print("{}", warning);
    }
  }

  int Die(const Status& s) {
    narrator_.EndProgress();
    fmt::print(stderr, "demo: {}\n", s.ToString());
    return 1;
  }

  Status Load() {
    Heading(1, fmt::format("Load {} keys in random order", cfg_.num));
    fmt::print("Each put goes to the log and the memtable; every {} the memtable is frozen and "
               "flushed to a level-0 table,\nand compactions merge tables down the levels. "
               "Lines starting with ~ are the engine's background thread, live:\n",
               HumanBytes(options_.write_buffer_size));
    std::vector<uint64_t> order(cfg_.num);
    std::iota(order.begin(), order.end(), 0);
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rnd_.Uniform(i)]);
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < order.size(); ++i) {
      Status s = db_->Put(WriteOptions{}, Key(order[i]), ValueFor(&rnd_, order[i], cfg_.value_size));
      if (!s.ok()) return s;
      if (i % 1000 == 0) narrator_.Progress(i, order.size());
    }
    narrator_.Progress(order.size(), order.size());
    narrator_.EndProgress();
    load_seconds_ = Seconds(start);
    fmt::print("loaded {} keys in {:.2f} s: {:.0f} puts/s ({} flushes, {} compactions so far)\n",
               cfg_.num, load_seconds_, cfg_.num / load_seconds_, narrator_.flushes(),
               narrator_.compactions());
    return Status::OK();
  }

  void LevelMap() {
    Heading(2, "The level map (GetProperty \"lsm.levels\")");
    std::string map;
    (void)db_->GetProperty("lsm.levels", &map);
    fmt::print("{}", map);
    fmt::print("L0 tables may overlap (one per flush); from L1 down, each level is one sorted run "
               "of disjoint files,\nten times the size of the level above.\n");
  }

  Status PointReads() {
    Heading(3, "Point reads");
    std::string value;
    for (uint64_t i : {uint64_t{0}, uint64_t(cfg_.num / 3), uint64_t(cfg_.num - 1)}) {
      Status s = db_->Get(ReadOptions{}, Key(i), &value);
      if (!s.ok()) return s;
      fmt::print("  get {} -> {}\n", Key(i), Shown(value));
    }
    Status s = db_->Get(ReadOptions{}, "user-absent", &value);
    fmt::print("  get user-absent -> {}  (bloom filters skip most tables without reading a block)\n",
               s.IsNotFound() ? "NotFound" : s.ToString());
    const auto start = std::chrono::steady_clock::now();
    uint64_t found = 0;
    for (int64_t i = 0; i < cfg_.reads; ++i) {
      if (db_->Get(ReadOptions{}, Key(rnd_.Uniform(cfg_.num)), &value).ok()) ++found;
    }
    read_seconds_ = Seconds(start);
    fmt::print("  {} random gets in {:.2f} s: {:.0f} gets/s, {} found\n", cfg_.reads,
               read_seconds_, cfg_.reads / read_seconds_, found);
    if (found != static_cast<uint64_t>(cfg_.reads)) {
      return Status::Corruption("{} of {} loaded keys were not found", cfg_.reads - found, cfg_.reads);
    }
    return Status::OK();
  }

  Status RangeScan() {
    Heading(4, "A range scan");
    const std::string from = Key(cfg_.num / 2);
    fmt::print("  scan from {}, 5 keys (one merging iterator over the memtables and every "
               "level):\n", from);
    auto it = db_->NewIterator(ReadOptions{});
    int n = 0;
    for (it->Seek(from); it->Valid() && n < 5; it->Next(), ++n) {
      fmt::print("    {} = {}\n", it->key(), Shown(it->value()));
    }
    return it->status();
  }

  Status SnapshotRead() {
    Heading(5, "A snapshot read");
    const std::string key = Key(42);
    const Snapshot* snapshot = db_->GetSnapshot();
    fmt::print("  took a snapshot at sequence {}\n", snapshot->sequence());
    Status s = db_->Put(WriteOptions{}, key, "CHANGED after the snapshot");
    std::string now, then;
    if (s.ok()) s = db_->Get(ReadOptions{}, key, &now);
    if (s.ok()) s = db_->Get(ReadOptions{.snapshot = snapshot}, key, &then);
    db_->ReleaseSnapshot(snapshot);
    if (!s.ok()) return s;
    fmt::print("  put {} = 'CHANGED after the snapshot'\n", key);
    fmt::print("  get {} (latest)   -> {}\n", key, Shown(now));
    fmt::print("  get {} (snapshot) -> {}  (the old version is kept while the snapshot lives)\n",
               key, Shown(then));
    return Status::OK();
  }

  Status Deletes() {
    Heading(6, "Deletes");
    const uint64_t first = cfg_.num / 4;
    // At least two, so the key read back below (first + 1) is one of the deleted ones.
    const uint64_t count = std::max<uint64_t>(2, cfg_.num / 200);
    for (uint64_t i = first; i < first + count; ++i) {
      if (Status s = db_->Delete(WriteOptions{}, Key(i)); !s.ok()) return s;
    }
    fmt::print("  deleted {} .. {} ({} keys): each delete writes a tombstone; compaction drops the "
               "old values later\n", Key(first), Key(first + count - 1), count);
    std::string value;
    Status s = db_->Get(ReadOptions{}, Key(first + 1), &value);
    fmt::print("  get {} -> {}\n", Key(first + 1), s.IsNotFound() ? "NotFound" : s.ToString());
    if (!s.IsNotFound()) return Status::Corruption("a deleted key is still visible");
    auto it = db_->NewIterator(ReadOptions{});
    fmt::print("  scan from {}:", Key(first - 2));
    int n = 0;
    for (it->Seek(Key(first - 2)); it->Valid() && n < 4; it->Next(), ++n) fmt::print(" {}", it->key());
    fmt::print("   (the gap is the deleted range)\n");
    // The engine's counters restart with each open: keep the tour's before the crash.
    (void)db_->GetProperty("lsm.write-amplification", &write_amp_);
    (void)db_->GetProperty("lsm.stats", &stats_);
    return it->status();
  }

  Status Crash() {
    Heading(7, "A real crash");
    fmt::print("  closing the database; a child process reopens it and writes with sync = true, "
               "telling us through a pipe\n  which writes were acknowledged. We SIGKILL it "
               "mid-stream, reopen, and check that nothing acknowledged was lost.\n");
    std::fflush(stdout);
    db_.reset();
    narrator_.set_live(false);  // the child's flushes are its own; keep the story short
    CrashPlan plan;
    plan.kill_after_acks = static_cast<uint64_t>(cfg_.crash_acks);
    plan.value_size = static_cast<size_t>(cfg_.value_size);
    CrashResult result;
    Options child_options = options_;
    child_options.listener = nullptr;
    Status s = RunCrashRound(child_options, dir_, plan, &result);
    if (!s.ok()) return s;
    if (result.signal == 0) {
      return Status::IOError("the writer child exited with code {} before it could be killed",
                             result.exit_code);
    }
    fmt::print("  child killed by signal {} after {:.2f} s; {} synced writes were acknowledged\n",
               result.signal, result.seconds, result.acked);
    const auto start = std::chrono::steady_clock::now();
    if (s = DB::Open(options_, dir_, &db_); !s.ok()) return s;
    WarnIfRecoveryLostData();
    narrator_.set_live(true);
    fmt::print("  reopened in {:.0f} ms (the log was replayed into a level-0 table)\n",
               Seconds(start) * 1000);
    CrashCheck check;
    s = VerifyCrashRound(db_.get(), plan, result, &check);
    if (!s.ok()) {
      fmt::print("  DATA LOST: {}\n", s.ToString());
      return s;
    }
    fmt::print("  {} of {} acknowledged writes are present with the right values; the write in "
               "flight at the kill is {}.\n", check.acked_present, result.acked,
               check.in_flight_present ? "present too (it reached the log)" : "absent (allowed)");
    fmt::print("  nothing acknowledged was lost\n");
    std::string value;
    s = db_->Get(ReadOptions{}, Key(cfg_.num - 1), &value);
    if (!s.ok()) return s.WithContext("the loaded data after the crash");
    return Status::OK();
  }

  void Summary() {
    Heading(8, "Summary");
    std::string mem;
    (void)db_->GetProperty("lsm.approximate-memory-usage", &mem);
    fmt::print("  load:        {:>10.0f} puts/s ({} keys, unsynced)\n", cfg_.num / load_seconds_, cfg_.num);
    fmt::print("  point reads: {:>10.0f} gets/s\n", cfg_.reads / read_seconds_);
    fmt::print("  write amplification: {} (table bytes / user key+value bytes, load to deletes)\n",
               write_amp_.empty() ? "n/a" : write_amp_);
    fmt::print("  background work: {} flushes, {} compactions ({} trivial moves) during the "
               "load and reads\n", narrator_.flushes(), narrator_.compactions(),
               narrator_.trivial_moves());
    std::string files;
    for (int level = 0; level < 7; ++level) {
      std::string n;
      if (db_->GetProperty(fmt::format("lsm.num-files-at-level{}", level), &n) && n != "0") {
        files += fmt::format(" L{}:{}", level, n);
      }
    }
    fmt::print("  files per level now:{}\n", files.empty() ? " (none)" : files);
    fmt::print("  memory (memtables + block cache): {}\n",
               HumanBytes(mem.empty() ? 0 : std::stoull(mem)));
    std::string cache;
    if (db_->GetProperty("lsm.block-cache", &cache)) {
      fmt::print("  block cache: {} (tables are memory-mapped: their data blocks are read in "
                 "place and bypass the cache)\n", cache);
    }
    fmt::print("\nThe engine's own statistics (\"lsm.stats\"), taken before the crash:\n{}", stats_);
  }

  const Config cfg_;
  const std::filesystem::path dir_;
  Options options_;
  Narrator narrator_;
  TraceWriter trace_;  // the listener when --trace is given (it forwards to narrator_)
  Random rnd_;
  std::unique_ptr<DB> db_;
  double load_seconds_ = 0, read_seconds_ = 0;
  std::string write_amp_, stats_;  // taken before the crash (counters restart on open)
};

}  // namespace
}  // namespace lsm::demo

static int Main(int argc, char** argv) {
  using lsm::demo::Config;
  Config cfg;
  lsm::Flags flags("demo", "A narrated tour of the complete lsm-tutorial engine (step 5), ending "
                           "in a real crash and recovery.");
  // Ranges keep every run finite: the load shuffles a vector of --num numbers and writes
  // --num values of --value_size bytes.
  flags.Int("num", &cfg.num, 8, 10000000, "keys to load");
  flags.Int("value_size", &cfg.value_size, 8, 100000, "bytes per value");
  flags.Int("write_buffer_size", &cfg.write_buffer_size, 4096,
            static_cast<int64_t>(lsm::OptionLimits::kMaxWriteBufferSize),
            "memtable bytes before a flush");
  flags.Int("reads", &cfg.reads, 1, 10000000, "random point reads to time");
  flags.Int("crash_acks", &cfg.crash_acks, 1, 100000,
            "acknowledged synced writes before the SIGKILL");
  flags.String("db", &cfg.db, "database directory to use and keep (empty: a temp dir, removed at the end)");
  flags.String("trace", &cfg.trace, "write the engine's events to this JSON Lines file (for lsmviz)");
  flags.Bool("quick", &cfg.quick, "a small run (20,000 keys) for smoke tests");
  lsm::AddCompactionStyleFlag(&flags, &cfg.style);
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (cfg.quick) {
    cfg.num = std::min<int64_t>(cfg.num, 20000);
    cfg.reads = std::min<int64_t>(cfg.reads, 2000);
    cfg.crash_acks = std::min<int64_t>(cfg.crash_acks, 50);
    cfg.write_buffer_size = std::min<int64_t>(cfg.write_buffer_size, 256 << 10);
  }
  std::filesystem::path dir = cfg.db;
  const bool temporary = cfg.db.empty();
  if (temporary) {
    if (lsm::Status s = lsm::MakeTempDir("lsm-demo-", &dir); !s.ok()) {
      fmt::print(stderr, "demo: {}\n", s);
      return 1;
    }
  }
  int code = lsm::demo::Tour(cfg, dir).Run();
  if (temporary) {
    if (lsm::Status s = lsm::DestroyDB(dir, lsm::Options{}); !s.ok()) {
      fmt::print(stderr, "demo: cleaning up {}: {}\n", dir.string(), s.ToString());
    }
    (void)lsm::FileSystem::Default()->RemoveDir(dir);
  } else if (code == 0) {
    fmt::print("\nThe database stays in {}: try  kvsh --db {}  or  lsmdump {}/MANIFEST-*\n",
               dir.string(), dir.string(), dir.string());
  }
  return code;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
