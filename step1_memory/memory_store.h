// MemoryStore: step 1 — a key-value store that is just a hash map.
//
// Put/Get/Delete are O(1) on average (std::unordered_map). Scan has to copy the matching keys
// and sort them, O(n log n), because a hash map keeps no order — the first problem step 3 fixes.
// Everything lives in RAM: when the process ends, the data is gone — the problem step 2 fixes.
//
// Example:
//   MemoryStore store;
//   (void)store.Put("apple", "red");
//   std::string v;
//   if (store.Get("apple", &v).ok()) fmt::print("{}\n", v);
//
// Thread-safety: none; callers serialize access (step 2's DurableStore, the first thread-safe
// store, does so with one mutex around its MemoryStore).
// Intentionally copyable (a copy is an independent store).
// Simplifications: no durability, no ordering, no snapshots, no size limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "common/store.h"

namespace lsm {

class MemoryStore {
 public:
  // Inserts or overwrites key.
  Status Put(std::string_view key, std::string_view value);
  // OK and *value set when key is present; NotFound otherwise.
  Status Get(std::string_view key, std::string* value) const;
  // Removes key; OK whether or not it was present.
  Status Delete(std::string_view key);
  // Calls fn for every key in [from, to) in ascending bytewise order (empty `to` = no upper
  // bound). Costs O(n log n): the hash map must be copied out and sorted first.
  Status Scan(std::string_view from, std::string_view to, const ScanCallback& fn) const;

  size_t size() const { return map_.size(); }
  // Bytes held in keys and values (not counting the hash table's own overhead).
  size_t ApproximateBytes() const { return bytes_; }
  void Clear() {
    map_.clear();
    bytes_ = 0;
  }

 private:
  // Transparent hashing lets us look up with a string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> map_;
  size_t bytes_ = 0;
};

static_assert(OrderedKvStore<MemoryStore>);

}  // namespace lsm
