#include "step4_sstable/block.h"

#include <cassert>

#include "common/coding.h"

namespace lsm {

Block::Block(std::string contents) : owned_(std::move(contents)), data_(owned_) {
  ParseRestarts();
}

Block::Block(BlockContents contents) {
  if (contents.is_borrowed) {
    data_ = contents.borrowed;
  } else {
    owned_ = std::move(contents.owned);
    data_ = owned_;
  }
  ParseRestarts();
}

void Block::ParseRestarts() {
  if (data_.size() < sizeof(uint32_t)) {
    malformed_ = true;
    return;
  }
  const size_t max_restarts = (data_.size() - sizeof(uint32_t)) / sizeof(uint32_t);
  const uint32_t n = DecodeFixed32(data_.data() + data_.size() - sizeof(uint32_t));
  if (n > max_restarts) {
    malformed_ = true;  // the restart array cannot fit in the block
    return;
  }
  num_restarts_ = n;
  restart_offset_ = static_cast<uint32_t>(data_.size() - (1 + n) * sizeof(uint32_t));
}

namespace {

// Decodes the three varint32 lengths of the entry at p. Returns a pointer to the key delta, or
// nullptr when the header is malformed or the entry would run past limit.
const char* DecodeEntry(const char* p, const char* limit, uint32_t* shared, uint32_t* unshared,
                        uint32_t* value_length) {
  if (limit - p < 3) return nullptr;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  *shared = u[0];
  *unshared = u[1];
  *value_length = u[2];
  if ((*shared | *unshared | *value_length) < 128) {
    p += 3;  // fast path: all three fit in one byte each
  } else {
    if ((p = GetVarint32Ptr(p, limit, shared)) == nullptr) return nullptr;
    if ((p = GetVarint32Ptr(p, limit, unshared)) == nullptr) return nullptr;
    if ((p = GetVarint32Ptr(p, limit, value_length)) == nullptr) return nullptr;
  }
  if (static_cast<uint64_t>(limit - p) < uint64_t{*unshared} + *value_length) return nullptr;
  return p;
}

}  // namespace

class Block::Iter final : public Iterator {
 public:
  Iter(const Comparator* comparator, const char* data, uint32_t restarts, uint32_t num_restarts)
      : comparator_(comparator),
        data_(data),
        restarts_(restarts),
        num_restarts_(num_restarts),
        current_(restarts),
        restart_index_(num_restarts) {
    assert(num_restarts_ > 0);
  }

  bool Valid() const override { return current_ < restarts_ && status_.ok(); }
  Status status() const override { return status_; }
  std::string_view key() const override {
    assert(Valid());
    return key_;
  }
  std::string_view value() const override {
    assert(Valid());
    return value_;
  }

  void Next() override {
    assert(Valid());
    ParseNextKey();
  }

  void Prev() override {
    assert(Valid());
    // Back up to a restart point that starts before the current entry.
    const uint32_t original = current_;
    while (RestartPoint(restart_index_) >= original) {
      if (restart_index_ == 0) {  // no entry before the first one
        current_ = restarts_;
        restart_index_ = num_restarts_;
        return;
      }
      --restart_index_;
    }
    SeekToRestartPoint(restart_index_);
    // Decode forward until the entry just before `original`.
    do {
      if (!ParseNextKey()) return;
    } while (NextEntryOffset() < original);
  }

  void Seek(std::string_view target) override {
    // exercise step4.seek: binary-search the restart points for the last one whose key is
    // < target, then scan forward to the first key >= target. The tests seek to every key and
    // between keys, before the first and after the last, and in damaged blocks
    //   tests: BlockSeekTest.*:Block.LongSharedPrefixesAndBinaryKeys
    //   tests: Block.EveryByteFlippedNeverCrashes
    //   stub: (void)target;
    //   stub: lsm_exercise::Todo("step4.seek");
    // Binary search: find the last restart point whose key is < target.
    uint32_t left = 0;
    uint32_t right = num_restarts_ - 1;
    int current_key_compare = 0;
    if (Valid()) {
      // Already positioned: use the current key to narrow the search (helps Next-then-Seek).
      current_key_compare = Compare(key_, target);
      if (current_key_compare < 0) {
        left = restart_index_;
      } else if (current_key_compare > 0) {
        right = restart_index_;
      } else {
        return;  // already at target
      }
    }
    while (left < right) {
      const uint32_t mid = (left + right + 1) / 2;
      const uint32_t region = RestartPoint(mid);
      uint32_t shared, unshared, value_length;
      const char* key_ptr = DecodeEntry(data_ + region, data_ + restarts_, &shared, &unshared,
                                        &value_length);
      if (key_ptr == nullptr || shared != 0) {
        CorruptionError("bad entry at restart point");
        return;
      }
      if (Compare(std::string_view(key_ptr, unshared), target) < 0) {
        left = mid;  // keys before mid are all < target
      } else {
        right = mid - 1;
      }
    }
    // Linear scan from the restart point for the first key >= target.
    assert(current_key_compare == 0 || Valid());
    const bool skip_seek = left == restart_index_ && current_key_compare < 0;
    if (!skip_seek) SeekToRestartPoint(left);
    while (true) {
      if (!ParseNextKey()) return;
      if (Compare(key_, target) >= 0) return;
    }
    // end exercise
  }

  void SeekToFirst() override {
    SeekToRestartPoint(0);
    ParseNextKey();
  }

  void SeekToLast() override {
    SeekToRestartPoint(num_restarts_ - 1);
    while (ParseNextKey() && NextEntryOffset() < restarts_) {
    }
  }

 private:
  int Compare(std::string_view a, std::string_view b) const { return comparator_->Compare(a, b); }

  uint32_t NextEntryOffset() const {
    return static_cast<uint32_t>((value_.data() + value_.size()) - data_);
  }

  uint32_t RestartPoint(uint32_t index) const {
    assert(index < num_restarts_);
    return DecodeFixed32(data_ + restarts_ + index * sizeof(uint32_t));
  }

  void SeekToRestartPoint(uint32_t index) {
    key_.clear();
    restart_index_ = index;
    // current_ is fixed by ParseNextKey(); value_ is set so NextEntryOffset() is the restart.
    uint32_t offset = RestartPoint(index);
    if (offset > restarts_) {  // points past the entries: the restart array is corrupt
      if (status_.ok()) status_ = Status::Corruption("block: restart offset {} out of range", offset);
      offset = restarts_;  // ParseNextKey() will stop here
    }
    value_ = std::string_view(data_ + offset, 0);
  }

  void CorruptionError(std::string_view what) {
    current_ = restarts_;
    restart_index_ = num_restarts_;
    if (status_.ok()) status_ = Status::Corruption("block: {}", what);
    key_.clear();
    value_ = {};
  }

  // Decodes the entry at NextEntryOffset(). Returns false at the end or on corruption.
  bool ParseNextKey() {
    // exercise step4.parse: decode the entry at NextEntryOffset(): key_ keeps `shared` bytes
    // of the previous key plus the unshared ones; keep restart_index_ in step; false at the
    // end or on a bad entry (CorruptionError). The tests walk blocks forward and backward, with
    // long shared prefixes and every varint length edge (a stale restart_index_ only slows Prev)
    //   tests: BlockBuilder.EmptyBlockIsEightBytes:Block.RoundTripsAgainstStdMap
    //   tests: Block.TooShortOrOversizedRestartCountIsCorruption
    //   tests: Block.RestartOffsetOutOfRangeIsCorruption:BlockSeekTest.WalksBackwards
    //   tests: BlockLengthEdge.*
    //   stub: lsm_exercise::Todo("step4.parse");
    current_ = NextEntryOffset();
    const char* p = data_ + current_;
    const char* limit = data_ + restarts_;
    if (p >= limit) {  // no more entries
      current_ = restarts_;
      restart_index_ = num_restarts_;
      return false;
    }
    uint32_t shared, unshared, value_length;
    p = DecodeEntry(p, limit, &shared, &unshared, &value_length);
    if (p == nullptr || key_.size() < shared) {
      CorruptionError("bad entry");
      return false;
    }
    key_.resize(shared);
    key_.append(p, unshared);
    value_ = std::string_view(p + unshared, value_length);
    while (restart_index_ + 1 < num_restarts_ && RestartPoint(restart_index_ + 1) < current_) {
      ++restart_index_;
    }
    return true;
    // end exercise
  }

  const Comparator* const comparator_;
  const char* const data_;       // the block's bytes
  const uint32_t restarts_;      // offset of the restart array (= end of the entries)
  const uint32_t num_restarts_;  // > 0

  uint32_t current_;        // offset of the current entry; >= restarts_ when not Valid()
  uint32_t restart_index_;  // restart block the current entry is in
  std::string key_;
  std::string_view value_;
  Status status_;

 public:
  std::unique_ptr<const Block> owned_block_;  // set by NewOwningIterator; data_ points into it
};

std::unique_ptr<Iterator> Block::NewIterator(const Comparator* comparator) const {
  if (malformed_) return NewEmptyIterator(Status::Corruption("block: bad restart array"));
  if (num_restarts_ == 0) return NewEmptyIterator();
  return std::make_unique<Iter>(comparator, data_.data(), restart_offset_, num_restarts_);
}

std::unique_ptr<Iterator> Block::NewOwningIterator(std::unique_ptr<const Block> block,
                                                   const Comparator* comparator) {
  if (block->malformed_ || block->num_restarts_ == 0) return block->NewIterator(comparator);
  auto it = std::make_unique<Iter>(comparator, block->data_.data(), block->restart_offset_,
                                   block->num_restarts_);
  it->owned_block_ = std::move(block);  // one allocation fewer than a cleanup function
  return it;
}

}  // namespace lsm
