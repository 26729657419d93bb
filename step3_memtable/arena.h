// Arena: a bump allocator for the memtable. Many small allocations (skip-list nodes, encoded
// entries) are carved out of 4 KiB blocks; everything is freed at once when the arena dies.
//
//   block (4096 bytes)
//   +--------+--------+-----------+----------------------------+
//   | node A | entry A| node B ...|     free: alloc_remaining_ |
//   +--------+--------+-----------+----------------------------+
//                                 ^ alloc_ptr_
//
// A request larger than a quarter block gets a block of its own, so a big value never wastes
// the rest of the current block. AllocateAligned() returns memory aligned for any pointer or
// std::atomic<T*> (alignof(std::max_align_t) would be stricter than we need).
//
// Example:
//   Arena arena;
//   char* buf = arena.Allocate(10);                 // raw bytes
//   void* mem = arena.AllocateAligned(sizeof(Node)); // placement-new a Node here
//   size_t used = arena.MemoryUsage();              // readable from any thread
//
// Lifetimes: every pointer it returns stays valid until the arena is destroyed; nothing is
// freed earlier (there is no Free()).
// Thread-safety: Allocate/AllocateAligned need external synchronization (one writer);
// MemoryUsage() may be called from any thread at any time (an atomic counter).
// Not copyable or movable (callers hold pointers into it).
// Simplifications: none against LevelDB's util/arena; we only add the contract text.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

namespace lsm {

class Arena {
 public:
  static constexpr size_t kBlockSize = 4096;
  // Allocations above this size get their own block.
  static constexpr size_t kLargeAllocation = kBlockSize / 4;
  // What AllocateAligned guarantees: enough for pointers, atomics and 64-bit integers.
  static constexpr size_t kAlignment = alignof(void*) > 8 ? alignof(void*) : 8;

  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns a pointer to `bytes` fresh bytes (no alignment promised).
  // REQUIRES: bytes > 0.
  char* Allocate(size_t bytes);

  // Returns a pointer to `bytes` fresh bytes aligned to kAlignment.
  // REQUIRES: bytes > 0.
  char* AllocateAligned(size_t bytes);

  // Returns the bytes the arena has taken from the heap (whole blocks plus bookkeeping), an
  // upper bound on what it handed out. Thread-safe.
  size_t MemoryUsage() const { return memory_usage_.load(std::memory_order_relaxed); }

  // Number of blocks taken from the heap (for tests and the chapter's narration).
  size_t blocks() const { return blocks_.size(); }

 private:
  char* AllocateFallback(size_t bytes);
  char* AllocateNewBlock(size_t block_bytes);

  // Guarded by the single writer.
  char* alloc_ptr_ = nullptr;
  size_t alloc_remaining_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;

  // Written by the writer, read by anyone.
  std::atomic<size_t> memory_usage_{0};
};

inline char* Arena::Allocate(size_t bytes) {
  assert(bytes > 0);
  if (bytes <= alloc_remaining_) {
    char* result = alloc_ptr_;
    alloc_ptr_ += bytes;
    alloc_remaining_ -= bytes;
    return result;
  }
  return AllocateFallback(bytes);
}

}  // namespace lsm
