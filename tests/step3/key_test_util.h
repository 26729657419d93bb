// Keys for the tests: internal-key bytes built in one call, and the integer order the skip
// list tests use. Shared by the step 3 tests (and step 5's, which build internal keys too).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "step3_memtable/internal_key.h"

namespace lsm::testutil {

// The internal key user_key ++ fixed64((seq << 8) | type), as a string.
inline std::string IKey(std::string_view user_key, SequenceNumber seq, ValueType type) {
  std::string out;
  AppendInternalKey(&out, user_key, seq, type);
  return out;
}

// Three-way order of uint64_t keys, in the shape SkipList<Key, Comparator> wants.
struct U64Comparator {
  int operator()(const uint64_t& a, const uint64_t& b) const { return (a > b) - (a < b); }
};

}  // namespace lsm::testutil
