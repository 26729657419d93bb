// BenchEngine: the narrow interface db_bench drives, implemented once per engine (ours,
// LevelDB 1.23, RocksDB) so the same workload code runs on each with matched settings.
//
// Thread-safety: Put/Get/Delete/NewIterator may be called from several threads at once (all
// three engines are thread-safe); Open/Close/CompactAll from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace lsm::bench {

// Settings every engine gets, matched across engines (db_bench's defaults unless noted).
struct EngineOptions {
  bool compression = false;           // the comparison runs uncompressed
  size_t write_buffer_size = 4 << 20;  // 4 MiB memtable
  int bloom_bits_per_key = 10;
  size_t block_cache_bytes = 8 << 20;  // 8 MiB block cache
  size_t block_size = 4096;
  int max_open_files = 1000;
};

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
};

// Factories; a missing engine (not compiled in) returns nullptr.
std::unique_ptr<BenchEngine> NewLevelDBEngine();
std::unique_ptr<BenchEngine> NewRocksDBEngine();
std::unique_ptr<BenchEngine> NewOurEngine();

}  // namespace lsm::bench
