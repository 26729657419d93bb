// RocksDB (Debian librocksdb-dev) behind the BenchEngine interface, configured to match
// LevelDB's shape: leveled compaction with LevelDB's triggers and sizes, 4 MiB memtable,
// bloom filter, LRU block cache, no compression.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include "bench/db_bench/leveldb_like_engine.h"

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
    options.target_file_size_base = 2 << 20;
    options.max_open_files = o.max_open_files;
    options.max_background_jobs = 2;
    rocksdb::BlockBasedTableOptions table;  // RocksDB holds these by shared_ptr itself
    table.block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
    table.block_size = o.block_size;
    if (o.bloom_bits_per_key > 0) {
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(o.bloom_bits_per_key));
    }
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    return options;
  }
};

}  // namespace

std::unique_ptr<BenchEngine> NewRocksDBEngine() {
  return std::make_unique<LevelDBLikeEngine<RocksDBApi>>();
}

}  // namespace lsm::bench
