// RocksDB (Debian librocksdb-dev) behind the BenchEngine interface, configured to match
// LevelDB's shape: leveled compaction with LevelDB's triggers and sizes, 4 MiB memtable,
// bloom filter, LRU block cache, no compression.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <fmt/format.h>

#include "bench/db_bench/engine.h"

namespace lsm::bench {
namespace {

class RocksDBEngine final : public BenchEngine {
 public:
  ~RocksDBEngine() override { Close(); }
  std::string name() const override { return "rocksdb"; }

  std::string Open(const std::string& dir, const EngineOptions& o) override {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.compression = o.compression ? rocksdb::kSnappyCompression : rocksdb::kNoCompression;
    options.write_buffer_size = o.write_buffer_size;
    options.max_write_buffer_number = 2;
    options.level0_file_num_compaction_trigger = 4;
    options.level0_slowdown_writes_trigger = 8;
    options.level0_stop_writes_trigger = 12;
    options.max_bytes_for_level_base = 10 << 20;
    options.target_file_size_base = 2 << 20;
    options.max_open_files = o.max_open_files;
    options.max_background_jobs = 2;
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
    table.block_size = o.block_size;
    if (o.bloom_bits_per_key > 0) {
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(o.bloom_bits_per_key));
    }
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir, &db);
    if (!s.ok()) return s.ToString();
    db_.reset(db);
    return "";
  }
  void Close() override { db_.reset(); }
  void Destroy(const std::string& dir) override {
    Close();
    (void)rocksdb::DestroyDB(dir, rocksdb::Options());
  }
  bool Put(std::string_view k, std::string_view v, bool sync) override {
    rocksdb::WriteOptions w;
    w.sync = sync;
    return db_->Put(w, Slice(k), Slice(v)).ok();
  }
  bool Get(std::string_view k, std::string* v) override {
    return db_->Get(rocksdb::ReadOptions(), Slice(k), v).ok();
  }
  bool Delete(std::string_view k, bool sync) override {
    rocksdb::WriteOptions w;
    w.sync = sync;
    return db_->Delete(w, Slice(k)).ok();
  }
  std::unique_ptr<BenchIterator> NewIterator() override {
    return std::make_unique<IteratorAdapter<rocksdb::Iterator>>(
        std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(rocksdb::ReadOptions())));
  }
  void CompactAll() override {
    (void)db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  }
  std::string LevelSummary() override {
    std::string out;
    for (int level = 0; level < 7; ++level) {
      std::string n;
      db_->GetProperty(fmt::format("rocksdb.num-files-at-level{}", level), &n);
      if (!n.empty() && n != "0") out += fmt::format("{}L{}:{}", out.empty() ? "" : " ", level, n);
    }
    return out;
  }

 private:
  static rocksdb::Slice Slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace

std::unique_ptr<BenchEngine> NewRocksDBEngine() { return std::make_unique<RocksDBEngine>(); }

}  // namespace lsm::bench
