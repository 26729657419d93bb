#include "step1_memory/memory_store.h"

#include <algorithm>
#include <vector>

namespace lsm {

Status MemoryStore::Put(std::string_view key, std::string_view value) {
  // exercise step1.put: insert or overwrite key; bytes_ counts the bytes of keys + values
  //   tests: *.PutThenGet:*.OverwriteKeepsNewest:MemoryStore.SizeAndBytesTrackContents
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
  // exercise step1.get: copy the value into *value, or return NotFound for a missing key
  //   tests: *.PutThenGet:*.EmptyKeyAndEmptyValue:*.BinaryKeysWithNulBytes:*.OneMebibyteValue
  //   tests: MemoryStore.ClearEmptiesEverything
  //   stub: (void)key, (void)value;
  //   stub: return Status::NotSupported("exercise step1.get: not written yet");
  auto it = map_.find(key);
  if (it == map_.end()) return Status::NotFound();
  value->assign(it->second);
  return Status::OK();
  // end exercise
}

Status MemoryStore::Delete(std::string_view key) {
  // exercise step1.delete: erase key if present (OK either way) and give its bytes back
  //   tests: *.DeleteRemovesAndMissingDeleteIsOk:MemoryStore.SizeAndBytesTrackContents
  //   tests: *.RandomizedAgainstStdMap
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
  // exercise step1.scan: call fn on the keys in [from, to) in ascending order, stop when it
  // returns false
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
