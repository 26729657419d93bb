// Internal keys: how one user key can hold many versions, newest first.
//
//   internal key = user_key ++ fixed64(tag)      tag = (sequence << 8) | type
//   +-----------------------+------------------------------+
//   | user_key (n bytes)    | tag: 8 bytes, little-endian  |
//   +-----------------------+------------------------------+
//
// Order (InternalKeyComparator): user key ascending by the user comparator, then tag
// descending — so for one user key the newest version comes first, and a lookup for
// (key, snapshot s) seeks to tag (s << 8) | kValueTypeForSeek and lands on the newest entry
// with sequence <= s.
//
// LookupKey is the probe a Get builds once and hands to the memtable and tables:
//   memtable_key = varint32(n + 8) ++ internal_key      internal_key = user_key ++ tag
//
// Byte layouts match LevelDB's db/dbformat.h exactly: tables and MANIFESTs store these keys.
// Thread-safety: all free functions are pure; classes are plain values (copyable).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/comparator.h"
#include "common/value_type.h"

namespace lsm {

inline constexpr size_t kTagSize = 8;

inline uint64_t PackSequenceAndType(SequenceNumber seq, ValueType t) {
  return (seq << 8) | static_cast<uint8_t>(t);
}

// A decoded internal key; user_key views the encoded bytes it was parsed from.
struct ParsedInternalKey {
  std::string_view user_key;
  SequenceNumber sequence = 0;
  ValueType type = ValueType::kValue;

  // "'key' @ 5 : val" — for narration and test messages.
  std::string DebugString() const;
};

// Appends user_key ++ tag to *result.
void AppendInternalKey(std::string* result, const ParsedInternalKey& key);
inline void AppendInternalKey(std::string* result, std::string_view user_key,
                              SequenceNumber seq, ValueType t) {
  AppendInternalKey(result, ParsedInternalKey{user_key, seq, t});
}

// Parses an internal key. Returns false (corruption) when it is shorter than 8 bytes or the
// type byte is not 0 or 1.
[[nodiscard]] bool ParseInternalKey(std::string_view internal_key, ParsedInternalKey* result);

// REQUIRES: internal_key.size() >= 8.
inline std::string_view ExtractUserKey(std::string_view internal_key) {
  return internal_key.substr(0, internal_key.size() - kTagSize);
}
uint64_t ExtractTag(std::string_view internal_key);

// Orders internal keys: user key ascending (user comparator), then tag descending.
class InternalKeyComparator final : public Comparator {
 public:
  // user must outlive this comparator.
  explicit InternalKeyComparator(const Comparator* user) : user_(user) {}

  int Compare(std::string_view a, std::string_view b) const override;
  const char* Name() const override { return "leveldb.InternalKeyComparator"; }
  // Shortens on the user-key part; the result gets tag (kMaxSequenceNumber, kValueTypeForSeek)
  // only when the user key actually got shorter (so it still sorts before `limit`).
  void FindShortestSeparator(std::string* start, std::string_view limit) const override;
  void FindShortSuccessor(std::string* key) const override;

  const Comparator* user_comparator() const { return user_; }

 private:
  const Comparator* user_;
};

// An owned, encoded internal key (what FileMetaData stores as smallest/largest).
class InternalKey {
 public:
  InternalKey() = default;  // empty: invalid until set
  InternalKey(std::string_view user_key, SequenceNumber s, ValueType t) {
    AppendInternalKey(&rep_, user_key, s, t);
  }
  // Takes encoded bytes as they are; returns false if they are not a valid internal key.
  [[nodiscard]] bool DecodeFrom(std::string_view encoded) {
    rep_.assign(encoded);
    ParsedInternalKey unused;
    return ParseInternalKey(rep_, &unused);
  }
  std::string_view Encode() const { return rep_; }
  std::string_view user_key() const { return ExtractUserKey(rep_); }
  bool empty() const { return rep_.empty(); }
  void Clear() { rep_.clear(); }
  std::string DebugString() const;

 private:
  std::string rep_;
};

// The key a point lookup probes with: user_key at snapshot sequence s.
// Not copyable (views point into its own buffer).
class LookupKey {
 public:
  LookupKey(std::string_view user_key, SequenceNumber s);
  LookupKey(const LookupKey&) = delete;
  LookupKey& operator=(const LookupKey&) = delete;

  // varint32 length ++ internal key: what the memtable's skip list compares.
  std::string_view memtable_key() const { return std::string_view(start_, end_ - start_); }
  // user_key ++ tag: what tables compare.
  std::string_view internal_key() const { return std::string_view(kstart_, end_ - kstart_); }
  std::string_view user_key() const {
    return std::string_view(kstart_, end_ - kstart_ - kTagSize);
  }

 private:
  // Short keys live in space_, avoiding an allocation on the hot read path.
  std::string heap_;
  char space_[200];
  const char* start_;
  const char* kstart_;
  const char* end_;
};

}  // namespace lsm
