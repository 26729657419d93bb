// Our step-5 engine (step5_lsm/db.h) behind the BenchEngine interface, with the settings
// matched to LevelDB's and RocksDB's adapters (compression, write buffer, bloom bits, block
// cache, block size, open files, target file size all come from EngineOptions). The compaction
// style (a name) and the engine's own counters go through bench/lib/ours_styles.h.
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "bench/lib/ours_styles.h"
#include "bench/lib/engine.h"
#include "demo/trace_writer.h"
#include "step5_lsm/db.h"

namespace lsm::bench {
namespace {

class OurEngine final : public BenchEngine {
 public:
  ~OurEngine() override {
    Close();
    if (trace_ != nullptr) (void)trace_->Stop();
  }
  std::string name() const override { return "ours"; }

  std::string Open(const std::string& dir, const EngineOptions& o) override {
    Options options;
    options.create_if_missing = true;
    options.compression = o.compression ? CompressionType::kSnappy : CompressionType::kNone;
    options.write_buffer_size = o.write_buffer_size;
    options.block_cache_bytes = o.block_cache_bytes;
    options.bloom_bits_per_key = o.bloom_bits_per_key;
    options.block_size = o.block_size;
    options.max_open_files = o.max_open_files;
    options.max_file_size = o.target_file_size;
    options.mmap_tables = o.mmap_tables;
    if (std::string err = ApplyOurCompactionStyle(o.compaction_style, &options); !err.empty()) {
      return err;
    }
    if (!o.trace_path.empty()) {
      if (trace_ == nullptr) {
        trace_ = std::make_unique<demo::TraceWriter>(o.compaction_style);
        if (Status t = trace_->Start(o.trace_path); !t.ok()) return t.ToString();
      }
      options.listener = trace_.get();
    }
    Status s = DB::Open(options, dir, &db_);
    return s.ok() ? "" : s.ToString();
  }
  void Close() override { db_.reset(); }
  void Destroy(const std::string& dir) override {
    Close();
    (void)DestroyDB(dir, Options{});
  }
  bool Put(std::string_view k, std::string_view v, bool sync) override {
    return db_->Put(WriteOptions{.sync = sync}, k, v).ok();
  }
  bool Get(std::string_view k, std::string* v) override {
    return db_->Get(ReadOptions{}, k, v).ok();
  }
  bool Delete(std::string_view k, bool sync) override {
    return db_->Delete(WriteOptions{.sync = sync}, k).ok();
  }
  std::unique_ptr<BenchIterator> NewIterator() override {
    return std::make_unique<IteratorAdapter<Iterator>>(db_->NewIterator(ReadOptions{}));
  }
  void CompactAll() override { (void)db_->CompactRange(nullptr, nullptr); }
  std::string LevelSummary() override {
    std::string out;
    for (int level = 0; level < 7; ++level) {
      std::string n;
      if (db_->GetProperty(fmt::format("lsm.num-files-at-level{}", level), &n) && n != "0") {
        out += fmt::format("{}L{}:{}", out.empty() ? "" : " ", level, n);
      }
    }
    return out;
  }

  std::vector<std::string> CompactionStyles() const override { return OurCompactionStyles(); }
  void WaitForCompactions() override {
    (void)db_->Flush();
    std::string pending;
    while (db_->GetProperty("lsm.compaction-pending", &pending) && pending != "0") {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EngineCounters Counters() override {
    EngineCounters c;
    ReadOurAmplification(db_.get(), &c);
    return c;
  }

 private:
  std::unique_ptr<DB> db_;
  std::unique_ptr<demo::TraceWriter> trace_;  // --trace: the engine's events
};

}  // namespace

std::unique_ptr<BenchEngine> NewOurEngine() { return std::make_unique<OurEngine>(); }

}  // namespace lsm::bench
