// WalReader: reads logical records back from a log file (format: step2_wal/log_format.h),
// verifying checksums and telling damage apart from a torn tail.
//
// Example:
//   WalReader reader(file.get(), &reporter, /*checksum=*/true);
//   std::string scratch;
//   std::string_view record;
//   while (reader.ReadRecord(&record, &scratch)) Apply(record);
//   if (reader.torn_tail_bytes() > 0) { ... the log ended in an incomplete record ... }
//
// What it reports, and how:
//   - damage in the middle (bad checksum, impossible length, unknown type, a fragment without
//     its FIRST or LAST): Reporter::Corruption(bytes dropped, status naming file and offset);
//     the rest of that block is skipped and reading continues in the next record/block.
//   - a record cut off by end of file (a crash during an append): not corruption. The reader
//     ends the log there and counts the bytes in torn_tail_bytes().
// It never returns a record whose checksum did not match (when `checksum` is true).
//
// Invariant: buffer_ views the unread rest of the current block; end_of_buffer_offset_ is the
// file offset just past it.
// Thread-safety: none; one thread at a time.
// Lifetimes: `src` and `reporter` must outlive the reader; reporter may be null.
// Not copyable.
// Simplifications: a bad length in the very last block is indistinguishable from a torn tail
// and is counted as one (LevelDB does the same).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/file.h"
#include "common/status.h"
#include "step2_wal/log_format.h"

namespace lsm {

class WalReader {
 public:
  struct Reporter {
    virtual ~Reporter() = default;
    // bytes dropped because of damage; status names file+offset
    virtual void Corruption(size_t bytes, const Status& status) = 0;
  };

  // src and reporter must outlive the reader; reporter may be null. With checksum, every
  // record's CRC32C is verified. Reading starts at the first record that begins at or after
  // initial_offset.
  WalReader(SequentialFile* src, Reporter* reporter, bool checksum,
            uint64_t initial_offset = 0);
  WalReader(const WalReader&) = delete;
  WalReader& operator=(const WalReader&) = delete;

  // Reads the next logical record: true and *record set, or false at end of log.
  // *record is valid until the next call or until *scratch changes (it may point into
  // *scratch or into the reader's block buffer).
  bool ReadRecord(std::string_view* record, std::string* scratch);

  // File offset of the first header of the last record ReadRecord returned.
  uint64_t LastRecordOffset() const { return last_record_offset_; }
  // File offset just past the last record ReadRecord returned (0 before the first).
  uint64_t LastRecordEnd() const { return last_record_end_; }

  // True when the log ended inside a record (a crash mid-append); torn_tail_bytes() counts the
  // bytes of that incomplete record (headers, fragments, and a cut-off header).
  bool ended_in_torn_tail() const { return torn_tail_bytes_ > 0; }
  uint64_t torn_tail_bytes() const { return torn_tail_bytes_; }
  // Total bytes reported to the Reporter as damaged.
  uint64_t dropped_bytes() const { return dropped_bytes_; }

 private:
  // Extra results of ReadPhysicalRecord beyond the RecordType values.
  static constexpr int kEof = log::kMaxRecordType + 1;
  static constexpr int kBadRecord = log::kMaxRecordType + 2;

  // Returns the next physical record's type (and its payload and header offset), kEof, or
  // kBadRecord for a record that was dropped (already reported, or silently skipped).
  int ReadPhysicalRecord(std::string_view* fragment, uint64_t* offset);
  // Positions the file at the block holding initial_offset_. False on a read error.
  bool SkipToInitialBlock();
  void ReportDrop(uint64_t bytes, uint64_t offset, const Status& reason);

  // Constant after construction.
  SequentialFile* const src_;
  Reporter* const reporter_;
  const bool checksum_;
  const uint64_t initial_offset_;
  const std::unique_ptr<char[]> backing_;  // one block

  std::string_view buffer_;
  bool started_ = false;  // SkipToInitialBlock() has run
  bool eof_ = false;  // the last Read returned less than a block
  uint64_t end_of_buffer_offset_ = 0;
  uint64_t last_record_offset_ = 0;
  uint64_t last_record_end_ = 0;
  // True until the first FULL or FIRST at or after initial_offset_ is found.
  bool resyncing_;
  uint64_t torn_tail_bytes_ = 0;
  uint64_t dropped_bytes_ = 0;
};

}  // namespace lsm
