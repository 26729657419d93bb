// LevelDB 1.23 (Debian libleveldb-dev) behind the BenchEngine interface.
#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <fmt/format.h>

#include "bench/db_bench/engine.h"

namespace lsm::bench {
namespace {

class LevelDBEngine final : public BenchEngine {
 public:
  ~LevelDBEngine() override { Close(); }
  std::string name() const override { return "leveldb"; }

  std::string Open(const std::string& dir, const EngineOptions& o) override {
    cache_.reset(leveldb::NewLRUCache(o.block_cache_bytes));
    filter_.reset(o.bloom_bits_per_key > 0 ? leveldb::NewBloomFilterPolicy(o.bloom_bits_per_key)
                                           : nullptr);
    leveldb::Options options;
    options.create_if_missing = true;
    options.compression = o.compression ? leveldb::kSnappyCompression : leveldb::kNoCompression;
    options.write_buffer_size = o.write_buffer_size;
    options.block_cache = cache_.get();
    options.filter_policy = filter_.get();
    options.block_size = o.block_size;
    options.max_open_files = o.max_open_files;
    leveldb::DB* db = nullptr;
    leveldb::Status s = leveldb::DB::Open(options, dir, &db);
    if (!s.ok()) return s.ToString();
    db_.reset(db);
    return "";
  }
  void Close() override { db_.reset(); }
  void Destroy(const std::string& dir) override {
    Close();
    (void)leveldb::DestroyDB(dir, leveldb::Options());
  }
  bool Put(std::string_view k, std::string_view v, bool sync) override {
    leveldb::WriteOptions w;
    w.sync = sync;
    return db_->Put(w, Slice(k), Slice(v)).ok();
  }
  bool Get(std::string_view k, std::string* v) override {
    return db_->Get(leveldb::ReadOptions(), Slice(k), v).ok();
  }
  bool Delete(std::string_view k, bool sync) override {
    leveldb::WriteOptions w;
    w.sync = sync;
    return db_->Delete(w, Slice(k)).ok();
  }
  std::unique_ptr<BenchIterator> NewIterator() override {
    return std::make_unique<IteratorAdapter<leveldb::Iterator>>(
        std::unique_ptr<leveldb::Iterator>(db_->NewIterator(leveldb::ReadOptions())));
  }
  void CompactAll() override { db_->CompactRange(nullptr, nullptr); }
  std::string LevelSummary() override {
    std::string out;
    for (int level = 0; level < 7; ++level) {
      std::string n;
      db_->GetProperty(fmt::format("leveldb.num-files-at-level{}", level), &n);
      if (n != "0") out += fmt::format("{}L{}:{}", out.empty() ? "" : " ", level, n);
    }
    return out;
  }

 private:
  static leveldb::Slice Slice(std::string_view s) { return leveldb::Slice(s.data(), s.size()); }
  // Declared first so they are destroyed after the DB that uses them.
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;
};

}  // namespace

std::unique_ptr<BenchEngine> NewLevelDBEngine() { return std::make_unique<LevelDBEngine>(); }

}  // namespace lsm::bench
