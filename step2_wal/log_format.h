// The write-ahead log's physical format — LevelDB's log format, byte for byte.
//
// A log file is a sequence of 32 KiB blocks. Each logical record (one WriteBatch) is written as
// one or more physical records; a physical record never crosses a block boundary:
//
//   +-----------+-----------+--------+----------------------+
//   | crc  (4)  | length (2)| type(1)| payload (length)     |   header = kHeaderSize = 7 bytes
//   +-----------+-----------+--------+----------------------+
//    fixed32      fixed16     1 FULL   `length` bytes
//    masked       little      2 FIRST
//    CRC32C of    endian      3 MIDDLE
//    type+payload             4 LAST
//
//   block 0 (32768 bytes)                          block 1
//   |[hdr|FULL a][hdr|FIRST b.......................][hdr|LAST b][hdr|FULL c]..|00 00 00|
//                                                                 tail < 7 bytes -> zeros ^
//
// Rules the writer follows (and the reader relies on):
//   - fewer than 7 bytes left in a block: fill them with zeros and start the next block;
//   - exactly 7 left: a zero-length FIRST fragment goes there;
//   - an empty logical record is one FULL record of length 0;
//   - a record larger than the block remainder is split FIRST, MIDDLE..., LAST.
// Type 0 (kZero) is reserved for preallocated, all-zero space; the writer never emits it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lsm::log {

inline constexpr size_t kBlockSize = 32768;
// crc (4) + length (2) + type (1).
inline constexpr size_t kHeaderSize = 4 + 2 + 1;

enum class RecordType : uint8_t {
  kZero = 0,
  kFull = 1,
  kFirst = 2,
  kMiddle = 3,
  kLast = 4,
};
inline constexpr uint8_t kMaxRecordType = static_cast<uint8_t>(RecordType::kLast);

// The largest payload one physical record can carry (a whole block minus its header).
inline constexpr size_t kMaxFragmentSize = kBlockSize - kHeaderSize;

// The record type's name as LevelDB's docs spell it ("FULL", "FIRST", ...); "BAD" for a byte
// that is no record type (a damaged header), for dump tools.
inline constexpr const char* RecordTypeName(uint8_t type) {
  constexpr const char* kNames[] = {"ZERO", "FULL", "FIRST", "MIDDLE", "LAST"};
  return type <= kMaxRecordType ? kNames[type] : "BAD";
}

}  // namespace lsm::log
