// db_bench: LevelDB's benchmark driver, re-made to run the same workloads on our engine,
// LevelDB 1.23 and RocksDB in one run, each in its own child process (so peak memory is per
// engine), with matched settings. Prints LevelDB's line format per workload, then a comparison
// table with the ratio ours/peer, and appends JSON lines to --results for bench/peer_report.py.
//
//   db_bench --engine=ours,leveldb,rocksdb --num=1000000 --benchmarks=fillseq,readrandom
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench/db_bench/engine.h"
#include "bench/db_bench/process_io.h"
#include "common/flags.h"
#include "common/random.h"

namespace lsm::bench {
namespace {

struct Config {
  std::string benchmarks =
      "fillseq,fillsync,fillrandom,overwrite,readrandom,readmissing,readseq,readreverse,"
      "seekrandom,deleterandom";
  std::string engines = "ours,leveldb,rocksdb";
  int64_t num = 1000000;
  int64_t reads = -1;  // -1: same as num
  int64_t value_size = 100;
  int64_t threads = 1;
  std::string db = "/tmp/lsm_db_bench";
  bool use_existing_db = false;
  std::string results;  // JSON lines file; "" = none
  EngineOptions engine_options;
  int64_t cache_size = 8 << 20;
  int64_t write_buffer_size = 4 << 20;
  int64_t bloom_bits = 10;
  bool compression = false;
};

struct Result {
  std::string engine, benchmark;
  double micros_per_op = 0, mb_per_s = 0;
  int64_t ops = 0, found = -1;
};

double NowMicros() {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count());
}


class Runner {
 public:
  Runner(const Config& cfg, BenchEngine* engine) : cfg_(cfg), engine_(engine), values_(301) {}

  std::vector<Result> RunAll() {
    std::vector<Result> results;
    const std::string dir = cfg_.db + "-" + engine_->name();
    if (!cfg_.use_existing_db) engine_->Destroy(dir);
    if (std::string err = engine_->Open(dir, cfg_.engine_options); !err.empty()) {
      fmt::print(stderr, "{}: cannot open {}: {}\n", engine_->name(), dir, err);
      std::exit(1);
    }
    const uint64_t wchar_start = WrittenBytes();
    std::stringstream list(cfg_.benchmarks);
    std::string name;
    while (std::getline(list, name, ',')) {
      if (name.empty()) continue;
      const bool fresh = name == "fillseq" || name == "fillrandom" || name == "fillsync";
      if (fresh && !cfg_.use_existing_db) {
        engine_->Destroy(dir);
        if (std::string err = engine_->Open(dir, cfg_.engine_options); !err.empty()) {
          fmt::print(stderr, "{}: cannot reopen {}: {}\n", engine_->name(), dir, err);
          std::exit(1);
        }
      }
      Result r = Run(name);
      if (r.ops == 0) continue;
      results.push_back(r);
    }
    const double wamp = user_bytes_ > 0
                            ? static_cast<double>(WrittenBytes() - wchar_start) / user_bytes_
                            : 0.0;
    fmt::print("{:<12} : levels {}\n", "layout", engine_->LevelSummary());
    engine_->Close();
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    results.push_back(Result{engine_->name(), "write_amplification", wamp, 0, 1, -1});
    results.push_back(
        Result{engine_->name(), "peak_rss_mib", static_cast<double>(ru.ru_maxrss) / 1024.0, 0, 1, -1});
    fmt::print("{:<12} : {:.2f} (bytes written to files / bytes of keys+values put)\n",
               "write amp", wamp);
    fmt::print("{:<12} : {:.1f} MiB\n", "peak RSS", ru.ru_maxrss / 1024.0);
    return results;
  }

 private:
  Result Run(const std::string& name) {
    const int64_t num = cfg_.num;
    const int64_t reads = cfg_.reads < 0 ? num : cfg_.reads;
    std::function<int64_t(int, int64_t*, int64_t*)> body;  // (thread, ops, bytes) -> found
    int64_t total_ops = 0;
    const auto vs = static_cast<size_t>(cfg_.value_size);
    auto write = [&](bool seq, int64_t n, bool sync) {
      return [=, this](int t, int64_t* ops, int64_t* bytes) -> int64_t {
        Random rnd(1000 + t);
        ValueGenerator gen(301 + t);
        for (int64_t i = 0; i < n; ++i) {
          const uint64_t k = seq ? static_cast<uint64_t>(i) : rnd.Uniform(static_cast<uint64_t>(num));
          if (!engine_->Put(MakeKey(k), gen.Next(vs), sync)) Die("put");
          *bytes += 16 + static_cast<int64_t>(vs);
          ++*ops;
          Progress(t, *ops);
        }
        return -1;
      };
    };
    if (name == "fillseq") {
      body = write(true, num, false);
    } else if (name == "fillrandom" || name == "overwrite") {
      body = write(false, num, false);
    } else if (name == "fillsync") {
      body = write(false, std::max<int64_t>(1, num / 1000), true);
    } else if (name == "readrandom" || name == "readmissing") {
      const bool missing = name == "readmissing";
      body = [=, this](int t, int64_t* ops, int64_t* bytes) -> int64_t {
        Random rnd(2000 + t);
        std::string value;
        int64_t found = 0;
        for (int64_t i = 0; i < reads; ++i) {
          std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(num)));
          if (missing) key += '.';
          if (engine_->Get(key, &value)) {
            ++found;
            *bytes += static_cast<int64_t>(key.size() + value.size());
          }
          ++*ops;
          Progress(t, *ops);
        }
        return found;
      };
    } else if (name == "readseq" || name == "readreverse") {
      const bool reverse = name == "readreverse";
      body = [=, this](int t, int64_t* ops, int64_t* bytes) -> int64_t {
        auto it = engine_->NewIterator();
        int64_t n = 0;
        for (reverse ? it->SeekToLast() : it->SeekToFirst(); it->Valid() && n < reads;
             reverse ? it->Prev() : it->Next()) {
          *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
          ++n;
          ++*ops;
          Progress(t, *ops);
        }
        return n;
      };
    } else if (name == "seekrandom") {
      body = [=, this](int t, int64_t* ops, int64_t*) -> int64_t {
        Random rnd(3000 + t);
        int64_t found = 0;
        auto it = engine_->NewIterator();
        for (int64_t i = 0; i < reads; ++i) {
          const std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(num)));
          it->Seek(key);
          if (it->Valid() && it->key() == key) ++found;
          ++*ops;
          Progress(t, *ops);
        }
        return found;
      };
    } else if (name == "deleterandom") {
      body = [=, this](int t, int64_t* ops, int64_t*) -> int64_t {
        Random rnd(4000 + t);
        for (int64_t i = 0; i < num; ++i) {
          if (!engine_->Delete(MakeKey(rnd.Uniform(static_cast<uint64_t>(num))), false)) Die("delete");
          ++*ops;
          Progress(t, *ops);
        }
        return -1;
      };
    } else if (name == "compact") {
      body = [this](int, int64_t* ops, int64_t*) -> int64_t {
        engine_->CompactAll();
        *ops = 1;
        return -1;
      };
    } else {
      fmt::print(stderr, "unknown benchmark '{}' (skipped)\n", name);
      return {};
    }

    const int threads = static_cast<int>(std::max<int64_t>(1, cfg_.threads));
    std::vector<int64_t> ops(threads, 0), bytes(threads, 0), found(threads, -1);
    next_report_ = 100;
    const double start = NowMicros();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] { found[t] = body(t, &ops[t], &bytes[t]); });
    }
    for (auto& th : pool) th.join();
    const double elapsed = NowMicros() - start;
    if (progress_shown_) {
      fmt::print(stderr, "\r{:60}\r", "");
      progress_shown_ = false;
    }
    Result r{engine_->name(), name};
    for (int t = 0; t < threads; ++t) {
      r.ops += ops[t];
      total_ops += bytes[t];
      if (found[t] >= 0) r.found = (r.found < 0 ? 0 : r.found) + found[t];
    }
    if (name.starts_with("fill") || name == "overwrite") user_bytes_ += total_ops;
    r.micros_per_op = elapsed * threads / std::max<int64_t>(1, r.ops);
    r.mb_per_s = total_ops > 0 ? (total_ops / 1048576.0) / (elapsed / 1e6) : 0;
    std::string extra;
    if (r.mb_per_s > 0) extra = fmt::format(" {:8.1f} MB/s;", r.mb_per_s);
    if (r.found >= 0 && name != "readseq" && name != "readreverse") {
      extra += fmt::format(" ({} of {} found)", r.found, r.ops);
    }
    fmt::print("{:<12} : {:11.3f} micros/op;{}\n", name, r.micros_per_op, extra);
    std::fflush(stdout);
    return r;
  }

  // LevelDB-style progress on stderr for long runs: "... finished 200000 ops".
  void Progress(int thread, int64_t done) {
    if (thread != 0 || done < next_report_) return;
    if (next_report_ < 1000) next_report_ += 100;
    else if (next_report_ < 5000) next_report_ += 500;
    else if (next_report_ < 10000) next_report_ += 1000;
    else if (next_report_ < 50000) next_report_ += 5000;
    else if (next_report_ < 100000) next_report_ += 10000;
    else if (next_report_ < 500000) next_report_ += 50000;
    else next_report_ += 100000;
    if (isatty(STDERR_FILENO)) {
      fmt::print(stderr, "... finished {} ops{:30}\r", done, "");
      progress_shown_ = true;
    } else if (done % 250000 == 0) {
      fmt::print(stderr, "... finished {} ops\n", done);  // a log file gets whole lines
    }
  }

  [[noreturn]] void Die(const char* what) {
    fmt::print(stderr, "{}: {} failed\n", engine_->name(), what);
    std::exit(1);
  }

  const Config& cfg_;
  BenchEngine* engine_;
  ValueGenerator values_;
  int64_t user_bytes_ = 0;
  int64_t next_report_ = 100;
  bool progress_shown_ = false;
};

std::unique_ptr<BenchEngine> MakeEngine(const std::string& name) {
  if (name == "ours") return NewOurEngine();
  if (name == "leveldb") return NewLevelDBEngine();
  if (name == "rocksdb") return NewRocksDBEngine();
  return nullptr;
}

std::string ToJson(const Result& r) {
  return fmt::format(
      R"({{"engine":"{}","benchmark":"{}","micros_per_op":{:.4f},"mb_per_s":{:.3f},"ops":{},"found":{}}})",
      r.engine, r.benchmark, r.micros_per_op, r.mb_per_s, r.ops, r.found);
}

// Parses the JSON lines written by the children (only our own simple format).
std::vector<Result> ReadResults(const std::string& path) {
  std::vector<Result> out;
  std::ifstream in(path);
  std::string line;
  auto field = [&](const std::string& l, const std::string& key) {
    auto p = l.find("\"" + key + "\":");
    if (p == std::string::npos) return std::string();
    p += key.size() + 3;
    if (l[p] == '"') return l.substr(p + 1, l.find('"', p + 1) - p - 1);
    return l.substr(p, l.find_first_of(",}", p) - p);
  };
  while (std::getline(in, line)) {
    Result r;
    r.engine = field(line, "engine");
    r.benchmark = field(line, "benchmark");
    r.micros_per_op = std::stod(field(line, "micros_per_op"));
    r.mb_per_s = std::stod(field(line, "mb_per_s"));
    out.push_back(r);
  }
  return out;
}

void PrintComparison(const std::vector<Result>& results, const std::vector<std::string>& engines) {
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, double>> table;  // bench -> engine -> value
  for (const auto& r : results) {
    if (std::find(order.begin(), order.end(), r.benchmark) == order.end()) order.push_back(r.benchmark);
    table[r.benchmark][r.engine] = r.micros_per_op;
  }
  fmt::print("\n{:<20}", "micros/op");
  for (const auto& e : engines) fmt::print(" {:>10}", e);
  for (const auto& e : engines) {
    if (e != "ours" && std::find(engines.begin(), engines.end(), "ours") != engines.end()) {
      fmt::print(" {:>14}", "ours/" + e);
    }
  }
  fmt::print("\n");
  for (const auto& b : order) {
    fmt::print("{:<20}", b == "peak_rss_mib" ? "peak RSS (MiB)" : b == "write_amplification" ? "write amp" : b);
    for (const auto& e : engines) {
      auto it = table[b].find(e);
      if (it == table[b].end()) fmt::print(" {:>10}", "-");
      else fmt::print(" {:>10.3f}", it->second);
    }
    auto ours = table[b].find("ours");
    for (const auto& e : engines) {
      if (e == "ours" || std::find(engines.begin(), engines.end(), "ours") == engines.end()) continue;
      auto peer = table[b].find(e);
      if (ours == table[b].end() || peer == table[b].end() || peer->second == 0) fmt::print(" {:>14}", "-");
      else fmt::print(" {:>14.2f}", ours->second / peer->second);
    }
    fmt::print("\n");
  }
  fmt::print("(ratio < 1: ours is faster / smaller; for micros/op, write amp and RSS lower is better)\n");
}

}  // namespace
}  // namespace lsm::bench

int main(int argc, char** argv) {
  using namespace lsm::bench;
  Config cfg;
  lsm::Flags flags("db_bench",
                   "Runs LevelDB's db_bench workloads on our engine, LevelDB and RocksDB with\n"
                   "matched settings (no compression, 4 MiB write buffer, 10 bloom bits, 8 MiB cache).");
  flags.String("benchmarks", &cfg.benchmarks, "comma-separated workloads (also: compact)");
  flags.String("engine", &cfg.engines, "comma-separated engines: ours, leveldb, rocksdb");
  flags.Int("num", &cfg.num, 1, 1000000000, "number of keys");
  flags.Int("reads", &cfg.reads, -1, 1000000000, "number of reads (-1: num)");
  flags.Int("value_size", &cfg.value_size, 0, 1 << 20, "value size in bytes");
  flags.Int("threads", &cfg.threads, 1, 256, "threads per workload");
  flags.String("db", &cfg.db, "database path prefix (the engine name is appended)");
  flags.Bool("use_existing_db", &cfg.use_existing_db, "do not destroy the database first");
  flags.String("results", &cfg.results, "append JSON lines with the results to this file");
  flags.Int("cache_size", &cfg.cache_size, 0, int64_t{64} << 30, "block cache bytes");
  flags.Int("write_buffer_size", &cfg.write_buffer_size, 64 << 10, int64_t{1} << 30,
            "memtable bytes");
  flags.Int("bloom_bits", &cfg.bloom_bits, 0, 100, "bloom filter bits per key (0: none)");
  flags.Bool("compression", &cfg.compression, "snappy compression");
  flags.String("trace", &cfg.engine_options.trace_path,
               "ours only: write the engine's events to this file for lsmviz");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  cfg.engine_options.block_cache_bytes = static_cast<size_t>(cfg.cache_size);
  cfg.engine_options.write_buffer_size = static_cast<size_t>(cfg.write_buffer_size);
  cfg.engine_options.bloom_bits_per_key = static_cast<int>(cfg.bloom_bits);
  cfg.engine_options.compression = cfg.compression;

  std::vector<std::string> engines;
  std::stringstream list(cfg.engines);
  for (std::string e; std::getline(list, e, ',');) {
    if (e.empty()) continue;
    if (MakeEngine(e) == nullptr) {
      return flags.Fail(lsm::Status::InvalidArgument("unknown or unavailable engine '{}'", e));
    }
    engines.push_back(e);
  }
  std::string results_path = cfg.results.empty()
                                 ? fmt::format("/tmp/db_bench_results_{}.jsonl", getpid())
                                 : cfg.results;
  if (cfg.results.empty()) std::remove(results_path.c_str());

  fmt::print("Keys:       16 bytes each\nValues:     {} bytes each\nEntries:    {}\n"
             "Compression: {}\nEngines:    {}\n",
             cfg.value_size, cfg.num, cfg.compression ? "snappy" : "none", cfg.engines);
  int failures = 0;
  for (const auto& e : engines) {
    fmt::print("------------------------------------------------\n[{}]\n", e);
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      auto engine = MakeEngine(e);
      Runner runner(cfg, engine.get());
      auto results = runner.RunAll();
      std::ofstream out(results_path, std::ios::app);
      for (const auto& r : results) out << ToJson(r) << "\n";
      out.close();
      std::fflush(stdout);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fmt::print(stderr, "[{}] failed (status {})\n", e, status);
      ++failures;
    }
  }
  auto results = ReadResults(results_path);
  PrintComparison(results, engines);
  if (cfg.results.empty()) std::remove(results_path.c_str());
  return failures == 0 ? 0 : 1;
}
