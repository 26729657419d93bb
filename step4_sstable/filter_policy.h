// FilterPolicy: a small summary of a set of keys that answers "is this key maybe in the set?"
// with no false negatives. Tables keep one filter per 2 KiB of data blocks, so a point lookup
// for an absent key usually skips reading the data block at all.
//
// NewBloomFilterPolicy(bits_per_key) is LevelDB's "leveldb.BuiltinBloomFilter2", bit for bit:
//   - k = floor(bits_per_key * 0.69) (≈ ln 2 · bits/key, the optimum), clamped to [1, 30]
//   - the filter has max(64, n * bits_per_key) bits rounded up to whole bytes, then one byte k
//   - one 32-bit hash h per key (BloomHash); probe i tests bit (h + i·delta) mod bits, where
//     delta = h rotated right by 17 ("double hashing": k probes from one hash)
//   false-positive rate ≈ (1 - e^(-k·n/m))^k: 10 bits/key, k = 6 → about 0.84 %.
//
// InternalFilterPolicy wraps a policy for tables whose keys are internal keys
// (user_key ++ 8-byte tag): it filters on the user key, as LevelDB does, so a lookup at any
// sequence number finds the key's bits. Its Name() is the wrapped policy's name.
//
// Example:
//   auto bloom = NewBloomFilterPolicy(10);
//   std::string filter;
//   bloom->CreateFilter(keys, &filter);           // keys: std::vector<std::string_view>
//   bool maybe = bloom->KeyMayMatch("k", filter); // false => "k" is certainly absent
//
// Thread-safety: policies are immutable; all methods may be called from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace lsm {

class FilterPolicy {
 public:
  virtual ~FilterPolicy() = default;

  // The name recorded in the table's metaindex ("filter." + Name()); a reader uses a filter
  // only when its policy has the same name.
  virtual const char* Name() const = 0;

  // Appends a filter summarizing `keys` to *dst (keys may repeat; order does not matter).
  virtual void CreateFilter(std::span<const std::string_view> keys, std::string* dst) const = 0;

  // Returns false only when `key` was certainly not among the keys `filter` was made from.
  // Any bytes at all may be passed as `filter` (a corrupt filter only costs a wasted read).
  virtual bool KeyMayMatch(std::string_view key, std::string_view filter) const = 0;
};

// LevelDB's bloom filter ("leveldb.BuiltinBloomFilter2"). REQUIRES: bits_per_key >= 1.
std::unique_ptr<const FilterPolicy> NewBloomFilterPolicy(int bits_per_key);

// LevelDB's 32-bit hash (util/hash.cc, a murmur-like mix) with the bloom filter's seed
// 0xbc9f1d34. Exposed for tests and the narration.
uint32_t BloomHash(std::string_view key);

// Filters internal keys by their user key. `user_policy` must outlive this object.
class InternalFilterPolicy final : public FilterPolicy {
 public:
  explicit InternalFilterPolicy(const FilterPolicy* user_policy) : user_policy_(user_policy) {}
  const char* Name() const override { return user_policy_->Name(); }
  // REQUIRES: every key is an internal key (at least 8 bytes).
  void CreateFilter(std::span<const std::string_view> keys, std::string* dst) const override;
  bool KeyMayMatch(std::string_view key, std::string_view filter) const override;

 private:
  const FilterPolicy* const user_policy_;
};

}  // namespace lsm
