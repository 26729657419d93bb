// Iterator: the one cursor interface over sorted key/value data — a memtable (step 3), a block
// or a table (step 4), a merge of many of them and the whole database (step 5).
//
// Contract (every implementation keeps it; tests check it):
//   - A new iterator is not Valid(); position it with SeekToFirst/SeekToLast/Seek first.
//   - Seek(target) moves to the first entry with key >= target (in the iterator's comparator
//     order); if there is none, the iterator is not Valid() — "seek past the end".
//   - Next() / Prev() REQUIRE Valid(). Next() past the last entry, or Prev() before the first,
//     leaves the iterator not Valid().
//   - key() / value() REQUIRE Valid(). The views they return stay valid only until the next
//     call that moves the iterator (or its destruction); copy them to keep them.
//   - status() is OK unless an error (I/O, corruption) was met; an error also makes the
//     iterator not Valid(). Always check status() after a loop ends.
// Thread-safety: an iterator is used by one thread at a time. It must not outlive the data
// structure it walks unless its class says it pins that structure.
//
// Example:
//   for (it->Seek("b"); it->Valid() && it->key() < "d"; it->Next()) Use(it->key(), it->value());
//   if (!it->status().ok()) return it->status();
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lsm {

class Iterator {
 public:
  Iterator() = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  virtual ~Iterator();

  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  virtual void Seek(std::string_view target) = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;

  // Runs fn when the iterator is destroyed (e.g. to release a cache handle it pins).
  void RegisterCleanup(std::function<void()> fn) { cleanups_.push_back(std::move(fn)); }

 private:
  std::vector<std::function<void()>> cleanups_;
};

// An iterator over nothing; status() returns s (OK for a plain empty iterator).
std::unique_ptr<Iterator> NewEmptyIterator(Status s = Status::OK());

}  // namespace lsm
