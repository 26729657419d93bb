#include "step1_memory/memory_store.h"

#include <algorithm>
#include <vector>

namespace lsm {

Status MemoryStore::Put(std::string_view key, std::string_view value) {
  // exercise step1.put: insert or overwrite key; bytes_ counts the bytes of keys + values
  // (an overwrite gives back the old value's size). The tests read size() and
  // ApproximateBytes() only, after inserts and overwrites of different sizes
  //   tests: MemoryStorePut.*
  //   stub: (void)key, (void)value;
  //   stub: return Status::NotSupported("exercise step1.put: not written yet");
  auto it = map_.find(key);
  if (it == map_.end()) {
    map_.emplace(std::string(key), std::string(value));
    bytes_ += key.size() + value.size();
  } else {
    bytes_ = bytes_ - it->second.size() + value.size();
    it->second.assign(value);
  }
  return Status::OK();
  // end exercise
}

Status MemoryStore::Get(std::string_view key, std::string* value) const {
  // exercise step1.get: replace *value with the key's value, or return NotFound for a missing
  // key. The tests read back what Put stored (empty, binary, 1 MiB values, overwrites)
  //   tests: *.PutThenGet:*.OverwriteKeepsNewest:*.EmptyKeyAndEmptyValue:*.BinaryKeysWithNulBytes
  //   tests: *.OneMebibyteValue:MemoryStore.ClearEmptiesEverything:MemoryStoreGet.*
  //   stub: (void)key, (void)value;
  //   stub: return Status::NotSupported("exercise step1.get: not written yet");
  auto it = map_.find(key);
  if (it == map_.end()) return Status::NotFound();
  value->assign(it->second);
  return Status::OK();
  // end exercise
}

Status MemoryStore::Delete(std::string_view key) {
  // exercise step1.delete: erase key if present (OK either way) and give its bytes back. The
  // tests delete present and missing keys and watch size() and ApproximateBytes()
  //   tests: *.DeleteRemovesAndMissingDeleteIsOk:MemoryStore.SizeAndBytesTrackContents
  //   stub: (void)key;
  //   stub: return Status::NotSupported("exercise step1.delete: not written yet");
  auto it = map_.find(key);
  if (it != map_.end()) {
    bytes_ -= it->first.size() + it->second.size();
    map_.erase(it);
  }
  return Status::OK();
  // end exercise
}

Status MemoryStore::Scan(std::string_view from, std::string_view to,
                         const ScanCallback& fn) const {
  // exercise step1.scan: call fn on the keys in [from, to) in ascending (unsigned bytewise)
  // order, an empty `to` meaning no upper bound; stop when fn returns false. The tests check
  // the bounds, the order, the early stop, and random histories against std::map
  //   tests: *.ScanIsOrderedAndBounded:MemoryStore.Scan*:*.RandomizedAgainstStdMap
  //   stub: (void)from, (void)to, (void)fn;
  //   stub: return Status::NotSupported("exercise step1.scan: not written yet");
  // A hash map has no order: collect the keys in range, then sort them. O(n log n).
  std::vector<const std::pair<const std::string, std::string>*> hits;
  for (const auto& entry : map_) {
    std::string_view k = entry.first;
    if (k >= from && (to.empty() || k < to)) hits.push_back(&entry);
  }
  std::sort(hits.begin(), hits.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* e : hits) {
    if (!fn(e->first, e->second)) break;
  }
  return Status::OK();
  // end exercise
}

}  // namespace lsm
