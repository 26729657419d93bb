// BenchEngine: the narrow interface db_bench drives, implemented once per engine (ours,
// LevelDB 1.23, RocksDB) so the same workload code runs on each with matched settings.
//
// The compaction lab (bench/compaction_lab/) uses the same engines with a compaction style per
// run and reads each engine's own counters through Counters().
//
// Thread-safety: Put/Get/Delete/NewIterator may be called from several threads at once (all
// three engines are thread-safe); Open/Close/CompactAll/WaitForCompactions from one thread;
// SetReadCounting and Counters' per-thread read counters from the thread doing the reads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lsm::bench {

// Settings every engine gets, matched across engines (db_bench's defaults unless noted).
struct EngineOptions {
  bool compression = false;           // the comparison runs uncompressed
  size_t write_buffer_size = 4 << 20;  // 4 MiB memtable
  int bloom_bits_per_key = 10;
  size_t block_cache_bytes = 8 << 20;  // 8 MiB block cache
  size_t block_size = 4096;
  int max_open_files = 1000;
  uint64_t target_file_size = 2 << 20;  // table files a compaction writes (LevelDB's 2 MiB)
  // One of the engine's CompactionStyles(); Open fails on any other name.
  std::string compaction_style = "leveled";
  // Let the engine keep the statistics Counters() reports, where that costs something
  // (RocksDB's Statistics object). db_bench leaves it off, so its timings are unchanged.
  bool collect_counters = false;
  // Ours only: write the engine's events to this JSON Lines trace (demo/trace_writer.h), to
  // replay with lsmviz. "" = no trace. Kept across reopens of the same engine object.
  std::string trace_path;
  // Ours only: read tables through a memory map (Options::mmap_tables, the default) or
  // through pread and the block cache. The map's pages count in the process's RSS.
  bool mmap_tables = true;
};

// What an engine measured about itself, cumulative since Open, keyed by the names below. A name
// the engine cannot measure is absent (the lab prints "—"), never a guess.
//   table_bytes, flush_bytes, compaction_bytes   bytes written to table files
//   log_bytes                                    bytes appended to the write-ahead log
//   stall_micros, stall_count                    time writes were slowed down or stopped, and
//                                                how often in the engine's own unit (ours:
//                                                writes; RocksDB: stall conditions entered)
//   get.tables      tables searched by point lookups (at most one per sorted run)
//   get.filters     bloom filters probed by point lookups
//   get.blocks      data blocks searched by point lookups (cache hits included)
//   get.cache_hits  of those, found in the block cache
//   scan.runs       sorted runs positioned by iterator seeks
//   scan.tables     table iterators opened by iterators
//   scan.blocks     data blocks read by iterators (cache hits included)
//   minilsm.write_amp, minilsm.space_amp   mini-lsm's file-count definitions, since Open:
//                   table files written / flushes, most live files / flushes
using EngineCounters = std::map<std::string, double>;

// A forward/backward cursor over user keys.
class BenchIterator {
 public:
  virtual ~BenchIterator() = default;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  virtual void Seek(std::string_view key) = 0;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
};

// Wraps any engine's own iterator (leveldb::Iterator, rocksdb::Iterator, lsm::Iterator): all
// three have the same methods, and key()/value() return something with data() and size().
template <typename EngineIterator>
class IteratorAdapter final : public BenchIterator {
 public:
  explicit IteratorAdapter(std::unique_ptr<EngineIterator> it) : it_(std::move(it)) {}
  void SeekToFirst() override { it_->SeekToFirst(); }
  void SeekToLast() override { it_->SeekToLast(); }
  void Seek(std::string_view k) override { it_->Seek({k.data(), k.size()}); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  std::string_view key() const override { return View(it_->key()); }
  std::string_view value() const override { return View(it_->value()); }

 private:
  template <typename Bytes>
  static std::string_view View(const Bytes& b) { return std::string_view(b.data(), b.size()); }
  std::unique_ptr<EngineIterator> it_;
};

class BenchEngine {
 public:
  virtual ~BenchEngine() = default;
  virtual std::string name() const = 0;
  // Opens (creating if missing) the database in dir. Returns "" on success, else the error.
  virtual std::string Open(const std::string& dir, const EngineOptions& options) = 0;
  virtual void Close() = 0;
  // Removes the database in dir (the engine's own DestroyDB).
  virtual void Destroy(const std::string& dir) = 0;
  virtual bool Put(std::string_view key, std::string_view value, bool sync) = 0;
  // Returns true and fills *value when found.
  virtual bool Get(std::string_view key, std::string* value) = 0;
  virtual bool Delete(std::string_view key, bool sync) = 0;
  virtual std::unique_ptr<BenchIterator> NewIterator() = 0;
  virtual void CompactAll() = 0;
  // Files per level as text, e.g. "L0:2 L1:5 L2:40".
  virtual std::string LevelSummary() = 0;

  // --- For the compaction lab; the defaults suit an engine that measures nothing. ---------
  // The names EngineOptions::compaction_style accepts, the default first.
  virtual std::vector<std::string> CompactionStyles() const { return {"leveled"}; }
  // Flushes the memtable and waits until no flush or compaction is queued or running.
  virtual void WaitForCompactions() {}
  // Turns on (or off) the per-operation read counters of the calling thread, where the engine
  // has a switch for them (RocksDB's PerfLevel).
  virtual void SetReadCounting(bool /*on*/) {}
  // The engine's own counters (see EngineCounters), read on the calling thread.
  virtual EngineCounters Counters() { return {}; }
};

// Factories; a missing engine (not compiled in) returns nullptr.
std::unique_ptr<BenchEngine> NewLevelDBEngine();
std::unique_ptr<BenchEngine> NewRocksDBEngine();
std::unique_ptr<BenchEngine> NewOurEngine();

}  // namespace lsm::bench
