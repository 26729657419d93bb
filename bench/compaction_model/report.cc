// The compaction_model program: the report tables, the closed forms, and the real-engine run
// of --compare. (model.cc holds the model itself.)
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "bench/compaction_model/model.h"
#include "bench/lib/amplification.h"
#include "common/flags.h"
#include "common/main_guard.h"
#include "step5_lsm/db.h"

namespace lsm::model {

namespace {

double Ratio(double a, double b) { return b == 0 ? 0.0 : a / b; }

double DiffPercent(double predicted, double measured) {
  return measured == 0 ? 0.0 : 100.0 * (predicted - measured) / measured;
}

std::string MiB(uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

std::string WorkloadName(const Workload& w) {
  std::string name = w.fill_first ? "after a fill of every key, " : "";
  if (!w.skewed) return name + "uniform";
  return name + fmt::format("skewed {}/{}{}", w.hot_ops_percent, w.hot_keys_percent,
                            w.scattered ? " scattered" : "");
}

bool Pending(DB* db) {
  std::string v;
  return db->GetProperty("lsm.compaction-pending", &v) && v == "1";
}

}  // namespace

std::string ClosedFormEstimates(const ModelConfig& config, const ModelResult& r) {
  // Where the formulas are derived.
  constexpr const char* kClosedForm = "  closed form (step5_lsm/compaction-reference.md): ";
  std::string out;
  const double unique = static_cast<double>(std::max<uint64_t>(r.unique_bytes, 1));
  const double base = static_cast<double>(config.max_bytes_for_level_base);
  // Levels >= 1 that one sorted copy of the data needs (L1 = base, x10 per level).
  const int levels = std::max(1, static_cast<int>(std::ceil(std::log10(unique / base))) + 1);
  const double flush = static_cast<double>(std::max<uint64_t>(r.bytes_per_flush, 1));
  // Tiers of t runs each from one flush up to the data: log_t(data / flush), at least 1.
  auto tiers_of = [&](double t) {
    return std::max(1, static_cast<int>(std::ceil(std::log(unique / flush) / std::log(t))));
  };
  switch (config.style) {
    case CompactionStyle::kLeveled: {
      constexpr double kT = 10;
      out += fmt::format(
          "{}T = 10, L = {} levels below L0 for {} of data: WA ~ T*L/2 = {:.1f} "
          "(up to T*L = {:.0f}); SA ~ 1 + 1/T = 1.1\n",
          kClosedForm, levels, MiB(r.unique_bytes), kT * levels / 2, kT * levels);
      break;
    }
    case CompactionStyle::kTiered: {
      const double t = config.universal.run_compaction_trigger;
      const int tiers = tiers_of(t);
      out += fmt::format(
          "{}T = {} runs per tier, L = log_T(data / flush) = {} tiers: WA ~ L = {}; SA up to "
          "1 + max_size_amplification_percent/100 = {:.1f}\n",
          kClosedForm, t, tiers, tiers,
          1 + config.universal.max_size_amplification_percent / 100.0);
      break;
    }
    case CompactionStyle::kLazyLeveled: {
      const double t = config.lazy_leveling_size_ratio;
      const double trig = config.universal.run_compaction_trigger;
      const int tiers = tiers_of(trig);
      out += fmt::format(
          "{}tiering above the largest level (~{} tiers of T = {}) + leveling at it (T = {}): "
          "WA ~ (L-1) + T/2 = {:.1f}; SA ~ 1 + 1/T = {:.2f}\n",
          kClosedForm, tiers, trig, t, (tiers - 1) + t / 2, 1 + 1 / t);
      break;
    }
  }
  return out;
}

std::string FormatResult(const Workload& w, const ModelConfig& config, const ModelResult& r) {
  std::string out = fmt::format(
      "== {}: {} puts of 16+{} bytes over {} keys ({}); write buffer {} ({} puts, {} per "
      "flush), files {}, L1 {}\n",
      CompactionStyleName(config.style), w.TotalPuts(), w.value_size, w.keys,
      WorkloadName(w), MiB(config.write_buffer_size), r.entries_per_flush,
      MiB(r.bytes_per_flush), MiB(config.max_file_size), MiB(config.max_bytes_for_level_base));
  out += fmt::format(
      "  WA  table bytes / user bytes          {:6.2f}   (flush {:.2f} + compaction {:.2f}; "
      "{} flushes, {} compactions, {} trivial moves)\n",
      r.WriteAmp(), Ratio(r.flush_bytes, r.user_bytes), Ratio(r.compaction_bytes, r.user_bytes),
      r.flushes, r.compactions, r.trivial_moves);
  out += fmt::format(
      "  SA  live bytes / unique live bytes    {:6.2f}   ({} live, {} unique = {:.0f} keys); "
      "the engine's definition (live / estimated compacted): {:.2f}\n",
      r.SpaceAmp(), MiB(r.live_bytes), MiB(r.unique_bytes), r.unique_entries, r.EngineSpaceAmp());
  out += fmt::format(
      "  RA  zero-result lookup: {:.2f} tables' filters probed, {} sorted runs; point hit: "
      "{:.2f} tables probed\n",
      r.tables_per_miss, r.sorted_runs, r.tables_per_hit);
  out += fmt::format(
      "  mini-lsm (file counts): WA {:.2f} (files written {} / flushes {}), space {:.2f} (max "
      "live files {} / flushes), RA {} (L0 files {} + non-empty levels {})\n",
      r.MiniLsmWriteAmp(), r.table_files_written, r.flushes, r.MiniLsmSpaceAmp(),
      r.max_live_files, r.MiniLsmReadAmp(), r.l0_files, r.nonempty_levels);
  out += fmt::format("  tree: {}  {}; {} live files; model time {:.2f} s\n", r.level_summary,
                     r.level_bytes, r.live_files, r.seconds);
  out += ClosedFormEstimates(config, r);
  return out;
}

Status ParseAmplification(const std::string& property, EngineResult* out) {
  out->raw = property;
  const bench::AmplificationFields fields = bench::ParseAmplificationProperty(property);
  std::string missing;
  auto field = [&](const char* name) {
    auto it = fields.find(name);
    if (it != fields.end()) return it->second;
    missing += fmt::format("{}{}", missing.empty() ? "" : ", ", name);
    return 0.0;
  };
  out->write_amp = field("write-amp");
  out->table_bytes = static_cast<uint64_t>(field("table-bytes"));
  out->user_bytes = static_cast<uint64_t>(field("user-bytes"));
  out->space_amp = field("space-amp");
  out->mini_write_amp = field("mini-lsm.write-amp");
  out->mini_space_amp = field("mini-lsm.space-amp");
  out->flushes = static_cast<uint64_t>(field("mini-lsm.flushes"));
  out->mini_read_amp = static_cast<int>(field("mini-lsm.read-amp"));
  if (!missing.empty()) {
    return Status::Corruption("lsm.amplification lacks {}: {}", missing, property);
  }
  return Status::OK();
}

Status RunEngine(const Workload& w, const ModelConfig& config, const std::string& dir,
                 bool paced, EngineResult* out) {
  const auto start = std::chrono::steady_clock::now();
  std::string templ = (std::filesystem::path(dir) / "compaction-model-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return Status::IOError("cannot create the temporary directory {}: {}", templ,
                           std::strerror(errno));
  }
  const std::filesystem::path path = templ;
  Status s;
  {
    Options options = config.ToOptions();
    options.create_if_missing = true;
    options.fs = FileSystem::Default();
    std::unique_ptr<DB> db;
    s = DB::Open(options, path / "db", &db);
    Random rnd(w.seed);
    ValueGenerator values(w.seed);
    const size_t value_size = static_cast<size_t>(w.value_size);
    auto put = [&](uint64_t key) {
      s = db->Put(MakeKey(key), values.Next(value_size));
      if (paced) {
        while (Pending(db.get())) std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    };
    if (w.fill_first) {
      for (uint32_t key : ShuffledKeys(static_cast<uint64_t>(w.keys), w.seed)) {
        if (!s.ok()) break;
        put(key);
      }
    }
    for (int64_t i = 0; s.ok() && i < w.num; ++i) put(NextKeyIndex(w, &rnd));
    if (s.ok()) {
      while (Pending(db.get())) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      std::string property;
      (void)db->GetProperty("lsm.amplification", &property);
      s = ParseAmplification(property, out);
      (void)db->GetProperty("lsm.levels", &out->levels);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

int Main(int argc, char** argv) {
  Flags flags("compaction_model",
              "Predicts write, space and read amplification of each compaction style from file "
              "metadata alone, replaying a fillrandom workload through step 5's own policies; "
              "--compare also runs the real engine and prints predicted vs measured.");
  std::vector<CompactionStyle> styles(kCompactionStyles.begin(), kCompactionStyles.end());
  int64_t num = 1000000, keys = 0, value_size = 100;
  int64_t write_buffer_size = 4 << 20, max_file_size = 2 << 20, level_base = 10 << 20;
  bool quick = false, compare = false, paced = false, skewed = false, lab = false;
  double put_rate = 0, background_rate_mib = 0;
  // Not std::filesystem::temp_directory_path, which throws when TMPDIR names a missing
  // directory; RunEngine's mkdtemp reports a bad one by name.
  std::string dir = TempDirBase();
  // --style as the engine's programs parse it (AddCompactionStyleFlag), plus "all".
  flags.Custom(
      "style",
      [&styles](std::string_view name) {
        if (name == "all") {
          styles.assign(kCompactionStyles.begin(), kCompactionStyles.end());
          return Status::OK();
        }
        CompactionStyle parsed;
        if (Status s = ParseCompactionStyle(name, &parsed); !s.ok()) {
          return Status::InvalidArgument("{} (or all)", s.message());
        }
        styles = {parsed};
        return Status::OK();
      },
      "all", "leveled, tiered, lazy-leveled, or all");
  flags.Int("num", &num, 1, 1000000000, "puts to replay");
  flags.Int("keys", &keys, 0, 1000000000000, "key space (0: --num)");
  flags.Int("value_size", &value_size, 1, 1 << 20, "bytes per value");
  flags.Int("write_buffer_size", &write_buffer_size, OptionLimits::kMinWriteBufferSize,
            OptionLimits::kMaxWriteBufferSize, "memtable bytes (Options::write_buffer_size)");
  flags.Int("max_file_size", &max_file_size, OptionLimits::kMinFileSize,
            static_cast<int64_t>(OptionLimits::kMaxFileSize), "compaction output target bytes");
  flags.Int("max_bytes_for_level_base", &level_base, OptionLimits::kMinLevelBase,
            static_cast<int64_t>(OptionLimits::kMaxLevelBase), "L1's byte budget (x10 below)");
  flags.Bool("quick", &quick, "a small run: 200,000 puts, 1 MiB write buffer");
  flags.Bool("compare", &compare, "also run the real engine and print predicted vs measured");
  flags.Bool("paced", &paced, "--compare: wait for background work after each put");
  flags.Bool("skewed", &skewed, "80% of the puts to 20% of the keys");
  flags.Bool("lab", &lab,
             "the compaction lab's writes: a fill of every key, then --num puts skewed 80/20 "
             "over hot keys scattered across the key space");
  flags.Double("put_rate", &put_rate, 0, 1e9,
               "timed replay: the writer's puts per second (0: compactions keep up)");
  flags.Double("background_mib_per_s", &background_rate_mib, 0, 1e6,
               "timed replay: table MiB the background thread writes per second of work");
  flags.String("dir", &dir, "--compare: where the engine's temporary database goes");
  if (Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;

  if (quick) {
    num = 200000;
    write_buffer_size = 1 << 20;
  }
  Workload w{.num = num, .keys = keys == 0 ? num : keys, .value_size = value_size,
             .skewed = skewed || lab, .scattered = lab, .fill_first = lab};

  struct Row {
    CompactionStyle style;
    ModelResult model;
    EngineResult engine;
  };
  std::vector<Row> rows;
  for (CompactionStyle st : styles) {
    ModelConfig config{.style = st,
                       .write_buffer_size = static_cast<uint64_t>(write_buffer_size),
                       .max_file_size = static_cast<uint64_t>(max_file_size),
                       .max_bytes_for_level_base = static_cast<uint64_t>(level_base)};
    if (lab) config.UseLabSettings();
    config.put_rate = put_rate;
    config.background_rate = background_rate_mib * 1048576.0;
    Row row{.style = st, .model = RunModel(w, config), .engine = {}};
    fmt::print("{}", FormatResult(w, config, row.model));
    if (compare) {
      if (Status s = RunEngine(w, config, dir, paced, &row.engine); !s.ok()) {
        fmt::print(stderr, "compaction_model: engine run failed: {}\n", s.ToString());
        return 1;
      }
      fmt::print("  engine ({:.1f} s{}): {}", row.engine.seconds, paced ? ", paced" : "",
                 row.engine.raw.substr(0, row.engine.raw.find('\n', row.engine.raw.find(
                                                                         "write-amp")) + 1));
    }
    std::fflush(stdout);
    rows.push_back(std::move(row));
  }
  if (compare) {
    fmt::print(
        "\npredicted vs measured ({} puts, {} keys, write buffer {}, {}):\n"
        "style          WA model  WA engine   diff    SA model  SA engine   diff    "
        "mini-WA model/engine  RA model/engine\n",
        w.TotalPuts(), w.keys, MiB(write_buffer_size), paced ? "paced" : "free-running");
    for (const Row& r : rows) {
      fmt::print("{:<13} {:9.2f} {:10.2f} {:+6.1f}%  {:9.2f} {:10.2f} {:+6.1f}%   {:8.2f} / "
                 "{:<8.2f}   {:3d} / {}\n",
                 CompactionStyleName(r.style), r.model.WriteAmp(), r.engine.write_amp,
                 DiffPercent(r.model.WriteAmp(), r.engine.write_amp), r.model.EngineSpaceAmp(),
                 r.engine.space_amp, DiffPercent(r.model.EngineSpaceAmp(), r.engine.space_amp),
                 r.model.MiniLsmWriteAmp(), r.engine.mini_write_amp, r.model.MiniLsmReadAmp(),
                 r.engine.mini_read_amp);
    }
    fmt::print("(SA in the engine's definition: live bytes / estimated compacted bytes, "
               "EstimateCompactedBytes in step5_lsm/tiered_policy.cc; the model's own live / "
               "unique SA is in the tables above)\n");
  }
  return 0;
}

}  // namespace lsm::model
