// The two vocabulary types shared by the WAL's WriteBatch (step 2) and the internal keys of
// the memtable, tables and LSM (steps 3-5): sequence numbers and entry types.
//
// Every write gets the next sequence number; a later write to the same key has a larger one.
// A delete is a write too: an entry of type kDeletion (a "tombstone") that hides older values.
// Both are stored on disk with these exact numbers (LevelDB's dbformat.h), so never renumber.
#pragma once

#include <cstdint>

namespace lsm {

using SequenceNumber = uint64_t;

// Sequence numbers share 64 bits with the 8-bit type in the tag, so they have 56 bits.
inline constexpr SequenceNumber kMaxSequenceNumber = (uint64_t{1} << 56) - 1;

enum class ValueType : uint8_t {
  kDeletion = 0x0,
  kValue = 0x1,
};

// The type used in lookup keys: with the tag ordering (larger first) the lookup key for
// sequence s sorts before every entry of that user key with sequence <= s.
inline constexpr ValueType kValueTypeForSeek = ValueType::kValue;

}  // namespace lsm
