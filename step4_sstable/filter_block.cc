#include "step4_sstable/filter_block.h"

#include <cassert>

#include "common/coding.h"

namespace lsm {

void FilterBlockBuilder::StartBlock(uint64_t block_offset) {
  const uint64_t filter_index = block_offset / kFilterBase;
  assert(filter_index >= filter_offsets_.size());
  while (filter_index > filter_offsets_.size()) GenerateFilter();
}

void FilterBlockBuilder::AddKey(std::string_view key) {
  starts_.push_back(keys_.size());
  keys_.append(key);
}

std::string_view FilterBlockBuilder::Finish() {
  if (!starts_.empty()) GenerateFilter();
  const auto array_offset = static_cast<uint32_t>(result_.size());
  for (uint32_t off : filter_offsets_) PutFixed32(&result_, off);
  PutFixed32(&result_, array_offset);
  result_.push_back(static_cast<char>(kFilterBaseLg));
  return result_;
}

void FilterBlockBuilder::GenerateFilter() {
  filter_offsets_.push_back(static_cast<uint32_t>(result_.size()));
  if (starts_.empty()) return;  // an empty filter: no block starts in this range
  std::vector<std::string_view> keys;
  keys.reserve(starts_.size());
  for (size_t i = 0; i < starts_.size(); ++i) {
    const size_t end = i + 1 < starts_.size() ? starts_[i + 1] : keys_.size();
    keys.emplace_back(keys_.data() + starts_[i], end - starts_[i]);
  }
  policy_->CreateFilter(keys, &result_);
  keys_.clear();
  starts_.clear();
}

FilterBlockReader::FilterBlockReader(const FilterPolicy* policy, std::string_view contents)
    : policy_(policy) {
  const size_t n = contents.size();
  if (n < 5) return;  // 1 byte base_lg + 4 bytes array offset
  base_lg_ = static_cast<unsigned char>(contents[n - 1]);
  const uint32_t last_word = DecodeFixed32(contents.data() + n - 5);
  if (last_word > n - 5) return;
  data_ = contents.data();
  offset_ = data_ + last_word;
  num_ = (n - 5 - last_word) / 4;
}

bool FilterBlockReader::KeyMayMatch(uint64_t block_offset, std::string_view key) const {
  if (base_lg_ >= 64) return true;  // nonsense base: cannot use the filter
  const uint64_t index = block_offset >> base_lg_;
  if (index < num_) {
    const uint32_t start = DecodeFixed32(offset_ + index * 4);
    const uint32_t limit = DecodeFixed32(offset_ + index * 4 + 4);
    if (start <= limit && limit <= static_cast<size_t>(offset_ - data_)) {
      return policy_->KeyMayMatch(key, std::string_view(data_ + start, limit - start));
    }
    if (start == limit) return false;  // an empty filter: no keys
  }
  return true;  // errors are treated as potential matches
}

}  // namespace lsm
