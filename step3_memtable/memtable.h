// MemTable: the sorted, versioned, in-memory buffer every write lands in first.
//
// Each Add() appends one entry to an arena and links it into a skip list. The entry is encoded
// exactly like LevelDB's (so a table builder can take the internal key as is):
//
//   +----------------+-------------------------------+-----------------+-------------+
//   | varint32 klen  | internal key (klen bytes)     | varint32 vlen   | value       |
//   |  1..5 bytes    | user key ++ fixed64 tag       |  1..5 bytes     | vlen bytes  |
//   +----------------+-------------------------------+-----------------+-------------+
//   klen = user key size + 8; tag = (sequence << 8) | type, type 1 = value, 0 = deletion
//
// Entries are ordered by the InternalKeyComparator: user key ascending, then sequence
// descending. Nothing is ever overwritten: a second Put of a key adds a newer version, a Delete
// adds a tombstone (type kDeletion), and Get(key, snapshot s) returns the newest version with
// sequence <= s.
//
// Example:
//   InternalKeyComparator icmp(BytewiseComparator());
//   auto mem = std::make_shared<MemTable>(icmp);
//   mem->Add(1, ValueType::kValue, "k", "v1");
//   mem->Add(2, ValueType::kDeletion, "k", "");
//   std::string v; Status s;
//   mem->Get(LookupKey("k", 2), &v, &s);   // true, s.IsNotFound(): the tombstone answers
//   mem->Get(LookupKey("k", 1), &v, &s);   // true, s.ok(), v == "v1": an older snapshot
//   mem->Get(LookupKey("x", 9), &v, &s);   // false: this memtable knows nothing of "x"
//
// Thread-safety: Add() needs external synchronization (one writer at a time). Get(),
// NewIterator(), iterators and ApproximateMemoryUsage() need none and may run concurrently
// with that writer (the skip list's rule). A frozen (immutable) memtable is shared as
// std::shared_ptr<const MemTable> (step 5's DBImpl::imm_): being flushed by one thread while
// others still read it.
// Lifetimes: the memtable owns its arena; every view it hands out (iterator keys and values)
// lives as long as the memtable. An iterator must not outlive its memtable: to pin it, keep
// the shared_ptr alive with `it->RegisterCleanup([mem] {})`.
// Not copyable or movable.
// Simplifications: no size limit of its own (the LSM in step 5 decides when it is full via
// ApproximateMemoryUsage()); entries are never removed.
#pragma once

#include <atomic>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/iterator.h"
#include "common/status.h"
#include "common/value_type.h"
#include "step3_memtable/arena.h"
#include "step3_memtable/internal_key.h"
#include "step3_memtable/skiplist.h"

namespace lsm {

class MemTable {
 public:
  // The comparator is copied (it is a pointer to the user comparator, which must outlive us).
  explicit MemTable(const InternalKeyComparator& comparator);
  MemTable(const MemTable&) = delete;
  MemTable& operator=(const MemTable&) = delete;

  // Adds the entry (key, seq, type) -> value. For a deletion, value is usually empty.
  // REQUIRES: external synchronization between writers; (key, seq, type) not added before;
  //           seq <= kMaxSequenceNumber.
  void Add(SequenceNumber seq, ValueType type, std::string_view key, std::string_view value);

  // Looks up key.user_key() at key's snapshot sequence.
  // Returns true if the newest entry with sequence <= snapshot is a value (*value set,
  // *s = OK) or a tombstone (*s = NotFound); false if this memtable has no entry for the key
  // at or below the snapshot (*value and *s untouched: older data may still hold it).
  bool Get(const LookupKey& key, std::string* value, Status* s) const;

  // Returns an iterator over the entries in internal-key order. key() is the INTERNAL key
  // (user key ++ tag), value() the value; Seek takes an internal key (>= 8 bytes; e.g.
  // LookupKey::internal_key() to find the newest version visible at a snapshot). Follows
  // common/iterator.h; status() is always OK. REQUIRES: the memtable outlives the iterator.
  std::unique_ptr<Iterator> NewIterator() const;

  // Returns the bytes this memtable holds (its arena's blocks). Thread-safe.
  size_t ApproximateMemoryUsage() const { return arena_.MemoryUsage(); }

  // Returns how many entries Add has inserted. Thread-safe.
  size_t num_entries() const { return num_entries_.load(std::memory_order_relaxed); }

  // For narration and tests: the skip list's towers, each entry's internal key and height.
  // REQUIRES: no concurrent Add.
  struct Tower {
    std::string_view internal_key;
    int height;
  };
  std::vector<Tower> Towers() const;

 private:
  // Orders the skip list's keys, which are pointers to encoded entries: decode the
  // length-prefixed internal key at each and compare with the InternalKeyComparator.
  struct KeyComparator {
    InternalKeyComparator comparator;
    int operator()(const char* a, const char* b) const;
  };
  using Table = SkipList<const char*, KeyComparator>;
  class MemTableIterator;

  // Constant after construction.
  const KeyComparator comparator_;
  // Declaration order matters: the arena must be built before (and die after) the table.
  Arena arena_;
  Table table_;
  std::atomic<size_t> num_entries_{0};  // written by the single writer, read by anyone
};

// Returns the length-prefixed string at p (varint32 length, then the bytes).
// REQUIRES: p points at a well-formed encoding (the memtable only reads its own entries).
std::string_view GetLengthPrefixedAt(const char* p);

}  // namespace lsm
