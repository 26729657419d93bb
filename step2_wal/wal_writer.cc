#include "step2_wal/wal_writer.h"

#include <algorithm>
#include <cassert>

#include "common/coding.h"
#include "common/crc32c.h"

namespace lsm {

using log::kBlockSize;
using log::kHeaderSize;
using log::RecordType;

WalWriter::WalWriter(WritableFile* dest, uint64_t dest_length)
    : dest_(dest), block_offset_(dest_length % kBlockSize), file_size_(dest_length) {
  assert(dest_ != nullptr);
  for (size_t t = 0; t < type_crc_.size(); ++t) {
    const char type_byte = static_cast<char>(t);
    type_crc_[t] = crc32c::Value(&type_byte, 1);
  }
}

Status WalWriter::AddRecord(std::string_view record) {
  // exercise step2.fragment: cut the record into FULL, or FIRST/MIDDLE.../LAST fragments that
  // fit the 32 KiB blocks (an empty record is one FULL fragment; exactly 7 bytes left take a
  // zero-length FIRST); pad a block tail shorter than a header with zeros. The tests parse the
  // file's fragments, and LevelDB reads the log back
  //   tests: WalBytes.EmptyRecordIsOneFullHeader:WalBytes.HundredKibRecordIsFirstMiddleMiddleLast
  //   tests: WalBytes.SevenBytesLeftGetAZeroLengthFirst:WalBytes.ShortTail*:WalBytes.RecordFilling*
  //   tests: LevelDbCompat.LevelDbReplaysALogWrittenByUs
  //   stub: // A placeholder, so that step2.header can be done first: a record that fits in
  //   stub: // the current block goes out as one FULL fragment, any other stops here.
  //   stub: if (block_offset_ + kHeaderSize + record.size() > kBlockSize) {
  //   stub:   return Status::NotSupported("exercise step2.fragment: not written yet (a record "
  //   stub:                               "that does not fit the current block)");
  //   stub: }
  //   stub: Status s = EmitPhysicalRecord(RecordType::kFull, record);
  //   stub: if (s.ok()) s = dest_->Flush();
  //   stub: return s;
  Status s;
  bool first_fragment = true;
  // do/while: an empty record still becomes one FULL record of length 0.
  do {
    const size_t leftover = kBlockSize - block_offset_;
    if (leftover < kHeaderSize) {
      // No room for a header: pad the block's tail with zeros and move to the next block.
      if (leftover > 0) {
        static constexpr char kZeros[kHeaderSize] = {};
        s = dest_->Append(std::string_view(kZeros, leftover));
        if (!s.ok()) return s;
        file_size_ += leftover;
      }
      block_offset_ = 0;
    }
    // Exactly 7 bytes left gives available == 0: a zero-length FIRST fragment, as in LevelDB.
    const size_t available = kBlockSize - block_offset_ - kHeaderSize;
    const size_t length = std::min(record.size(), available);
    const bool last_fragment = length == record.size();
    RecordType type;
    if (first_fragment && last_fragment) {
      type = RecordType::kFull;
    } else if (first_fragment) {
      type = RecordType::kFirst;
    } else if (last_fragment) {
      type = RecordType::kLast;
    } else {
      type = RecordType::kMiddle;
    }
    s = EmitPhysicalRecord(type, record.substr(0, length));
    record.remove_prefix(length);
    first_fragment = false;
  } while (s.ok() && !record.empty());
  if (s.ok()) s = dest_->Flush();
  return s;
  // end exercise
}

Status WalWriter::Sync() { return dest_->Sync(); }

Status WalWriter::EmitPhysicalRecord(RecordType type, std::string_view fragment) {
  // exercise step2.header: write one fragment: a 7-byte header (masked crc32c of type +
  // payload, 2-byte little-endian length, type), then the payload; advance block_offset_ and
  // file_size_. The tests compare the bytes of small FULL records and file_size()
  //   tests: WalBytes.EachHeaderIsMaskedCrcLengthTypeThenThePayload
  //   tests: WalTest.GoldenThreeByteFullRecord
  //   stub: (void)type, (void)fragment;
  //   stub: return Status::NotSupported("exercise step2.header: not written yet");
  // REQUIRES: the fragment and its header fit in the current block.
  assert(fragment.size() <= 0xffff);
  assert(block_offset_ + kHeaderSize + fragment.size() <= kBlockSize);

  char header[kHeaderSize];
  const auto t = static_cast<uint8_t>(type);
  const uint32_t crc = crc32c::Extend(type_crc_[t], fragment.data(), fragment.size());
  EncodeFixed32(header, crc32c::Mask(crc));
  header[4] = static_cast<char>(fragment.size() & 0xff);
  header[5] = static_cast<char>(fragment.size() >> 8);
  header[6] = static_cast<char>(t);

  Status s = dest_->Append(std::string_view(header, kHeaderSize));
  if (s.ok()) s = dest_->Append(fragment);
  block_offset_ += kHeaderSize + fragment.size();
  file_size_ += kHeaderSize + fragment.size();
  return s;
  // end exercise
}

}  // namespace lsm
