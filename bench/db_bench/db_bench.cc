// db_bench: LevelDB's benchmark driver, re-made to run the same workloads on our engine,
// LevelDB 1.23 and RocksDB in one run, each in its own child process (so peak memory is per
// engine), with matched settings. Prints LevelDB's line format per workload, then a comparison
// table with the ratio ours/peer, and appends JSON lines to --results for bench/peer_report.py.
//
//   db_bench --engine=ours,leveldb,rocksdb --num=1000000 --benchmarks=fillseq,readrandom
//   db_bench --benchmarks=ycsb_load,ycsb_a,ycsb_b,ycsb_c,ycsb_f,ycsb_d,ycsb_e --ycsb_ops=1000000
//   db_bench --benchmarks=fillrandom,readwhilewriting --threads=1 --writes_per_sec=10000
//
// Beyond LevelDB's workloads:
//   ycsb_load         inserts --num YCSB records (record r under YcsbKey(r), see ycsb.h)
//   ycsb_a .. ycsb_f  YCSB's core workloads on the loaded records, --ycsb_ops operations in all
//                     (split over --threads), request distribution --ycsb_distribution
//   readwhilewriting  --threads readers doing --reads random reads each, plus one writer doing
//   seekwhilewriting  random puts paced to --writes_per_sec until the readers finish; the
//                     seek variant's readers Seek to a random key instead of Get
// These workloads always time every operation (a Histogram per operation kind: p50, p99,
// p99.9, max — nearest-rank, see bench/lib/histogram.h); LevelDB's workloads do with
// --histogram. Each workload also records its ops/s over time (every --sample_ms) and its write
// stalls: the engine's own count and time where it reports them (ours: the "stall:" line of
// lsm.amplification, DBImpl's counters of the writes MakeRoomForWrite slowed by 1 ms or stopped;
// RocksDB: cfstats stall conditions and db-stats cumulative stall time), and for every engine
// the writes slower than 1 ms ("spikes").
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench/lib/engine.h"
#include "bench/lib/histogram.h"
#include "bench/lib/process_io.h"
#include "bench/db_bench/rate_limiter.h"
#include "bench/db_bench/thread_stats.h"
#include "bench/db_bench/ycsb.h"
#include "common/clock.h"
#include "common/flags.h"
#include "common/main_guard.h"
#include "common/random.h"

namespace lsm::bench {
namespace {

// The workloads --benchmarks accepts, for the usage text and the check before any run.
constexpr const char* kLevelDBWorkloads =
    "fillseq, fillsync, fillrandom, overwrite, readrandom, readmissing, readseq, readreverse, "
    "seekrandom, deleterandom, compact";
constexpr const char* kMoreWorkloads =
    "ycsb_load, ycsb_a, ycsb_b, ycsb_c, ycsb_d, ycsb_e, ycsb_f, readwhilewriting, "
    "seekwhilewriting";

// Returns "" when name is a workload db_bench runs, else the error to print.
std::string CheckWorkload(const std::string& name) {
  for (const char* list : {kLevelDBWorkloads, kMoreWorkloads}) {
    std::stringstream names(list);
    for (std::string n; std::getline(names, n, ',');) {
      if (n.substr(n.find_first_not_of(' ')) == name) return "";
    }
  }
  if (name.starts_with("ycsb_") || name.starts_with("ycsb")) {
    return fmt::format("unknown YCSB workload '{}': the core workloads are A-F "
                       "(ycsb_a .. ycsb_f), after ycsb_load", name);
  }
  return fmt::format("unknown benchmark '{}'; valid: {}, {}", name, kLevelDBWorkloads,
                     kMoreWorkloads);
}

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
  bool histogram = false;       // time LevelDB's workloads too
  int64_t ycsb_ops = -1;        // -1: num
  YcsbDistribution ycsb_distribution = YcsbDistribution::kZipfian;
  int64_t writes_per_sec = 10000;  // the *whilewriting writer's pace
  int64_t sample_ms = 1000;        // throughput-over-time interval
};

// One operation kind's latencies, in microseconds.
struct Latency {
  std::string op;
  uint64_t count = 0;
  double p50 = 0, p99 = 0, p999 = 0, max = 0;
};

struct Result {
  std::string engine, benchmark;
  double micros_per_op = 0, mb_per_s = 0;
  int64_t ops = 0, found = -1;
  // Filled by the timed workloads (YCSB, *whilewriting, any with --histogram).
  std::vector<Latency> latency;
  std::string stall_source;             // "engine" or "spikes" ("" = not measured)
  double stall_micros = -1, stall_count = -1;  // -1: the engine does not report stalls
  double spike_micros = 0, spike_count = 0;    // writes slower than 1 ms
  std::vector<double> ops_per_sec;      // every --sample_ms, the workload's threads
  // *whilewriting only: the writer's operations and rate, and its series.
  int64_t writer_ops = -1;
  double writer_ops_per_sec = 0;
  std::vector<double> writer_ops_per_sec_series;
};

// A workload body: runs thread t's share, counting into *stats and *bytes; returns the number
// of lookups that found their key, or -1 when that means nothing.
using Body = std::function<int64_t(int t, ThreadStats* stats, int64_t* bytes)>;

class Runner {
 public:
  Runner(const Config& cfg, BenchEngine* engine) : cfg_(cfg), engine_(engine) {}

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
      const bool fresh =
          name == "fillseq" || name == "fillrandom" || name == "fillsync" || name == "ycsb_load";
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
  // Runs op, timing it into kind's histogram when timed.
  template <typename Op>
  static auto Timed(bool timed, ThreadStats* s, OpKind kind, Op&& op) {
    if (!timed) return op();
    const uint64_t start = NowNanos();
    auto result = op();
    s->Record(kind, NowNanos() - start);
    return result;
  }

  Body LevelDBWorkload(const std::string& name) {
    const int64_t num = cfg_.num;
    const int64_t reads = cfg_.reads < 0 ? num : cfg_.reads;
    const auto vs = static_cast<size_t>(cfg_.value_size);
    const bool timed = cfg_.histogram;
    auto write = [&](bool seq, int64_t n, bool sync) -> Body {
      return [=, this](int t, ThreadStats* s, int64_t* bytes) -> int64_t {
        Random rnd(1000 + t);
        ValueGenerator gen(301 + t);
        for (int64_t i = 0; i < n; ++i) {
          const uint64_t k = seq ? static_cast<uint64_t>(i) : rnd.Uniform(static_cast<uint64_t>(num));
          const std::string key = MakeKey(k);
          const std::string_view value = gen.Next(vs);
          if (!Timed(timed, s, OpKind::kWrite, [&] { return engine_->Put(key, value, sync); })) {
            Die("put");
          }
          *bytes += 16 + static_cast<int64_t>(vs);
          Done(t, s);
        }
        return -1;
      };
    };
    if (name == "fillseq") return write(true, num, false);
    if (name == "fillrandom" || name == "overwrite") return write(false, num, false);
    if (name == "fillsync") return write(false, std::max<int64_t>(1, num / 1000), true);
    if (name == "readrandom" || name == "readmissing") {
      const bool missing = name == "readmissing";
      return [=, this](int t, ThreadStats* s, int64_t* bytes) -> int64_t {
        Random rnd(2000 + t);
        std::string value;
        int64_t found = 0;
        for (int64_t i = 0; i < reads; ++i) {
          std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(num)));
          if (missing) key += '.';
          if (Timed(timed, s, OpKind::kRead, [&] { return engine_->Get(key, &value); })) {
            ++found;
            *bytes += static_cast<int64_t>(key.size() + value.size());
          }
          Done(t, s);
        }
        return found;
      };
    }
    if (name == "readseq" || name == "readreverse") {
      const bool reverse = name == "readreverse";
      return [=, this](int t, ThreadStats* s, int64_t* bytes) -> int64_t {
        auto it = engine_->NewIterator();
        int64_t n = 0;
        for (reverse ? it->SeekToLast() : it->SeekToFirst(); it->Valid() && n < reads;
             reverse ? it->Prev() : it->Next()) {
          *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
          ++n;
          Done(t, s);
        }
        return n;
      };
    }
    if (name == "seekrandom") {
      return [=, this](int t, ThreadStats* s, int64_t*) -> int64_t {
        Random rnd(3000 + t);
        int64_t found = 0;
        auto it = engine_->NewIterator();
        for (int64_t i = 0; i < reads; ++i) {
          const std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(num)));
          if (Timed(timed, s, OpKind::kSeek, [&] {
                it->Seek(key);
                return it->Valid() && it->key() == key;
              })) {
            ++found;
          }
          Done(t, s);
        }
        return found;
      };
    }
    if (name == "deleterandom") {
      return [=, this](int t, ThreadStats* s, int64_t*) -> int64_t {
        Random rnd(4000 + t);
        for (int64_t i = 0; i < num; ++i) {
          const std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(num)));
          if (!Timed(timed, s, OpKind::kDelete, [&] { return engine_->Delete(key, false); })) {
            Die("delete");
          }
          Done(t, s);
        }
        return -1;
      };
    }
    if (name == "compact") {
      return [this](int t, ThreadStats* s, int64_t*) -> int64_t {
        engine_->CompactAll();
        Done(t, s);
        return -1;
      };
    }
    return nullptr;
  }

  // ycsb_load: records 0..num-1, claimed from a shared counter so threads split the load.
  Body YcsbLoad() {
    ycsb_records_.store(0);
    const auto vs = static_cast<size_t>(cfg_.value_size);
    return [=, this](int t, ThreadStats* s, int64_t* bytes) -> int64_t {
      ValueGenerator gen(301 + t);
      for (;;) {
        const uint64_t r = ycsb_records_.fetch_add(1);
        if (r >= static_cast<uint64_t>(cfg_.num)) break;
        const std::string key = YcsbKey(r);
        const std::string_view value = gen.Next(vs);
        if (!Timed(true, s, OpKind::kInsert, [&] { return engine_->Put(key, value, false); })) {
          Die("insert");
        }
        *bytes += static_cast<int64_t>(key.size() + vs);
        s->Wrote(static_cast<int64_t>(key.size() + vs));
        Done(t, s);
      }
      return -1;
    };
  }

  // ycsb_a .. ycsb_f on the records loaded (or num records of an existing database).
  Body YcsbRun(const YcsbWorkload& w) {
    if (ycsb_records_.load() < static_cast<uint64_t>(cfg_.num)) {
      ycsb_records_.store(static_cast<uint64_t>(cfg_.num));  // loaded by an earlier run
    }
    const int threads = static_cast<int>(cfg_.threads);
    const int64_t total = cfg_.ycsb_ops < 0 ? cfg_.num : cfg_.ycsb_ops;
    const uint64_t records = ycsb_records_.load();
    const auto expected_inserts = static_cast<uint64_t>(static_cast<double>(total) * w.insert);
    const YcsbDistribution d = w.latest ? YcsbDistribution::kLatest : cfg_.ycsb_distribution;
    const auto vs = static_cast<size_t>(cfg_.value_size);
    // Built here, before the clock starts (zeta over 10M records takes a while); each thread
    // gets a copy.
    const YcsbKeyChooser prototype(d, records, expected_inserts);
    return [=, this](int t, ThreadStats* s, int64_t* bytes) -> int64_t {
      const int64_t ops = total / threads + (t == 0 ? total % threads : 0);
      Random rnd(5000 + static_cast<uint64_t>(w.letter) * 100 + t);
      ValueGenerator gen(301 + t);
      YcsbKeyChooser chooser = prototype;
      std::string value;
      int64_t found = 0;
      auto read = [&](const std::string& key) {
        if (!engine_->Get(key, &value)) return false;
        ++found;
        *bytes += static_cast<int64_t>(key.size() + value.size());
        return true;
      };
      auto write = [&](const std::string& key) {
        if (!engine_->Put(key, gen.Next(vs), false)) Die("put");
        *bytes += static_cast<int64_t>(key.size() + vs);
        s->Wrote(static_cast<int64_t>(key.size() + vs));
        return true;
      };
      for (int64_t i = 0; i < ops; ++i) {
        const YcsbOp op = ChooseYcsbOp(w, &rnd);
        if (op == YcsbOp::kInsert) {
          const std::string key = YcsbKey(ycsb_records_.fetch_add(1));
          Timed(true, s, OpKind::kInsert, [&] { return write(key); });
        } else {
          const std::string key = YcsbKey(chooser.Next(&rnd, ycsb_records_.load()));
          switch (op) {
            case YcsbOp::kRead:
              Timed(true, s, OpKind::kRead, [&] { return read(key); });
              break;
            case YcsbOp::kUpdate:
              Timed(true, s, OpKind::kUpdate, [&] { return write(key); });
              break;
            case YcsbOp::kReadModifyWrite:
              Timed(true, s, OpKind::kReadModifyWrite, [&] { return read(key) && write(key); });
              break;
            case YcsbOp::kScan: {
              const uint64_t length = YcsbScanLength(&rnd);
              Timed(true, s, OpKind::kScan, [&] {
                auto it = engine_->NewIterator();
                uint64_t n = 0;
                for (it->Seek(key); it->Valid() && n < length; it->Next(), ++n) {
                  *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
                }
                return n;
              });
              break;
            }
            case YcsbOp::kInsert:
              break;
          }
        }
        Done(t, s);
      }
      return w.read + w.read_modify_write > 0 ? found : -1;  // E only scans and inserts
    };
  }

  // readwhilewriting / seekwhilewriting: the readers' body (the writer is WriterLoop).
  Body WhileWritingReaders(bool seek) {
    const int64_t num = cfg_.num;
    const int64_t reads = cfg_.reads < 0 ? num : cfg_.reads;
    return [=, this](int t, ThreadStats* s, int64_t* bytes) -> int64_t {
      Random rnd(6000 + t);
      std::string value;
      int64_t found = 0;
      std::unique_ptr<BenchIterator> it;
      for (int64_t i = 0; i < reads; ++i) {
        const std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(num)));
        bool hit;
        if (seek) {
          // A fresh iterator now and then, so the readers see the writer's data.
          if (i % 100 == 0) it = engine_->NewIterator();
          hit = Timed(true, s, OpKind::kSeek, [&] {
            it->Seek(key);
            return it->Valid() && it->key() == key;
          });
        } else {
          hit = Timed(true, s, OpKind::kRead, [&] { return engine_->Get(key, &value); });
          if (hit) *bytes += static_cast<int64_t>(key.size() + value.size());
        }
        if (hit) ++found;
        Done(t, s);
      }
      return found;
    };
  }

  // The *whilewriting writer: random puts over num keys, paced to --writes_per_sec by a token
  // bucket (10 ms of burst), until *stop (and at least once).
  void WriterLoop(const std::atomic<bool>* stop, ThreadStats* s) {
    Random rnd(7000);
    ValueGenerator gen(7001);
    const auto rate = static_cast<double>(cfg_.writes_per_sec);
    RateLimiter limiter(rate, NowMicros(), std::max(1.0, rate / 100));
    const auto vs = static_cast<size_t>(cfg_.value_size);
    do {  // at least one write, however quickly the readers finish
      if (const double wait = limiter.Acquire(NowMicros()); wait > 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(wait)));
      }
      const std::string key = MakeKey(rnd.Uniform(static_cast<uint64_t>(cfg_.num)));
      const std::string_view value = gen.Next(vs);
      if (!Timed(true, s, OpKind::kWrite, [&] { return engine_->Put(key, value, false); })) {
        Die("put");
      }
      s->Wrote(static_cast<int64_t>(key.size() + vs));
      s->Done();
    } while (!stop->load(std::memory_order_relaxed));
  }

  Result Run(const std::string& name) {
    Body body;
    bool while_writing = false;
    if (name == "ycsb_load") {
      body = YcsbLoad();
    } else if (name.starts_with("ycsb_") && name.size() == 6 && FindYcsbWorkload(name[5])) {
      body = YcsbRun(*FindYcsbWorkload(name[5]));
    } else if (name == "readwhilewriting" || name == "seekwhilewriting") {
      body = WhileWritingReaders(name == "seekwhilewriting");
      while_writing = true;
    } else {
      body = LevelDBWorkload(name);
    }
    if (!body) {  // main() checked the names; this is a workload added to one list only
      fmt::print(stderr, "{}\n", CheckWorkload(name));
      std::exit(2);
    }

    const int threads = static_cast<int>(std::max<int64_t>(1, cfg_.threads));
    ThroughputSampler::Group stats, writer;
    for (int t = 0; t < threads; ++t) stats.push_back(std::make_unique<ThreadStats>());
    if (while_writing) writer.push_back(std::make_unique<ThreadStats>());
    std::vector<int64_t> bytes(threads, 0), found(threads, -1);
    const EngineCounters counters_before = engine_->Counters();
    next_report_ = 100;
    const double start = NowMicros();
    ThroughputSampler sampler(cfg_.sample_ms, {&stats, &writer});
    std::atomic<bool> readers_done{false};
    std::thread writer_thread;
    if (while_writing) writer_thread = std::thread([&] { WriterLoop(&readers_done, writer[0].get()); });
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] { found[t] = body(t, stats[t].get(), &bytes[t]); });
    }
    for (auto& th : pool) th.join();
    const double elapsed = NowMicros() - start;
    readers_done.store(true);
    if (writer_thread.joinable()) writer_thread.join();
    const double writer_elapsed = NowMicros() - start;
    sampler.Stop();
    if (progress_shown_) {
      fmt::print(stderr, "\r{:60}\r", "");
      progress_shown_ = false;
    }
    Result r{engine_->name(), name};
    int64_t total_bytes = 0;
    for (int t = 0; t < threads; ++t) {
      r.ops += stats[t]->done();
      total_bytes += bytes[t];
      if (found[t] >= 0) r.found = (r.found < 0 ? 0 : r.found) + found[t];
    }
    if (name.starts_with("fill") || name == "overwrite") user_bytes_ += total_bytes;
    for (const auto* group : {&stats, &writer}) {
      for (const auto& st : *group) user_bytes_ += st->written_bytes();
    }
    r.micros_per_op = elapsed * threads / std::max<int64_t>(1, r.ops);
    r.mb_per_s = total_bytes > 0 ? (total_bytes / 1048576.0) / (elapsed / 1e6) : 0;
    r.ops_per_sec = sampler.series(0);
    if (while_writing) {
      r.writer_ops = writer[0]->done();
      r.writer_ops_per_sec = static_cast<double>(r.writer_ops) / (writer_elapsed / 1e6);
      r.writer_ops_per_sec_series = sampler.series(1);
    }
    Summarize(stats, writer, counters_before, &r);
    Print(r);
    return r;
  }

  // Merges the threads' histograms into r.latency and fills r's stall figures.
  void Summarize(const ThroughputSampler::Group& stats, const ThroughputSampler::Group& writer,
                 const EngineCounters& before, Result* r) {
    for (int kind = 0; kind < kOpKinds; ++kind) {
      Histogram merged;
      for (const auto* group : {&stats, &writer}) {
        for (const auto& s : *group) {
          if (const Histogram* h = s->histogram(kind)) merged.Merge(*h);
        }
      }
      if (merged.count() == 0) continue;
      // The spikes: updates, inserts, read-modify-writes and writes slower than 1 ms.
      if (kind != static_cast<int>(OpKind::kRead) && kind != static_cast<int>(OpKind::kScan) &&
          kind != static_cast<int>(OpKind::kSeek)) {
        r->spike_count += static_cast<double>(merged.slow_count());
        r->spike_micros += static_cast<double>(merged.slow_sum()) / 1e3;
      }
      r->latency.push_back(Latency{std::string(kOpKindNames[kind]), merged.count(),
                                   merged.Percentile(50) / 1e3, merged.Percentile(99) / 1e3,
                                   merged.Percentile(99.9) / 1e3,
                                   static_cast<double>(merged.max()) / 1e3});
    }
    if (r->latency.empty()) return;  // an untimed LevelDB workload
    const EngineCounters after = engine_->Counters();
    auto delta = [&](const std::string& key) {
      auto a = after.find(key), b = before.find(key);
      return a == after.end() ? -1.0 : a->second - (b == before.end() ? 0 : b->second);
    };
    r->stall_micros = delta("stall_micros");
    r->stall_count = delta("stall_count");
    r->stall_source = r->stall_micros >= 0 ? "engine" : "spikes";
  }

  void Print(const Result& r) {
    std::string extra;
    if (r.mb_per_s > 0) extra = fmt::format(" {:8.1f} MB/s;", r.mb_per_s);
    if (r.found >= 0 && r.benchmark != "readseq" && r.benchmark != "readreverse") {
      extra += fmt::format(" ({} of {} found)", r.found, r.ops);
    }
    fmt::print("{:<12} : {:11.3f} micros/op;{}\n", r.benchmark, r.micros_per_op, extra);
    if (r.writer_ops >= 0) {
      fmt::print("{:<12} : {} writes, {:.0f} writes/s (--writes_per_sec={})\n", "  writer",
                 r.writer_ops, r.writer_ops_per_sec, cfg_.writes_per_sec);
    }
    for (const Latency& l : r.latency) {
      fmt::print("  {:<10} : count {:>9}  p50 {:9.2f}  p99 {:9.2f}  p99.9 {:9.2f}  max {:10.2f}  "
                 "(micros)\n", l.op, l.count, l.p50, l.p99, l.p999, l.max);
    }
    if (!r.stall_source.empty()) {
      std::string engine = r.stall_micros >= 0
                               ? fmt::format("engine-reported {:.0f} ({:.1f} ms)",
                                             std::max(0.0, r.stall_count), r.stall_micros / 1e3)
                               : "engine-reported: not available";
      fmt::print("  {:<10} : {}; writes > 1 ms: {:.0f} ({:.1f} ms)\n", "stalls", engine,
                 r.spike_count, r.spike_micros / 1e3);
    }
    std::fflush(stdout);
  }

  // One more operation of thread t: counts it, and prints progress for thread 0.
  void Done(int t, ThreadStats* s) {
    s->Done();
    Progress(t, s->done());
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
  int64_t user_bytes_ = 0;
  int64_t next_report_ = 100;
  bool progress_shown_ = false;
  // YCSB: records inserted so far (ycsb_load's claim counter, then the run phases' inserts).
  std::atomic<uint64_t> ycsb_records_{0};
};

std::unique_ptr<BenchEngine> MakeEngine(const std::string& name) {
  if (name == "ours") return NewOurEngine();
  if (name == "leveldb") return NewLevelDBEngine();
  if (name == "rocksdb") return NewRocksDBEngine();
  return nullptr;
}

std::string JsonSeries(const std::vector<double>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += fmt::format("{}{:.0f}", i == 0 ? "" : ",", v[i]);
  return out + "]";
}

// One JSON line per result. LevelDB's fields first (ReadResults and older reports read only
// those); then, where measured, "latency" (per operation kind, microseconds), the stall
// figures ("stall_micros"/"stall_count" absent when the engine reports none), "ops_per_sec"
// (one rate per --sample_ms interval, "sample_ms" long) and the *whilewriting writer's figures.
std::string ToJson(const Result& r, int64_t sample_ms) {
  std::string out = fmt::format(
      R"({{"engine":"{}","benchmark":"{}","micros_per_op":{:.4f},"mb_per_s":{:.3f},"ops":{},"found":{})",
      r.engine, r.benchmark, r.micros_per_op, r.mb_per_s, r.ops, r.found);
  if (!r.latency.empty()) {
    out += R"(,"latency":{)";
    for (size_t i = 0; i < r.latency.size(); ++i) {
      const Latency& l = r.latency[i];
      out += fmt::format(
          R"({}"{}":{{"count":{},"p50_us":{:.3f},"p99_us":{:.3f},"p999_us":{:.3f},"max_us":{:.3f}}})",
          i == 0 ? "" : ",", l.op, l.count, l.p50, l.p99, l.p999, l.max);
    }
    out += fmt::format(R"(}},"stall_source":"{}","spike_count":{:.0f},"spike_micros":{:.0f})",
                       r.stall_source, r.spike_count, r.spike_micros);
    if (r.stall_micros >= 0) out += fmt::format(R"(,"stall_micros":{:.0f})", r.stall_micros);
    if (r.stall_count >= 0) out += fmt::format(R"(,"stall_count":{:.0f})", r.stall_count);
  }
  if (r.benchmark != "write_amplification" && r.benchmark != "peak_rss_mib") {
    out += fmt::format(R"(,"sample_ms":{},"ops_per_sec":{})", sample_ms, JsonSeries(r.ops_per_sec));
  }
  if (r.writer_ops >= 0) {
    out += fmt::format(R"(,"writer_ops":{},"writer_ops_per_sec":{:.1f},"writer_series":{})",
                       r.writer_ops, r.writer_ops_per_sec, JsonSeries(r.writer_ops_per_sec_series));
  }
  return out + "}";
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

static int Main(int argc, char** argv) {
  using namespace lsm::bench;
  Config cfg;
  lsm::Flags flags("db_bench",
                   "Runs LevelDB's db_bench workloads on our engine, LevelDB and RocksDB with\n"
                   "matched settings (no compression, 4 MiB write buffer, 10 bloom bits, 8 MiB cache).");
  flags.String("benchmarks", &cfg.benchmarks,
               fmt::format("comma-separated workloads: {},\n      {}", kLevelDBWorkloads,
                           kMoreWorkloads));
  flags.String("engine", &cfg.engines, "comma-separated engines: ours, leveldb, rocksdb");
  flags.Int("num", &cfg.num, 1, 1000000000, "number of keys (YCSB: records ycsb_load inserts)");
  flags.Int("reads", &cfg.reads, -1, 1000000000,
            "number of reads per thread (-1: num); also the *whilewriting readers'");
  flags.Int("value_size", &cfg.value_size, 0, 1 << 20, "value size in bytes");
  flags.Int("threads", &cfg.threads, 1, 256,
            "threads per workload (*whilewriting: reader threads, plus one writer)");
  flags.String("db", &cfg.db, "database path prefix (the engine name is appended)");
  flags.Bool("use_existing_db", &cfg.use_existing_db, "do not destroy the database first");
  flags.String("results", &cfg.results, "append JSON lines with the results to this file");
  flags.Int("cache_size", &cfg.cache_size, 0, int64_t{64} << 30, "block cache bytes");
  flags.Int("write_buffer_size", &cfg.write_buffer_size, 64 << 10, int64_t{1} << 30,
            "memtable bytes");
  flags.Int("bloom_bits", &cfg.bloom_bits, 0, 100, "bloom filter bits per key (0: none)");
  flags.Bool("compression", &cfg.compression, "snappy compression");
  flags.Bool("mmap_tables", &cfg.engine_options.mmap_tables,
             "ours only: read tables through a memory map (default true; false: pread + block "
             "cache, so peak RSS excludes the mapped files)");
  flags.String("trace", &cfg.engine_options.trace_path,
               "ours only: write the engine's events to this file for lsmviz");
  flags.Bool("histogram", &cfg.histogram,
             "time each operation of LevelDB's workloads too (YCSB and *whilewriting always do)");
  flags.Int("ycsb_ops", &cfg.ycsb_ops, -1, 1000000000,
            "operations of each ycsb_a..ycsb_f run, all threads together (-1: num)");
  std::string distribution = "zipfian";
  flags.String("ycsb_distribution", &distribution,
               "zipfian (scrambled, constant 0.99) or uniform: the request distribution of\n"
               "      ycsb_a, b, c, e, f (ycsb_d always reads the latest records)");
  flags.Int("writes_per_sec", &cfg.writes_per_sec, 1, 100000000,
            "*whilewriting: the writer's pace (token bucket, 10 ms burst)");
  flags.Int("sample_ms", &cfg.sample_ms, 10, 60000,
            "throughput-over-time interval (ops completed per interval, in the JSON results)");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  cfg.engine_options.block_cache_bytes = static_cast<size_t>(cfg.cache_size);
  cfg.engine_options.write_buffer_size = static_cast<size_t>(cfg.write_buffer_size);
  cfg.engine_options.bloom_bits_per_key = static_cast<int>(cfg.bloom_bits);
  cfg.engine_options.compression = cfg.compression;
  if (distribution == "zipfian") {
    cfg.ycsb_distribution = YcsbDistribution::kZipfian;
  } else if (distribution == "uniform") {
    cfg.ycsb_distribution = YcsbDistribution::kUniform;
  } else {
    return flags.Fail(lsm::Status::InvalidArgument(
        "--ycsb_distribution={}: valid distributions are zipfian and uniform", distribution));
  }
  if (cfg.ycsb_ops == 0) {
    return flags.Fail(lsm::Status::InvalidArgument("--ycsb_ops=0: give a positive count, or -1"));
  }
  {
    std::stringstream names(cfg.benchmarks);
    for (std::string name; std::getline(names, name, ',');) {
      if (name.empty()) continue;
      if (std::string err = CheckWorkload(name); !err.empty()) {
        return flags.Fail(lsm::Status::InvalidArgument("{}", err));
      }
    }
  }

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
  // A results file that cannot be written fails now, by name, not after the runs.
  if (std::ofstream probe(results_path, std::ios::app); !probe) {
    fmt::print(stderr, "db_bench: cannot append to the results file {}: {}\n", results_path,
               std::strerror(errno));
    return 1;
  }

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
      for (const auto& r : results) out << ToJson(r, cfg.sample_ms) << "\n";
      out.close();
      std::fflush(stdout);
      _exit(out ? 0 : 1);
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

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
