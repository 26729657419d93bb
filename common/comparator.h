// Comparator: a total order over keys, plus the two key-shortening tricks tables use for their
// index. Tables, memtables and the LSM all take a `const Comparator*`; the comparator's Name()
// is recorded in the MANIFEST so a database is never opened with a different order.
//
// Example:
//   const Comparator* cmp = BytewiseComparator();
//   cmp->Compare("a", "b") < 0;
//   std::string sep = "abcdef";
//   cmp->FindShortestSeparator(&sep, "abzzz");   // sep becomes "abd"
//
// Thread-safety: implementations must be thread-safe (they are called from many threads).
#pragma once

#include <string>
#include <string_view>

namespace lsm {

class Comparator {
 public:
  virtual ~Comparator() = default;

  // < 0 when a < b, 0 when equal, > 0 when a > b.
  virtual int Compare(std::string_view a, std::string_view b) const = 0;

  // The name stored in the MANIFEST ("leveldb.BytewiseComparator" for the bytewise order).
  virtual const char* Name() const = 0;

  // If *start < limit, may change *start to a shorter string in [*start, limit).
  // Used for index-block keys: any key that separates two blocks will do, so take the shortest.
  virtual void FindShortestSeparator(std::string* start, std::string_view limit) const = 0;

  // May change *key to a short string >= *key (the index key of a table's last block).
  virtual void FindShortSuccessor(std::string* key) const = 0;
};

// Unsigned bytewise order, like memcmp then length; LevelDB's default. The object is a
// process-wide singleton: never delete it.
const Comparator* BytewiseComparator();

}  // namespace lsm
