// LevelDB 1.23 (Debian libleveldb-dev) behind the BenchEngine interface.
#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>

#include <stdexcept>

#include "bench/lib/leveldb_like_engine.h"

namespace lsm::bench {
namespace {

struct LevelDBApi {
  static constexpr const char* kName = "leveldb";
  using DB = leveldb::DB;
  using Options = leveldb::Options;
  using ReadOptions = leveldb::ReadOptions;
  using WriteOptions = leveldb::WriteOptions;
  using Slice = leveldb::Slice;
  using Iterator = leveldb::Iterator;
  static leveldb::Status DestroyDB(const std::string& dir, const Options& o) {
    return leveldb::DestroyDB(dir, o);
  }
  static void CompactAll(DB* db) { db->CompactRange(nullptr, nullptr); }

  Options MakeOptions(const EngineOptions& o) {
    if (o.compaction_style != "leveled") {
      throw std::invalid_argument("LevelDB has only leveled compaction, not '" +
                                  o.compaction_style + "'");
    }
    cache_.reset(leveldb::NewLRUCache(o.block_cache_bytes));
    filter_.reset(o.bloom_bits_per_key > 0 ? leveldb::NewBloomFilterPolicy(o.bloom_bits_per_key)
                                           : nullptr);
    Options options;
    options.create_if_missing = true;
    options.compression = o.compression ? leveldb::kSnappyCompression : leveldb::kNoCompression;
    options.write_buffer_size = o.write_buffer_size;
    options.block_cache = cache_.get();
    options.filter_policy = filter_.get();
    options.block_size = o.block_size;
    options.max_open_files = o.max_open_files;
    options.max_file_size = o.target_file_size;
    return options;
  }

  // LevelDB borrows these through raw pointers in Options: they must outlive the DB.
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
};

}  // namespace

std::unique_ptr<BenchEngine> NewLevelDBEngine() {
  return std::make_unique<LevelDBLikeEngine<LevelDBApi>>();
}

}  // namespace lsm::bench
