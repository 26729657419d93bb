#include "step1_memory/memory_store.h"

#include <algorithm>
#include <vector>

namespace lsm {

Status MemoryStore::Put(std::string_view key, std::string_view value) {
  auto it = map_.find(key);
  if (it == map_.end()) {
    map_.emplace(std::string(key), std::string(value));
    bytes_ += key.size() + value.size();
  } else {
    bytes_ = bytes_ - it->second.size() + value.size();
    it->second.assign(value);
  }
  return Status::OK();
}

Status MemoryStore::Get(std::string_view key, std::string* value) const {
  auto it = map_.find(key);
  if (it == map_.end()) return Status::NotFound();
  value->assign(it->second);
  return Status::OK();
}

Status MemoryStore::Delete(std::string_view key) {
  auto it = map_.find(key);
  if (it != map_.end()) {
    bytes_ -= it->first.size() + it->second.size();
    map_.erase(it);
  }
  return Status::OK();
}

Status MemoryStore::Scan(std::string_view from, std::string_view to,
                         const ScanCallback& fn) const {
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
}

}  // namespace lsm
