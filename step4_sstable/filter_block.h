// The filter block: one filter per 2 KiB of data-block offsets, so the reader can find the
// filter for a data block from the block's offset alone (filter index = offset >> 11).
//
//   +----------+----------+-----+----------------+-----+----------------+----------------+-------+
//   | filter 0 | filter 1 | ... | offset of f0   | ... | offset of fN-1 | offset of the  | base  |
//   |          |          |     | fixed32        |     | fixed32        | array: fixed32 | lg=11 |
//   +----------+----------+-----+----------------+-----+----------------+----------------+-------+
//
// Filter i covers the keys of every data block whose start offset is in [i·2048, (i+1)·2048).
// A range that no block starts in gets an empty filter (two equal offsets): "nothing here".
// Example with blocks at offsets 0, 4100 and 4300: filter 0 = keys of block 0, filter 1 empty,
// filter 2 = keys of blocks 4100 and 4300.
//
// Builder call order (TableBuilder does this):  (StartBlock AddKey*)* Finish
// Thread-safety: the builder needs one writer; the reader is immutable and thread-safe.
// Lifetimes: `policy` must outlive both; the reader views `contents`, which must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "step4_sstable/filter_policy.h"

namespace lsm {

inline constexpr int kFilterBaseLg = 11;
inline constexpr uint64_t kFilterBase = uint64_t{1} << kFilterBaseLg;  // 2 KiB

class FilterBlockBuilder {
 public:
  explicit FilterBlockBuilder(const FilterPolicy* policy) : policy_(policy) {}
  FilterBlockBuilder(const FilterBlockBuilder&) = delete;
  FilterBlockBuilder& operator=(const FilterBlockBuilder&) = delete;

  // Starts the data block at block_offset: emits the filters of every earlier 2 KiB range.
  // REQUIRES: block_offset >= every earlier block_offset.
  void StartBlock(uint64_t block_offset);
  // Adds a key of the current data block.
  void AddKey(std::string_view key);
  // Returns the finished filter block, valid until the builder dies.
  std::string_view Finish();

 private:
  void GenerateFilter();

  const FilterPolicy* const policy_;
  std::string keys_;                    // the current range's keys, concatenated
  std::vector<size_t> starts_;          // where each key starts in keys_
  std::string result_;                  // the filters built so far
  std::vector<uint32_t> filter_offsets_;
};

class FilterBlockReader {
 public:
  // A malformed `contents` gives a reader that answers "maybe" to everything.
  FilterBlockReader(const FilterPolicy* policy, std::string_view contents);

  // Returns false only when `key` is certainly not in the data block at block_offset.
  bool KeyMayMatch(uint64_t block_offset, std::string_view key) const;

  size_t num_filters() const { return num_; }

 private:
  const FilterPolicy* const policy_;
  const char* data_ = nullptr;    // the block's first byte
  const char* offset_ = nullptr;  // the offset array
  size_t num_ = 0;                // number of filters
  int base_lg_ = 0;
};

}  // namespace lsm
