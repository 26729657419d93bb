#include "step3_memtable/memtable.h"

#include <cassert>
#include <cstring>

#include "common/coding.h"

namespace lsm {

std::string_view GetLengthPrefixedAt(const char* p) {
  uint32_t len = 0;
  // Five bytes always hold a varint32; the entry was written by us, so it is well formed.
  const char* q = GetVarint32Ptr(p, p + kMaxVarint32Bytes, &len);
  assert(q != nullptr);
  return std::string_view(q, len);
}

int MemTable::KeyComparator::operator()(const char* a, const char* b) const {
  return comparator.Compare(GetLengthPrefixedAt(a), GetLengthPrefixedAt(b));
}

MemTable::MemTable(const InternalKeyComparator& comparator)
    : comparator_{comparator}, table_(comparator_, &arena_) {}

void MemTable::Add(SequenceNumber seq, ValueType type, std::string_view key,
                   std::string_view value) {
  // exercise step3.add: encode varint32 klen | user key | fixed64 tag | varint32 vlen | value,
  // where klen = user key size + 8 (the internal key) and tag = (seq << 8) | type, into one
  // arena allocation; insert it into the skip list; add 1 to num_entries_. The tests read the
  // entries back through the iterator (exact internal keys and values) and count them
  //   tests: MemTableTest.IteratorYieldsInternalKeysNewestFirst
  //   tests: MemTableTest.IteratorKeyIsTheExactInternalKey:MemTableTest.IteratorSeekAndPrev
  //   tests: MemTableTest.MemoryUsageGrowsWithInserts:MemTableTest.IteratorCanPinASharedMemTable
  //   tests: MemTableAdd.*
  //   stub: (void)seq, (void)type, (void)key, (void)value;
  //   stub: lsm_exercise::Todo("step3.add");
  assert(seq <= kMaxSequenceNumber);
  const size_t internal_key_size = key.size() + kTagSize;
  const size_t encoded_len = VarintLength(internal_key_size) + internal_key_size +
                             VarintLength(value.size()) + value.size();
  char* const buf = arena_.Allocate(encoded_len);
  char* p = EncodeVarint32(buf, static_cast<uint32_t>(internal_key_size));
  if (!key.empty()) std::memcpy(p, key.data(), key.size());  // data() may be null when empty
  p += key.size();
  EncodeFixed64(p, PackSequenceAndType(seq, type));
  p += kTagSize;
  p = EncodeVarint32(p, static_cast<uint32_t>(value.size()));
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  assert(p + value.size() == buf + encoded_len);
  table_.Insert(buf);
  num_entries_.store(num_entries_.load(std::memory_order_relaxed) + 1,
                     std::memory_order_relaxed);
  // end exercise
}

bool MemTable::Get(const LookupKey& key, std::string* value, Status* s) const {
  // exercise step3.get: seek to the lookup key; if the entry found has the same user key,
  // a value answers true with *s = OK and the value, a tombstone true with *s = NotFound;
  // otherwise return false and leave *s alone. The tests compare every key at every snapshot
  // with a model, and run the MemTableStore on top
  //   tests: MemTableTest.EmptyMemTable:MemTableTest.TombstoneShadowsOlderValue
  //   tests: MemTableTest.VersionsAtEverySnapshotMatchModel:MemTableTest.BinaryKeys*
  //   tests: MemTableTest.NumEntriesCountsEveryAddIncludingTombstones:MemTableStoreTest.*
  //   tests: Step3/StoreConformanceTest/*:MemTableConcurrency.*
  //   stub: (void)key, (void)value, (void)s;
  //   stub: lsm_exercise::Todo("step3.get");
  Table::Iterator it(&table_);
  // The lookup key's tag is (snapshot << 8) | kValueTypeForSeek: it sorts just before every
  // entry of this user key with sequence <= snapshot, so Seek lands on the newest visible one.
  it.Seek(key.memtable_key().data());
  if (!it.Valid()) return false;
  const char* entry = it.key();
  const std::string_view internal_key = GetLengthPrefixedAt(entry);
  // Seek may have landed on a different (larger) user key: then this key is absent here.
  if (comparator_.comparator.user_comparator()->Compare(ExtractUserKey(internal_key),
                                                    key.user_key()) != 0) {
    return false;
  }
  switch (static_cast<ValueType>(ExtractTag(internal_key) & 0xff)) {
    case ValueType::kValue: {
      const std::string_view v = GetLengthPrefixedAt(internal_key.data() + internal_key.size());
      value->assign(v.data(), v.size());
      *s = Status::OK();
      return true;
    }
    case ValueType::kDeletion:
      *s = Status::NotFound();
      return true;
  }
  assert(false && "memtable holds only values and deletions");
  return false;
  // end exercise
}

std::vector<MemTable::Tower> MemTable::Towers() const {
  std::vector<Tower> out;
  for (const auto& t : table_.Towers()) out.push_back(Tower{GetLengthPrefixedAt(t.key), t.height});
  return out;
}

// The memtable's cursor: a skip-list iterator that decodes entries on the way out.
class MemTable::MemTableIterator final : public Iterator {
 public:
  explicit MemTableIterator(const Table* table) : it_(table) {}

  bool Valid() const override { return it_.Valid(); }
  void SeekToFirst() override { it_.SeekToFirst(); }
  void SeekToLast() override { it_.SeekToLast(); }
  void Seek(std::string_view internal_key) override {
    assert(internal_key.size() >= kTagSize);
    // The skip list compares encoded entries: prefix the target with its varint length.
    scratch_.clear();
    PutVarint32(&scratch_, static_cast<uint32_t>(internal_key.size()));
    scratch_.append(internal_key);
    it_.Seek(scratch_.data());
  }
  void Next() override { it_.Next(); }
  void Prev() override { it_.Prev(); }
  std::string_view key() const override { return GetLengthPrefixedAt(it_.key()); }
  std::string_view value() const override {
    const std::string_view k = key();
    return GetLengthPrefixedAt(k.data() + k.size());
  }
  Status status() const override { return Status::OK(); }

 private:
  Table::Iterator it_;
  std::string scratch_;  // the encoded Seek target
};

std::unique_ptr<Iterator> MemTable::NewIterator() const {
  return std::make_unique<MemTableIterator>(&table_);
}

}  // namespace lsm
