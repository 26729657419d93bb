#include "step4_sstable/block_cache.h"

#include <cassert>

#include "step4_sstable/filter_policy.h"

namespace lsm {

struct BlockCache::Handle {
  std::string key;
  std::unique_ptr<Block> block;
  size_t charge = 0;
  uint32_t hash = 0;
  int pins = 0;           // outstanding handles given to callers
  bool in_cache = false;  // reachable from its shard's table
  bool in_lru = false;    // in_cache && pins == 0
  std::list<Handle*>::iterator lru_pos;
};

BlockCache::BlockCache(size_t capacity_bytes) : capacity_(capacity_bytes) {
  const size_t per_shard = (capacity_bytes + kNumShards - 1) / kNumShards;
  for (Shard& s : shards_) s.capacity = per_shard;
}

BlockCache::~BlockCache() {
  for (Shard& s : shards_) {
    for (auto& [key, e] : s.table) {
      assert(e->pins == 0 && "a block cache handle was not released");
      delete e;
    }
  }
}

uint32_t BlockCache::HashOf(std::string_view key) { return BloomHash(key); }

void BlockCache::Detach(Shard& shard, Handle* e) {
  shard.table.erase(e->key);
  shard.usage -= e->charge;
  e->in_cache = false;
  if (e->in_lru) {
    shard.lru.erase(e->lru_pos);
    e->in_lru = false;
  }
}

BlockCache::Handle* BlockCache::Insert(std::string_view key, std::unique_ptr<Block> block,
                                       size_t charge) {
  auto* e = new Handle;
  e->key.assign(key);
  e->block = std::move(block);
  e->charge = charge;
  e->hash = HashOf(key);
  e->pins = 1;
  if (capacity_ == 0) return e;  // caching off: the handle is the only owner

  Shard& shard = ShardFor(e->hash);
  std::vector<Handle*> to_free;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    if (auto it = shard.table.find(e->key); it != shard.table.end()) {
      Handle* old = it->second;
      Detach(shard, old);
      if (old->pins == 0) to_free.push_back(old);  // else freed at its last Release()
    }
    e->in_cache = true;
    shard.table.emplace(e->key, e);
    shard.usage += charge;
    // Evict least recently used unpinned entries until we fit.
    while (shard.usage > shard.capacity && !shard.lru.empty()) {
      Handle* victim = shard.lru.back();
      Detach(shard, victim);
      to_free.push_back(victim);
    }
  }
  for (Handle* h : to_free) delete h;  // free outside the lock
  return e;
}

BlockCache::Handle* BlockCache::Lookup(std::string_view key) {
  Shard& shard = ShardFor(HashOf(key));
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.table.find(key);
  if (it == shard.table.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  Handle* e = it->second;
  if (e->in_lru) {
    shard.lru.erase(e->lru_pos);
    e->in_lru = false;
  }
  ++e->pins;
  hits_.fetch_add(1, std::memory_order_relaxed);
  return e;
}

void BlockCache::Release(Handle* e) {
  assert(e != nullptr);
  if (capacity_ == 0) {  // an unshared handle: no other thread can see it
    assert(e->pins == 1);
    delete e;
    return;
  }
  Shard& shard = ShardFor(e->hash);
  bool free_it = false;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    assert(e->pins > 0);  // pins are guarded by the shard's mutex
    if (--e->pins == 0) {
      if (e->in_cache) {
        shard.lru.push_front(e);  // most recently used
        e->lru_pos = shard.lru.begin();
        e->in_lru = true;
        // An insert may have overshot while this entry was pinned: trim now.
        while (shard.usage > shard.capacity && !shard.lru.empty()) {
          Handle* victim = shard.lru.back();
          Detach(shard, victim);
          if (victim == e) {
            free_it = true;
          } else {
            delete victim;
          }
        }
      } else {
        free_it = true;  // evicted or replaced while pinned
      }
    }
  }
  if (free_it) delete e;
}

const Block* BlockCache::Value(Handle* handle) const { return handle->block.get(); }

size_t BlockCache::TotalCharge() const {
  size_t total = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> lock(s.mu);
    total += s.usage;
  }
  return total;
}

}  // namespace lsm
