// CRC32C (Castagnoli polynomial, reflected 0x82F63B78): the checksum in every LevelDB file.
//
// Stored checksums are *masked*: computing the CRC of data that itself holds CRCs (a log
// record inside a table, say) is weak, so LevelDB rotates and offsets the value before storing
// it. Always store Mask(Value(...)) and compare Unmask(stored) with a fresh Value(...).
//
// Example:
//   uint32_t crc = crc32c::Value(data.data(), data.size());
//   crc = crc32c::Extend(crc, more.data(), more.size());   // same as Value(data + more)
//   EncodeFixed32(buf, crc32c::Mask(crc));
//
// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lsm::crc32c {

// Returns the crc32c of concat(A, data[0, n)) where init_crc is the crc32c of A.
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);

// Returns the crc32c of data[0, n).
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }
inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

// Returns the stored form of crc: rotate right by 15 bits, then add a constant.
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

// Inverse of Mask().
inline uint32_t Unmask(uint32_t masked) {
  // exercise step2.unmask: undo Mask(): subtract the delta, then rotate left by 15 bits. The
  // tests unmask masked values and the log's golden checksum
  //   tests: Crc32cMask.*
  //   stub: (void)masked;
  //   stub: lsm_exercise::Todo("step2.unmask");
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
  // end exercise
}

// True when Extend() uses the hardware instruction (for the benchmark report).
bool IsHardwareAccelerated();

}  // namespace lsm::crc32c
