// WalWriter: appends logical records to a log file in LevelDB's format (step2_wal/log_format.h).
//
// Example:
//   std::unique_ptr<WritableFile> file;
//   Status s = fs->NewWritableFile(dir / "000001.log", &file);
//   WalWriter writer(file.get());
//   if (s.ok()) s = writer.AddRecord(batch.Contents());
//   if (s.ok()) s = writer.Sync();        // only now is the record durable
//
// Each AddRecord() ends with dest->Flush(): the bytes reach the OS, so they survive a crash
// of this process (not a power loss — that needs Sync()).
// Invariant: block_offset_ is the write position inside the current 32 KiB block.
// Thread-safety: none. One writer per file, and one AddRecord/Sync at a time: the caller
// serializes them. The stores of steps 2-4 call it under their write mutex; step 5 calls it
// with the DB mutex released — the log only from the front writer of the write queue
// (DBImpl::Write), the MANIFEST from one LogAndApply at a time (VersionSet).
// Lifetimes: `dest` must outlive the writer; the writer never closes it.
// After an error the file may end in a partial record: stop using the writer (the store keeps
// the error and refuses later writes), the reader will see a torn tail.
// Not copyable.
// Simplifications: none against LevelDB's format; LevelDB additionally supports reopening an
// old log for appending (reuse_logs), which here is just `dest_length`.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "common/file.h"
#include "common/status.h"
#include "step2_wal/log_format.h"

namespace lsm {

class WalWriter {
 public:
  // dest must outlive the writer; dest_length = dest's current size (to continue its block).
  explicit WalWriter(WritableFile* dest, uint64_t dest_length = 0);
  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  // Appends one logical record (any size, empty included) and flushes it to the OS; no sync.
  Status AddRecord(std::string_view record);
  // Makes every record added so far durable: dest->Sync().
  Status Sync();

  // Bytes in the file so far (dest_length plus everything this writer appended).
  uint64_t file_size() const { return file_size_; }

 private:
  Status EmitPhysicalRecord(log::RecordType type, std::string_view fragment);

  WritableFile* const dest_;
  size_t block_offset_;  // position in the current block, 0..kBlockSize-1
  uint64_t file_size_;
  // crc32c of each one-byte type, precomputed: the record crc starts from it.
  std::array<uint32_t, log::kMaxRecordType + 1> type_crc_;
};

}  // namespace lsm
