// LevelDBLikeEngine<Api>: one BenchEngine for both peers. RocksDB began as a fork of LevelDB and
// kept its API shape — DB::Open, Put/Get/Delete with WriteOptions/ReadOptions and Slice,
// NewIterator, DestroyDB, "<name>.num-files-at-level<N>" — so one template drives either; the
// Api type supplies the namespace's types and the parts that differ (options, compaction).
//
// An Api provides:
//   static constexpr const char* kName;            // "leveldb": engine name and property prefix
//   using DB, Options, ReadOptions, WriteOptions, Slice, Iterator;
//   static auto DestroyDB(const std::string&, const Options&);
//   static void CompactAll(DB*);
//   Options MakeOptions(const EngineOptions&);     // may own objects the DB uses (cache, filter)
// and may provide, for the compaction lab (BenchEngine's defaults otherwise):
//   static std::vector<std::string> CompactionStyles();
//   void WaitForCompactions(DB*);
//   void SetReadCounting(bool);
//   EngineCounters Counters(DB*);
// MakeOptions reports an unknown EngineOptions::compaction_style by throwing
// std::invalid_argument, which Open returns as its error.
//
// Thread-safety: as BenchEngine.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "bench/lib/engine.h"

namespace lsm::bench {

template <typename Api>
class LevelDBLikeEngine final : public BenchEngine {
  using DB = typename Api::DB;

 public:
  ~LevelDBLikeEngine() override { Close(); }
  std::string name() const override { return Api::kName; }

  std::string Open(const std::string& dir, const EngineOptions& o) override {
    Close();  // MakeOptions may replace objects an open DB still uses
    typename Api::Options options;
    try {
      options = api_.MakeOptions(o);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    DB* db = nullptr;
    auto s = DB::Open(options, dir, &db);
    if (!s.ok()) return s.ToString();
    db_.reset(db);
    return "";
  }
  void Close() override { db_.reset(); }
  void Destroy(const std::string& dir) override {
    Close();
    (void)Api::DestroyDB(dir, typename Api::Options());
  }
  bool Put(std::string_view k, std::string_view v, bool sync) override {
    typename Api::WriteOptions w;
    w.sync = sync;
    return db_->Put(w, Slice(k), Slice(v)).ok();
  }
  bool Get(std::string_view k, std::string* v) override {
    return db_->Get(typename Api::ReadOptions(), Slice(k), v).ok();
  }
  bool Delete(std::string_view k, bool sync) override {
    typename Api::WriteOptions w;
    w.sync = sync;
    return db_->Delete(w, Slice(k)).ok();
  }
  std::unique_ptr<BenchIterator> NewIterator() override {
    using It = typename Api::Iterator;
    return std::make_unique<IteratorAdapter<It>>(
        std::unique_ptr<It>(db_->NewIterator(typename Api::ReadOptions())));
  }
  void CompactAll() override { Api::CompactAll(db_.get()); }
  std::string LevelSummary() override {
    std::string out;
    for (int level = 0; level < 7; ++level) {
      std::string n;
      db_->GetProperty(fmt::format("{}.num-files-at-level{}", Api::kName, level), &n);
      if (!n.empty() && n != "0") out += fmt::format("{}L{}:{}", out.empty() ? "" : " ", level, n);
    }
    return out;
  }

  std::vector<std::string> CompactionStyles() const override {
    if constexpr (requires { Api::CompactionStyles(); }) return Api::CompactionStyles();
    else return BenchEngine::CompactionStyles();
  }
  void WaitForCompactions() override {
    if constexpr (requires(Api a, DB* d) { a.WaitForCompactions(d); }) {
      if (db_) api_.WaitForCompactions(db_.get());
    }
  }
  void SetReadCounting(bool on) override {
    if constexpr (requires(Api a) { a.SetReadCounting(on); }) api_.SetReadCounting(on);
  }
  EngineCounters Counters() override {
    if constexpr (requires(Api a, DB* d) { a.Counters(d); }) {
      if (db_) return api_.Counters(db_.get());
    }
    return {};
  }

 private:
  static typename Api::Slice Slice(std::string_view s) { return {s.data(), s.size()}; }
  Api api_;  // declared before db_, so it outlives the DB that uses what it owns
  std::unique_ptr<DB> db_;
};

}  // namespace lsm::bench
