#include "step3_memtable/arena.h"

#include <cstdint>

namespace lsm {

static_assert((Arena::kAlignment & (Arena::kAlignment - 1)) == 0, "alignment is a power of 2");
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ >= Arena::kAlignment,
              "fresh blocks must already be aligned");

char* Arena::AllocateFallback(size_t bytes) {
  if (bytes > kLargeAllocation) {
    // Big request: its own block, and the current block keeps serving small ones.
    return AllocateNewBlock(bytes);
  }
  // The rest of the current block (< a quarter of it) is wasted; start a new block.
  alloc_ptr_ = AllocateNewBlock(kBlockSize);
  alloc_remaining_ = kBlockSize;
  char* result = alloc_ptr_;
  alloc_ptr_ += bytes;
  alloc_remaining_ -= bytes;
  return result;
}

char* Arena::AllocateAligned(size_t bytes) {
  assert(bytes > 0);
  const size_t misalignment = reinterpret_cast<uintptr_t>(alloc_ptr_) & (kAlignment - 1);
  const size_t padding = misalignment == 0 ? 0 : kAlignment - misalignment;
  const size_t needed = bytes + padding;
  char* result;
  if (needed <= alloc_remaining_) {
    result = alloc_ptr_ + padding;
    alloc_ptr_ += needed;
    alloc_remaining_ -= needed;
  } else {
    // New blocks come from operator new[], which aligns to at least
    // __STDCPP_DEFAULT_NEW_ALIGNMENT__ (16 on x86-64), so no padding is needed there.
    result = AllocateFallback(bytes);
  }
  assert((reinterpret_cast<uintptr_t>(result) & (kAlignment - 1)) == 0);
  return result;
}

char* Arena::AllocateNewBlock(size_t block_bytes) {
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_bytes));
  // Count the block and the vector slot that owns it.
  memory_usage_.fetch_add(block_bytes + sizeof(std::unique_ptr<char[]>),
                          std::memory_order_relaxed);
  return blocks_.back().get();
}

}  // namespace lsm
