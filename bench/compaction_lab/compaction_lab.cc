// compaction_lab: one workload under every compaction style — ours (leveled, tiered,
// lazy-leveled) and RocksDB's (leveled, universal) — with matched settings, each style in its
// own child process (as db_bench does), measuring what each style pays: write, space and read
// amplification, throughput, put latency, write stalls, peak disk use. Prints a table; with
// --results appends one JSON line per style for bench/lab_report.py.
//
//   compaction_lab --num=1000000                       # every style, a few minutes
//   compaction_lab --quick --styles=ours:leveled,rocksdb:universal
//
// The workload, per style, on a fresh database:
//   fillrandom   every key 0..N-1 once, in a shuffled order              (puts timed one by one)
//   overwrite    N puts, skewed: 80% of them to a hot 20% of the keys     (puts timed)
//   settle       flush the memtable, wait for every queued compaction     -> write amplification
//   readrandom   point lookups of present keys (all hit)                  -> read amp, point hit
//   readmissing  lookups of absent keys inside the key range (key + ".") -> read amp, zero-result
//   scan         new iterator, seek to a present key, 10 x Next           -> read amp, short scan
//   end          live table bytes, then a full compaction, table bytes    -> space amplification
//
// How each number is measured (EngineCounters in bench/lib/engine.h says per engine):
//   WA   table bytes written (flushes + compactions, the engine's own counters) / user bytes
//        (16-byte key + value per put of the fill and the overwrite, counted here); log bytes
//        the same way, separately;
//        "all writes" = bytes this process handed to write(2) (/proc/self/io) / user bytes.
//   SA   bytes of *.ldb/*.sst files at the end / the same after CompactAll (a directory scan,
//        identical for every engine).
//   RA   per operation of each read phase: differences of the engine's counters around it.
//   stall  the engine's own stall time where it reports one; and, for every engine, the time
//        puts spent in calls slower than 1 ms.
//   peak disk  bytes of all files of the directory: read every --poll_ms by a thread from Open
//        on, and once more after the settle and after the reads; the thread stops before the
//        measuring full compaction, which is left out.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/compaction_lab/disk_usage.h"
#include "bench/compaction_lab/lab_record.h"
#include "bench/compaction_model/model.h"
#include "bench/lib/engine.h"
#include "bench/lib/histogram.h"
#include "bench/lib/process_io.h"
#include "common/clock.h"
#include "common/flags.h"
#include "common/main_guard.h"
#include "common/random.h"

namespace lsm::bench {
namespace {

constexpr int kKeySize = 16;      // MakeKey's %016d
constexpr int kScanLength = 10;   // Next() calls after each Seek
constexpr uint64_t kProgressNanos = 3'000'000'000;

struct Config {
  int64_t num = 1000000;
  int64_t reads = -1;  // -1: num
  int64_t scans = -1;  // -1: reads / 10
  int64_t value_size = 100;
  int64_t hot_ops_percent = 80;
  int64_t hot_keys_percent = 20;
  int64_t poll_ms = 100;
  std::string db = "/tmp/lsm_compaction_lab";
  std::string results;  // JSON lines; "" = a temporary file
  EngineOptions engine_options{.collect_counters = true};
  std::string trace_prefix;  // ours: PREFIX.<style>.jsonl, one lsmviz trace per style
};

std::unique_ptr<BenchEngine> MakeEngine(const std::string& name) {
  if (name == "ours") return NewOurEngine();
  if (name == "rocksdb") return NewRocksDBEngine();
  if (name == "leveldb") return NewLevelDBEngine();
  return nullptr;
}

// "engine:style" for every style every engine offers; `with_leveldb` adds LevelDB's one
// (valid, but not run by default: it reports none of its own counters).
std::vector<std::string> AllStyles(bool with_leveldb) {
  std::vector<std::string> out;
  for (const char* e : {"ours", "rocksdb", "leveldb"}) {
    if (std::string_view(e) == "leveldb" && !with_leveldb) continue;
    if (auto engine = MakeEngine(e)) {
      for (const auto& s : engine->CompactionStyles()) out.push_back(fmt::format("{}:{}", e, s));
    }
  }
  return out;
}

// The 1-minute load average (/proc/loadavg): how busy the machine was while the timings ran.
std::optional<double> LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = 0;
  if (in >> load) return load;
  return std::nullopt;
}

// "L0:3 L1:5 L4:40" -> 3 + 2: L0 files plus non-empty levels, the number of sorted runs a
// read may have to consult (mini-lsm's read amplification).
int SortedRuns(const std::string& layout) {
  int runs = 0;
  std::istringstream in(layout);
  for (std::string w; in >> w;) {
    if (w.starts_with("L0:")) runs += std::stoi(w.substr(3));
    else if (w.starts_with("L")) ++runs;
  }
  return runs;
}

// Table bytes in dir once they stop changing (a compaction's obsolete inputs may still be
// being deleted right after it finishes): two equal readings 50 ms apart, at most 2 s.
uint64_t SettledTableBytes(const std::filesystem::path& dir) {
  uint64_t last = TableBytes(dir);
  for (int i = 0; i < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const uint64_t now = TableBytes(dir);
    if (now == last) break;
    last = now;
  }
  return last;
}

std::optional<double> Delta(const EngineCounters& before, const EngineCounters& after,
                            const std::string& name) {
  auto b = before.find(name), a = after.find(name);
  if (b == before.end() || a == after.end()) return std::nullopt;
  return a->second - b->second;
}

std::optional<double> Div(std::optional<double> a, double b) {
  if (!a || b == 0) return std::nullopt;
  return *a / b;
}

// Runs the workload on one engine + style in this (child) process.
class Runner {
 public:
  Runner(const Config& cfg, std::string engine_name, std::string style)
      : cfg_(cfg),
        engine_name_(std::move(engine_name)),
        style_(std::move(style)),
        label_(engine_name_ + ":" + style_),
        engine_(MakeEngine(engine_name_)),
        dir_(fmt::format("{}-{}-{}-{}", cfg.db, getpid(), engine_name_, style_)),
        n_(cfg.num),
        un_(static_cast<uint64_t>(cfg.num)),
        reads_(cfg.reads < 0 ? cfg.num : cfg.reads),
        scans_(cfg.scans < 0 ? std::max<int64_t>(1, reads_ / 10) : cfg.scans) {}

  LabRecord Run() {
    EngineOptions options = cfg_.engine_options;
    options.compaction_style = style_;
    if (!cfg_.trace_prefix.empty() && engine_name_ == "ours") {
      options.trace_path = fmt::format("{}.{}.jsonl", cfg_.trace_prefix, style_);
    }
    engine_->Destroy(dir_.string());
    if (std::string err = engine_->Open(dir_.string(), options); !err.empty()) {
      Die(fmt::format("cannot open {}: {}", dir_.string(), err));
    }
    record_.SetText("style", label_);
    poller_.emplace(dir_, std::chrono::milliseconds(cfg_.poll_ms));
    Writes();
    Reads();
    Space();
    record_.Set("loadavg_1m", LoadAverage());
    engine_->Destroy(dir_.string());
    return record_;
  }

 private:
  // fillrandom + overwrite, then settle: write amplification, put latency, stalls.
  void Writes() {
    const EngineCounters before = engine_->Counters();
    const uint64_t wchar_before = WrittenBytes();
    // The keys come from the model's own functions for the workload LabWorkload() describes
    // to it: the fill's shuffle (ShuffledKeys) and the skewed, scattered draw of the
    // overwrites (NextKeyIndex). The model predicts from that description; it does not replay
    // these keys (its seeds differ).
    std::vector<uint32_t> order = model::ShuffledKeys(un_, 42);
    Histogram puts;
    const uint64_t writes_start = NowNanos();
    Phase("fillrandom", n_, [&](int64_t i) { TimedPut(order[static_cast<size_t>(i)], &puts); });
    order = {};
    const model::Workload workload = LabWorkload();
    Random skew(7);
    Phase("overwrite", n_, [&](int64_t) {
      TimedPut(static_cast<uint32_t>(model::NextKeyIndex(workload, &skew)), &puts);
    });
    const double write_seconds = (NowNanos() - writes_start) / 1e9;
    Progress("settle: flush + wait for compactions");
    const uint64_t settle_start = NowNanos();
    engine_->WaitForCompactions();
    const double settle = (NowNanos() - settle_start) / 1e9;
    record_.Set("settle_s", settle);
    fmt::print("  {:<12} {:>27.2f} s\n", "settle", settle);
    std::fflush(stdout);
    poller_->Sample();
    live_after_writes_ = SettledTableBytes(dir_);
    const EngineCounters after = engine_->Counters();
    const double user = 2.0 * static_cast<double>(n_) * static_cast<double>(kKeySize + cfg_.value_size);
    record_.Set("user_mib", user / 1048576.0);
    record_.Set("wa_tables", Div(Delta(before, after, "table_bytes"), user));
    record_.Set("wa_flush", Div(Delta(before, after, "flush_bytes"), user));
    record_.Set("wa_log", Div(Delta(before, after, "log_bytes"), user));
    record_.Set("wa_all_writes", static_cast<double>(WrittenBytes() - wchar_before) / user);
    for (const char* k : {"minilsm.write_amp", "minilsm.space_amp"}) {
      auto it = after.find(k);
      record_.Set(std::string(k).replace(0, 8, "minilsm_"),
                  it == after.end() ? std::nullopt : std::optional<double>(it->second));
    }
    record_.Set("put_p50_us", static_cast<double>(puts.Percentile(50)) / 1e3);
    record_.Set("put_p99_us", static_cast<double>(puts.Percentile(99)) / 1e3);
    record_.Set("put_p999_us", static_cast<double>(puts.Percentile(99.9)) / 1e3);
    record_.Set("stall_ms", Div(Delta(before, after, "stall_micros"), 1e3));
    record_.Set("stall_count", Delta(before, after, "stall_count"));
    record_.Set("slow_puts_ms", static_cast<double>(puts.slow_sum()) / 1e6);
    record_.Set("slow_puts", static_cast<double>(puts.slow_count()));
    if (engine_name_ == "ours") Predict(write_seconds, before, after);
  }

  // The compaction model (bench/compaction_model) on this run's workload (LabWorkload) and
  // settings: once with compactions keeping up (they take no time) and once timed, with this
  // run's own put rate (puts per second of writing outside stalls) and background rate (table
  // bytes its flushes and compactions wrote per second they took).
  void Predict(double write_seconds, const EngineCounters& before, const EngineCounters& after) {
    model::ModelConfig config{.write_buffer_size = cfg_.engine_options.write_buffer_size,
                              .max_file_size = cfg_.engine_options.target_file_size};
    if (!model::SetStyle(style_, &config).ok()) return;
    config.UseLabSettings();
    const model::Workload w = LabWorkload();
    Record("model_", model::RunModel(w, config));
    const std::optional<double> stall_us = Delta(before, after, "stall_micros");
    const std::optional<double> bg_us = Delta(before, after, "background_micros");
    const std::optional<double> bg_bytes = Delta(before, after, "background_bytes");
    const double writing = write_seconds - (stall_us ? *stall_us / 1e6 : 0);
    if (!bg_us || !bg_bytes || *bg_us <= 0 || writing <= 0) return;
    config.put_rate = 2.0 * static_cast<double>(n_) / writing;
    config.background_rate = *bg_bytes / (*bg_us / 1e6);
    record_.Set("model_put_rate", config.put_rate);
    record_.Set("model_background_mib_s", config.background_rate / 1048576.0);
    Record("model_timed_", model::RunModel(w, config));
  }

  // The lab's writes as the model describes them: a fill of every key, then N overwrites.
  model::Workload LabWorkload() const {
    return model::Workload{.num = n_, .keys = n_, .value_size = cfg_.value_size,
                           .skewed = true, .scattered = true, .fill_first = true,
                           .hot_ops_percent = static_cast<int>(cfg_.hot_ops_percent),
                           .hot_keys_percent = static_cast<int>(cfg_.hot_keys_percent)};
  }

  // One model run's predictions, as PREFIX + wa, sa, miss_tables, hit_tables, runs, stall_s.
  void Record(const std::string& prefix, const model::ModelResult& r) {
    record_.Set(prefix + "wa", r.WriteAmp());
    record_.Set(prefix + "sa", r.SpaceAmp());
    record_.Set(prefix + "miss_tables", r.tables_per_miss);
    record_.Set(prefix + "hit_tables", r.tables_per_hit);
    record_.Set(prefix + "runs", r.sorted_runs);
    record_.Set(prefix + "stall_s", r.stall_seconds);
  }

  // Point hits, zero-result lookups, short scans: read amplification and throughput.
  void Reads() {
    engine_->SetReadCounting(true);
    Random rnd(2024);
    std::string value;
    int64_t found = 0;
    ReadPhase("readrandom", "hit", reads_, [&](int64_t) {
      found += engine_->Get(MakeKey(rnd.Uniform(un_)), &value) ? 1 : 0;
    });
    if (found != reads_) Warn(fmt::format("{} of {} present keys not found", reads_ - found, reads_));
    found = 0;
    ReadPhase("readmissing", "miss", reads_, [&](int64_t) {
      found += engine_->Get(MakeKey(rnd.Uniform(un_)) + ".", &value) ? 1 : 0;
    });
    if (found != 0) Warn(fmt::format("{} absent keys found", found));
    int64_t entries = 0;
    ReadPhase("scan", "scan", scans_, [&](int64_t) {
      auto it = engine_->NewIterator();
      it->Seek(MakeKey(rnd.Uniform(un_)));
      for (int j = 0; j < kScanLength && it->Valid(); ++j, it->Next()) ++entries;
    });
    record_.Set("scan_entries", static_cast<double>(entries) / static_cast<double>(scans_));
    engine_->SetReadCounting(false);
  }

  // Live table bytes and peak disk at the end; then a full compaction for SA's denominator.
  void Space() {
    engine_->WaitForCompactions();  // reads may have queued some (ours: seek compactions)
    const uint64_t live = SettledTableBytes(dir_);
    poller_->Sample();
    record_.Set("peak_disk_mib", static_cast<double>(poller_->peak()) / 1048576.0);
    poller_.reset();
    const std::string layout = engine_->LevelSummary();
    record_.SetText("layout", layout);
    record_.Set("runs_end", SortedRuns(layout));
    Progress("full compaction (for space amplification)");
    const uint64_t compact_start = NowNanos();
    engine_->CompactAll();
    engine_->WaitForCompactions();
    fmt::print("  {:<12} {:>27.2f} s\n", "compact all", (NowNanos() - compact_start) / 1e9);
    std::fflush(stdout);
    const uint64_t compacted = SettledTableBytes(dir_);
    record_.SetText("layout_compacted", engine_->LevelSummary());
    record_.Set("live_table_mib", static_cast<double>(live) / 1048576.0);
    record_.Set("compacted_table_mib", static_cast<double>(compacted) / 1048576.0);
    record_.Set("sa", compacted == 0 ? std::nullopt
                                     : std::optional<double>(static_cast<double>(live) / compacted));
    record_.Set("sa_writes", compacted == 0 ? std::nullopt
                                            : std::optional<double>(
                                                  static_cast<double>(live_after_writes_) / compacted));
    // The model's predictions against what was measured, in % (model - measured) / measured.
    auto diff = [&](const char* name, const char* predicted, const char* measured) {
      const std::optional<double> p = record_.Get(predicted), m = record_.Get(measured);
      record_.Set(name, p && m && *m != 0 ? std::optional<double>(100.0 * (*p - *m) / *m)
                                          : std::nullopt);
    };
    diff("model_wa_diff", "model_wa", "wa_tables");
    diff("model_timed_wa_diff", "model_timed_wa", "wa_tables");
    diff("model_sa_diff", "model_sa", "sa_writes");
    diff("model_timed_sa_diff", "model_timed_sa", "sa_writes");
  }

  void TimedPut(uint32_t key, Histogram* h) {
    const std::string k = MakeKey(key);
    const std::string_view v = values_.Next(static_cast<size_t>(cfg_.value_size));
    const uint64_t start = NowNanos();
    if (!engine_->Put(k, v, false)) Die("put failed");
    h->Add(NowNanos() - start);
  }

  // Runs body(i) for i in [0, ops), then records "ops_<name>" (operations per second).
  void Phase(const std::string& name, int64_t ops, const std::function<void(int64_t)>& body) {
    const uint64_t start = NowNanos();
    uint64_t next_report = start + kProgressNanos;  // a progress line every few seconds
    for (int64_t i = 0; i < ops; ++i) {
      body(i);
      if ((i & 4095) == 4095 && NowNanos() >= next_report) {
        Progress(fmt::format("{} {}% ({} of {} ops, {:.1f} s)", name, (i + 1) * 100 / ops, i + 1,
                             ops, (NowNanos() - start) / 1e9));
        next_report = NowNanos() + kProgressNanos;
      }
    }
    const double seconds = (NowNanos() - start) / 1e9;
    record_.Set("ops_" + name, seconds > 0 ? ops / seconds : 0);
    fmt::print("  {:<12} {:>10} ops {:8.2f} s {:12.0f} ops/s\n", name, ops, seconds,
               seconds > 0 ? ops / seconds : 0);
    std::fflush(stdout);
  }

  // A Phase of reads of one kind (hit, miss, scan), recording its read amplification: the
  // differences of the engine's counters around it, per operation.
  void ReadPhase(const std::string& name, const std::string& kind, int64_t ops,
                 const std::function<void(int64_t)>& body) {
    const EngineCounters before = engine_->Counters();
    Phase(name, ops, body);
    const EngineCounters after = engine_->Counters();
    const double n = static_cast<double>(ops);
    if (kind == "scan") {
      record_.Set("scan_runs", Div(Delta(before, after, "scan.runs"), n));
      record_.Set("scan_tables", Div(Delta(before, after, "scan.tables"), n));
      record_.Set("scan_blocks", Div(Delta(before, after, "scan.blocks"), n));
    } else {
      record_.Set(kind + "_tables", Div(Delta(before, after, "get.tables"), n));
      record_.Set(kind + "_filters", Div(Delta(before, after, "get.filters"), n));
      record_.Set(kind + "_blocks", Div(Delta(before, after, "get.blocks"), n));
      record_.Set(kind + "_cache_hits", Div(Delta(before, after, "get.cache_hits"), n));
    }
  }

  void Progress(const std::string& what) {
    fmt::print(stderr, "  [{}] {}\n", label_, what);
  }

  void Warn(const std::string& what) {
    fmt::print(stderr, "[{}] WARNING: {}\n", label_, what);
    record_.SetText("warning", what);
  }

  [[noreturn]] void Die(const std::string& what) {
    fmt::print(stderr, "[{}] {}\n", label_, what);
    std::exit(1);
  }

  const Config& cfg_;
  const std::string engine_name_, style_, label_;
  std::unique_ptr<BenchEngine> engine_;
  const std::filesystem::path dir_;
  const int64_t n_;    // keys
  const uint64_t un_;  // the same, unsigned
  const int64_t reads_, scans_;
  std::optional<DiskPeakPoller> poller_;  // from Open until the full compaction
  uint64_t live_after_writes_ = 0;        // table bytes after the settle
  ValueGenerator values_{301};
  LabRecord record_;
};

// --- the table -----------------------------------------------------------------------------

struct Row {
  const char* label;
  const char* key;
  const char* format;  // fmt spec for the number; "k" = ops/s in thousands
};

constexpr Row kRows[] = {
    {"WA tables (x user bytes)", "wa_tables", "{:.2f}"},
    {"  of which flushes", "wa_flush", "{:.2f}"},
    {"WA log (x user bytes)", "wa_log", "{:.2f}"},
    {"WA all writes (wchar)", "wa_all_writes", "{:.2f}"},
    {"SA live / compacted", "sa", "{:.2f}"},
    {"SA after the writes", "sa_writes", "{:.2f}"},
    {"model WA (keeps up)", "model_wa", "{:.2f}"},
    {"  vs measured (%)", "model_wa_diff", "{:+.1f}"},
    {"model WA (timed)", "model_timed_wa", "{:.2f}"},
    {"  vs measured (%)", "model_timed_wa_diff", "{:+.1f}"},
    {"model SA (keeps up)", "model_sa", "{:.2f}"},
    {"  vs after writes (%)", "model_sa_diff", "{:+.1f}"},
    {"model SA (timed)", "model_timed_sa", "{:.2f}"},
    {"  vs after writes (%)", "model_timed_sa_diff", "{:+.1f}"},
    {"live tables (MiB)", "live_table_mib", "{:.1f}"},
    {"after full compact (MiB)", "compacted_table_mib", "{:.1f}"},
    {"peak disk (MiB)", "peak_disk_mib", "{:.1f}"},
    {"sorted runs at end", "runs_end", "{:.0f}"},
    {"mini-lsm WA (files/flushes)", "minilsm_write_amp", "{:.2f}"},
    {"mini-lsm SA (max files/fl.)", "minilsm_space_amp", "{:.2f}"},
    {"fillrandom (k ops/s)", "ops_fillrandom", "k"},
    {"overwrite 80/20 (k ops/s)", "ops_overwrite", "k"},
    {"readrandom (k ops/s)", "ops_readrandom", "k"},
    {"readmissing (k ops/s)", "ops_readmissing", "k"},
    {"scan 1+10 (k ops/s)", "ops_scan", "k"},
    {"put p50 (us)", "put_p50_us", "{:.2f}"},
    {"put p99 (us)", "put_p99_us", "{:.2f}"},
    {"put p99.9 (us)", "put_p999_us", "{:.1f}"},
    {"write stall, engine (ms)", "stall_ms", "{:.0f}"},
    {"stall events, engine", "stall_count", "{:.0f}"},
    {"puts > 1 ms: sum (ms)", "slow_puts_ms", "{:.0f}"},
    {"puts > 1 ms: count", "slow_puts", "{:.0f}"},
    {"settle after writes (s)", "settle_s", "{:.2f}"},
    {"load average at end", "loadavg_1m", "{:.2f}"},
    {"hit: tables/op", "hit_tables", "{:.2f}"},
    {"hit: filters/op", "hit_filters", "{:.2f}"},
    {"hit: data blocks/op", "hit_blocks", "{:.2f}"},
    {"hit: cache hits/op", "hit_cache_hits", "{:.2f}"},
    {"miss: tables/op", "miss_tables", "{:.2f}"},
    {"miss: filters/op", "miss_filters", "{:.2f}"},
    {"miss: data blocks/op", "miss_blocks", "{:.2f}"},
    {"scan: runs/op", "scan_runs", "{:.2f}"},
    {"scan: tables opened/op", "scan_tables", "{:.2f}"},
    {"scan: data blocks/op", "scan_blocks", "{:.2f}"},
};

std::string Cell(const LabRecord& r, const Row& row) {
  const std::optional<double> v = r.Get(row.key);
  if (!v) return "—";
  if (std::string_view(row.format) == "k") return fmt::format("{:.1f}", *v / 1e3);
  return fmt::format(fmt::runtime(row.format), *v);
}

// Pads s to width display columns ("—" is one column but three bytes).
std::string Pad(const std::string& s, size_t width) {
  size_t cols = 0;
  for (unsigned char c : s) cols += (c & 0xC0) != 0x80;
  return std::string(width > cols ? width - cols : 0, ' ') + s;
}

void PrintTable(const std::vector<LabRecord>& records) {
  constexpr size_t kLabel = 27, kCol = 18;
  std::string line = fmt::format("\n{:<{}}", "compaction lab", kLabel);
  for (const auto& r : records) line += Pad(r.GetText("style"), kCol);
  fmt::print("{}\n", line);
  for (const Row& row : kRows) {
    line = fmt::format("{:<{}}", row.label, kLabel);
    for (const auto& r : records) line += Pad(Cell(r, row), kCol);
    fmt::print("{}\n", line);
  }
  fmt::print("{:<{}}", "layout at end", kLabel);
  for (const auto& r : records) fmt::print("\n  {:<18} {}", r.GetText("style"), r.GetText("layout"));
  for (const auto& r : records) {
    if (!r.GetText("warning").empty()) {
      fmt::print("\nWARNING [{}]: {}", r.GetText("style"), r.GetText("warning"));
    }
  }
  fmt::print("\n(— = the engine does not report it; WA/SA/RA definitions: "
             "bench/compaction_lab/compaction_lab.cc)\n");
}

}  // namespace
}  // namespace lsm::bench

static int Main(int argc, char** argv) {
  using namespace lsm::bench;
  Config cfg;
  std::string styles;
  bool quick = false;
  int64_t cache = static_cast<int64_t>(cfg.engine_options.block_cache_bytes);
  lsm::Flags flags(
      "compaction_lab",
      "Runs one workload (fillrandom, skewed overwrite, readrandom, readmissing, short scans)\n"
      "under each compaction style of our engine and RocksDB, with matched settings (4 MiB\n"
      "memtable, 2 MiB tables, 10 bloom bits/key, 8 MiB block cache, no compression), and\n"
      "prints write, space and read amplification, throughput, put latency and stalls.");
  flags.Int("num", &cfg.num, 1000, 100000000, "keys (fillrandom writes each once)");
  flags.Int("reads", &cfg.reads, -1, 100000000, "lookups per read phase (-1: num)");
  flags.Int("scans", &cfg.scans, -1, 100000000, "short scans (-1: reads / 10)");
  flags.Int("value_size", &cfg.value_size, 1, 65536, "value bytes");
  flags.Int("hot_ops", &cfg.hot_ops_percent, 0, 100, "overwrite: percent of puts to the hot keys");
  flags.Int("hot_keys", &cfg.hot_keys_percent, 1, 100, "overwrite: percent of keys that are hot");
  flags.Int("cache_size", &cache, 0, int64_t{1} << 34, "block cache bytes");
  flags.Int("poll_ms", &cfg.poll_ms, 10, 10000, "disk usage poll interval (ms)");
  flags.String("styles", &styles,
               "comma-separated engine:style list (default: every style of ours and rocksdb)");
  flags.Bool("quick", &quick, "a smoke run: num 20000 (unless --num is given)");
  flags.String("db", &cfg.db, "database path prefix (pid, engine and style are appended)");
  flags.String("results", &cfg.results, "append one JSON line per style to this file");
  flags.String("trace", &cfg.trace_prefix,
               "write our engine's events to PREFIX.<style>.jsonl for lsmviz");
  const int64_t default_num = cfg.num;
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (quick && cfg.num == default_num) cfg.num = 20000;
  cfg.engine_options.block_cache_bytes = static_cast<size_t>(cache);

  const std::vector<std::string> valid = AllStyles(true);
  std::vector<std::string> chosen;
  if (styles.empty()) {
    chosen = AllStyles(false);
  } else {
    std::stringstream list(styles);
    for (std::string s; std::getline(list, s, ',');) {
      if (s.empty()) continue;
      if (std::find(valid.begin(), valid.end(), s) == valid.end()) {
        std::string names;
        for (const auto& v : valid) names += (names.empty() ? "" : ", ") + v;
        return flags.Fail(lsm::Status::InvalidArgument(
            "unknown style '{}'; valid styles: {}", s, names));
      }
      chosen.push_back(s);
    }
  }
  const std::string results_path = cfg.results.empty()
                                       ? fmt::format("/tmp/compaction_lab_{}.jsonl", getpid())
                                       : cfg.results;
  if (cfg.results.empty()) std::remove(results_path.c_str());
  // A results file that cannot be written fails now, by name, not after the runs.
  if (std::ofstream probe(results_path, std::ios::app); !probe) {
    fmt::print(stderr, "compaction_lab: cannot append to the results file {}: {}\n",
               results_path, std::strerror(errno));
    return 1;
  }
  const int64_t reads = cfg.reads < 0 ? cfg.num : cfg.reads;
  fmt::print("compaction lab: N = {}, {}-byte keys, {}-byte values, overwrite {}% of puts to {}% "
             "of keys, {} lookups per read phase, {} scans of 1+{}\n"
             "settings: {} KiB memtable, {} KiB tables, {} bloom bits/key, {} KiB block cache, "
             "no compression\n",
             cfg.num, kKeySize, cfg.value_size, cfg.hot_ops_percent, cfg.hot_keys_percent, reads,
             cfg.scans < 0 ? std::max<int64_t>(1, reads / 10) : cfg.scans, kScanLength,
             cfg.engine_options.write_buffer_size >> 10, cfg.engine_options.target_file_size >> 10,
             cfg.engine_options.bloom_bits_per_key, cfg.engine_options.block_cache_bytes >> 10);
  std::fflush(stdout);

  int failures = 0;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const std::string& label = chosen[i];
    const size_t colon = label.find(':');
    fmt::print("[{}/{}] {}\n", i + 1, chosen.size(), label);
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) {
      fmt::print(stderr, "[{}] fork failed\n", label);
      return 1;
    }
    if (pid == 0) {
      Runner runner(cfg, label.substr(0, colon), label.substr(colon + 1));
      LabRecord r = runner.Run();
      r.Set("num", static_cast<double>(cfg.num));
      r.Set("reads", static_cast<double>(reads));
      r.Set("scans", static_cast<double>(cfg.scans < 0 ? std::max<int64_t>(1, reads / 10) : cfg.scans));
      r.Set("value_size", static_cast<double>(cfg.value_size));
      r.Set("hot_ops_percent", static_cast<double>(cfg.hot_ops_percent));
      r.Set("hot_keys_percent", static_cast<double>(cfg.hot_keys_percent));
      r.Set("write_buffer_size", static_cast<double>(cfg.engine_options.write_buffer_size));
      r.Set("target_file_size", static_cast<double>(cfg.engine_options.target_file_size));
      r.Set("bloom_bits", cfg.engine_options.bloom_bits_per_key);
      r.Set("block_cache_bytes", static_cast<double>(cfg.engine_options.block_cache_bytes));
      std::ofstream out(results_path, std::ios::app);
      out << r.ToJson() << "\n";
      out.close();
      std::fflush(stdout);
      _exit(out ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fmt::print(stderr, "[{}] failed (status {})\n", label, status);
      ++failures;
    } else {
      fmt::print("  done in {:.1f} s\n", seconds);
    }
  }
  std::vector<LabRecord> records;
  std::ifstream in(results_path);
  for (std::string line; std::getline(in, line);) {
    auto r = LabRecord::FromJson(line);
    // Only this run's styles (the file may hold earlier runs when --results is given).
    if (r && r->Get("num") == static_cast<double>(cfg.num) &&
        std::find(chosen.begin(), chosen.end(), r->GetText("style")) != chosen.end()) {
      std::erase_if(records, [&](const LabRecord& o) { return o.GetText("style") == r->GetText("style"); });
      records.push_back(*r);
    }
  }
  PrintTable(records);
  if (cfg.results.empty()) std::remove(results_path.c_str());
  return failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
