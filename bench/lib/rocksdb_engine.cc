// RocksDB (Debian librocksdb-dev) behind the BenchEngine interface, configured to match
// LevelDB's shape: 4 MiB memtable, bloom filter, LRU block cache, no compression, and either
//   "leveled"    leveled compaction with LevelDB's triggers and sizes (db_bench's setting), or
//   "universal"  kCompactionStyleUniversal with RocksDB's CompactionOptionsUniversal defaults
//                (size_ratio 1, min_merge_width 2, max_size_amplification_percent 200,
//                compaction at 4 sorted runs); the write-stall triggers stay LevelDB's 8/12 L0
//                files, as for leveled and as in our engine.
// With EngineOptions::collect_counters the DB keeps a Statistics object, and Counters()
// reports its tickers plus the calling thread's PerfContext (see Counters below).
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/universal_compaction.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "bench/lib/leveldb_like_engine.h"

namespace lsm::bench {
namespace {

struct RocksDBApi {
  static constexpr const char* kName = "rocksdb";
  using DB = rocksdb::DB;
  using Options = rocksdb::Options;
  using ReadOptions = rocksdb::ReadOptions;
  using WriteOptions = rocksdb::WriteOptions;
  using Slice = rocksdb::Slice;
  using Iterator = rocksdb::Iterator;
  static rocksdb::Status DestroyDB(const std::string& dir, const Options& o) {
    return rocksdb::DestroyDB(dir, o);
  }
  static void CompactAll(DB* db) {
    (void)db->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  }
  static std::vector<std::string> CompactionStyles() { return {"leveled", "universal"}; }

  Options MakeOptions(const EngineOptions& o) {
    Options options;
    options.create_if_missing = true;
    options.compression = o.compression ? rocksdb::kSnappyCompression : rocksdb::kNoCompression;
    options.write_buffer_size = o.write_buffer_size;
    options.max_write_buffer_number = 2;
    options.level0_file_num_compaction_trigger = 4;
    options.level0_slowdown_writes_trigger = 8;
    options.level0_stop_writes_trigger = 12;
    options.max_bytes_for_level_base = 10 << 20;
    options.target_file_size_base = o.target_file_size;
    options.max_open_files = o.max_open_files;
    options.max_background_jobs = 2;
    if (o.compaction_style == "universal") {
      options.compaction_style = rocksdb::kCompactionStyleUniversal;
      options.compaction_options_universal = rocksdb::CompactionOptionsUniversal();
    } else if (o.compaction_style != "leveled") {
      throw std::invalid_argument(
          fmt::format("RocksDB: unknown compaction style '{}' (valid: leveled, universal)",
                      o.compaction_style));
    }
    rocksdb::BlockBasedTableOptions table;  // RocksDB holds these by shared_ptr itself
    table.block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
    table.block_size = o.block_size;
    if (o.bloom_bits_per_key > 0) {
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(o.bloom_bits_per_key));
    }
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    statistics_ = o.collect_counters ? rocksdb::CreateDBStatistics() : nullptr;
    // Tickers and histograms, but no per-operation timers (they would read the clock on every
    // Get and Put and slow RocksDB down against the engines that keep no such statistics).
    if (statistics_) statistics_->set_stats_level(rocksdb::StatsLevel::kExceptTimers);
    options.statistics = statistics_;
    return options;
  }

  // RocksDB 7.8 has no public WaitForCompact. "compaction-pending" alone is not enough: with
  // universal compaction at exactly level0_file_num_compaction_trigger sorted runs it stays 1
  // while the picker finds nothing to do ("Compaction nothing to do" in the LOG) until the
  // next flush. So: idle once no flush is pending or running and no compaction is running,
  // and either none is pending or that has lasted 500 ms (a queued job starts well within).
  void WaitForCompactions(DB* db) {
    rocksdb::FlushOptions flush;
    flush.wait = true;
    (void)db->Flush(flush);
    auto value = [db](const std::string& property) {
      uint64_t n = 0;
      return db->GetIntProperty(property, &n) ? n : 0;
    };
    using Clock = std::chrono::steady_clock;
    auto quiet_since = Clock::now();
    for (;;) {
      const bool running = value(DB::Properties::kMemTableFlushPending) > 0 ||
                           value(DB::Properties::kNumRunningFlushes) > 0 ||
                           value(DB::Properties::kNumRunningCompactions) > 0;
      if (running) {
        quiet_since = Clock::now();
      } else if (value(DB::Properties::kCompactionPending) == 0 ||
                 Clock::now() - quiet_since >= std::chrono::milliseconds(500)) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void SetReadCounting(bool on) {
    rocksdb::SetPerfLevel(on ? rocksdb::PerfLevel::kEnableCount : rocksdb::PerfLevel::kDisable);
  }

  // Tickers (process-wide, this DB's Statistics) for the bytes, stalls, filters and data
  // blocks; the calling thread's PerfContext for iterator seeks. Each table of this config has
  // a full bloom filter that every point lookup reaching the table probes, so get.tables is
  // the filter probe count (BLOOM_FILTER_USEFUL: the filter said no; FULL_POSITIVE: maybe).
  //
  // Without Statistics (db_bench's setting) only the write stalls, from the DB's own stats
  // properties, which cost nothing until read: the stall conditions from cfstats and the
  // stall time from db-stats' "Cumulative stall: HH:MM:SS.sss H:M:S" line.
  EngineCounters Counters(DB* db) {
    EngineCounters c;
    if (statistics_ == nullptr) {
      StallCount(db, &c);
      std::string text;
      int h = 0, m = 0;
      double sec = 0;
      if (db->GetProperty(DB::Properties::kDBStats, &text)) {
        if (auto p = text.find("Cumulative stall: "); p != std::string::npos &&
            std::sscanf(text.c_str() + p + 18, "%d:%d:%lf", &h, &m, &sec) == 3) {
          c["stall_micros"] = ((h * 60.0 + m) * 60.0 + sec) * 1e6;
        }
      }
      return c;
    }
    auto t = [this](rocksdb::Tickers ticker) {
      return static_cast<double>(statistics_->getTickerCount(ticker));
    };
    c["flush_bytes"] = t(rocksdb::FLUSH_WRITE_BYTES);
    c["compaction_bytes"] = t(rocksdb::COMPACT_WRITE_BYTES);
    c["table_bytes"] = c["flush_bytes"] + c["compaction_bytes"];
    c["log_bytes"] = t(rocksdb::WAL_FILE_BYTES);
    c["stall_micros"] = t(rocksdb::STALL_MICROS);
    StallCount(db, &c);
    c["get.filters"] = t(rocksdb::BLOOM_FILTER_USEFUL) + t(rocksdb::BLOOM_FILTER_FULL_POSITIVE);
    c["get.tables"] = c["get.filters"];
    // Data blocks go through the block cache (a miss reads the file, then inserts).
    const double data_hits = t(rocksdb::BLOCK_CACHE_DATA_HIT);
    const double data_blocks = data_hits + t(rocksdb::BLOCK_CACHE_DATA_MISS);
    // Point lookups and scans run in separate phases, so the lab attributes these by phase.
    c["get.blocks"] = c["scan.blocks"] = data_blocks;
    c["get.cache_hits"] = data_hits;
    // The merging iterator seeks every child: the memtables, each L0 file, each level.
    const rocksdb::PerfContext* perf = rocksdb::get_perf_context();
    c["scan.runs"] = static_cast<double>(perf->seek_child_seek_count) -
                     static_cast<double>(perf->seek_on_memtable_count);
    return c;
  }

  // Stall events: how often the write controller entered a slowdown or stop condition
  // (rocksdb.cfstats "Stalls(count)"), not how many writes waited as ours counts.
  static void StallCount(DB* db, EngineCounters* c) {
    std::map<std::string, std::string> cf;
    if (db->GetMapProperty(DB::Properties::kCFStats, &cf) &&
        cf.contains("io_stalls.total_slowdown") && cf.contains("io_stalls.total_stop")) {
      (*c)["stall_count"] = std::stod(cf["io_stalls.total_slowdown"]) +
                            std::stod(cf["io_stalls.total_stop"]);
    }
  }

  std::shared_ptr<rocksdb::Statistics> statistics_;
};

}  // namespace

std::unique_ptr<BenchEngine> NewRocksDBEngine() {
  return std::make_unique<LevelDBLikeEngine<RocksDBApi>>();
}

}  // namespace lsm::bench
