// BlockCache: a sharded LRU cache of decoded blocks with a capacity in bytes, shared by every
// table reader of a process (or database).
//
// Keys are byte strings; a table reader uses fixed64(cache id) ++ fixed64(block offset), with a
// fresh NewId() per opened table so two tables never collide. Each entry has a *charge* (the
// block's size); when the total charge passes the capacity the least recently used entries that
// nobody holds are evicted.
//
// Handles pin entries: Lookup() and Insert() return a Handle the caller must Release(). A
// pinned entry is never freed, even when evicted or replaced (it is freed at its last
// Release()), so a block stays valid while an iterator reads it. Pinned entries still count
// against the capacity, so usage can briefly exceed it.
//
// The key space is split into 16 shards by hash, each with its own mutex, LRU list and an
// equal share of the capacity, so threads reading different blocks rarely wait on each other.
//
// Example:
//   BlockCache cache(8 << 20);
//   BlockCache::Handle* h = cache.Lookup(key);
//   if (h == nullptr) h = cache.Insert(key, std::make_unique<Block>(std::move(bytes)), size);
//   const Block* block = cache.Value(h);
//   ... use block ...
//   cache.Release(h);
//
// Thread-safety: all methods are thread-safe. Every handle must be released before the cache
// is destroyed. Not copyable.
// Simplifications: LevelDB's cache stores any value with a deleter; ours stores Blocks only.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "step4_sstable/block.h"

namespace lsm {

class BlockCache {
 public:
  struct Handle;  // opaque

  // A capacity of 0 disables caching (Insert returns an unshared handle that frees on Release).
  explicit BlockCache(size_t capacity_bytes);
  ~BlockCache();
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  // Inserts key -> block (replacing an older entry with that key) and returns a pinned handle.
  Handle* Insert(std::string_view key, std::unique_ptr<Block> block, size_t charge);
  // Returns a pinned handle to key's entry, or nullptr on a miss.
  Handle* Lookup(std::string_view key);
  // Unpins a handle from Insert/Lookup. REQUIRES: not yet released.
  void Release(Handle* handle);
  // The block a handle holds; valid until the handle is released.
  const Block* Value(Handle* handle) const;

  // A fresh id for a client (a table) to prefix its keys with.
  uint64_t NewId() { return next_id_.fetch_add(1, std::memory_order_relaxed) + 1; }

  size_t capacity() const { return capacity_; }
  // Total charge of the entries in the cache (pinned or not).
  size_t TotalCharge() const;
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr int kNumShardBits = 4;
  static constexpr int kNumShards = 1 << kNumShardBits;

  struct Shard {
    mutable std::mutex mu;
    size_t capacity = 0;
    // Guarded by mu:
    size_t usage = 0;
    std::unordered_map<std::string_view, Handle*> table;  // keys view Handle::key
    std::list<Handle*> lru;  // unpinned entries in the cache, most recent at the front
  };

  static uint32_t HashOf(std::string_view key);
  Shard& ShardFor(uint32_t hash) { return shards_[hash >> (32 - kNumShardBits)]; }
  // REQUIRES: shard.mu held; e is in shard.table. Takes it out of the cache.
  static void Detach(Shard& shard, Handle* e);

  const size_t capacity_;
  std::array<Shard, kNumShards> shards_;
  std::atomic<uint64_t> next_id_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace lsm
