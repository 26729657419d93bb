// BlockBuilder: packs sorted key/value pairs into one block with shared-prefix compression.
//
// Each entry stores only the part of its key that differs from the previous key:
//   +------------------+--------------------+------------------+----------------+-------+
//   | shared: varint32 | unshared: varint32 | value len: vr32  | unshared bytes | value |
//   +------------------+--------------------+------------------+----------------+-------+
// Every `restart_interval`-th entry is a *restart point*: it stores its whole key (shared = 0),
// so a reader can binary-search the restart points and decode forward from one of them.
// After the entries come the restart offsets and their count:
//   +---------+-----+---------+------------------------+--------------------------+
//   | entries | ... | restart[0] = 0: fixed32 ... restart[n-1]  | n: fixed32        |
//   +---------+-----+---------+------------------------+--------------------------+
// The empty block is therefore the 8 bytes 00 00 00 00 01 00 00 00.
//
// Example:
//   BlockBuilder b(16);
//   b.Add("apple", "red");
//   b.Add("apricot", "orange");          // stores shared=2, "ricot"
//   std::string_view block = b.Finish(); // valid until Reset() or destruction
//
// Preconditions: keys must be added in sorted order (the table's comparator), each strictly
// greater than the previous. No Add() after Finish() until Reset().
// Thread-safety: none (one writer). Not copyable.
// Simplifications: none against LevelDB; the layout is byte-identical.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/comparator.h"

namespace lsm {

class BlockBuilder {
 public:
  // REQUIRES: restart_interval >= 1. `comparator` (optional, must outlive the builder) is used
  // only to assert the sorted-order precondition in debug builds.
  explicit BlockBuilder(int restart_interval, const Comparator* comparator = nullptr);
  BlockBuilder(const BlockBuilder&) = delete;
  BlockBuilder& operator=(const BlockBuilder&) = delete;

  // Appends one entry. REQUIRES: !finished; key > every key added since the last Reset().
  void Add(std::string_view key, std::string_view value);

  // Appends the restart array and returns the whole block, valid until Reset()/destruction.
  std::string_view Finish();

  // Forgets everything; the builder can build a new block.
  void Reset();

  // Returns the size the block would have if finished now (entries + restart array + count).
  size_t CurrentSizeEstimate() const;

  bool empty() const { return buffer_.empty(); }
  int num_entries() const { return num_entries_; }

 private:
  const int restart_interval_;
  const Comparator* const comparator_;

  std::string buffer_;            // entries so far
  std::vector<uint32_t> restarts_;
  int counter_ = 0;               // entries since the last restart
  int num_entries_ = 0;
  bool finished_ = false;
  std::string last_key_;
};

}  // namespace lsm
