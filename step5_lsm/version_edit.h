// VersionEdit: one change to the set of live table files — the record type of the MANIFEST.
//
// A MANIFEST is a log (step 2 framing) of VersionEdits. Replaying them in order from an empty
// state rebuilds the current Version: which table files live at which level, plus the
// counters (next file number, last sequence, live log number).
//
// Encoding (LevelDB's db/version_edit.cc, byte-compatible): a sequence of (varint32 tag,
// field), only the fields that are set, always in this order:
//
//   tag 1  comparator name   lps                      "leveldb.BytewiseComparator"
//   tag 2  log number        varint64
//   tag 9  prev log number   varint64
//   tag 3  next file number  varint64
//   tag 4  last sequence     varint64
//   tag 5  compact pointer   varint32 level, lps internal key        (repeated)
//   tag 6  deleted file      varint32 level, varint64 number          (repeated)
//   tag 7  new file          varint32 level, varint64 number, varint64 size,
//                            lps smallest, lps largest (internal keys) (repeated)
//
// Example: {comparator, log 0, next file 2, last sequence 0} encodes as
//   01 1a "leveldb.BytewiseComparator" 02 00 03 02 04 00
//
// Thread-safety: a plain value; intentionally copyable. Not synchronized.
// Simplifications: LevelDB's tag 8 (large value refs, long retired) is rejected as corruption.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "step3_memtable/internal_key.h"

namespace lsm {

// The MANIFEST record tags. Never renumber: they are on disk.
enum class EditTag : uint32_t {
  kComparator = 1,
  kLogNumber = 2,
  kNextFileNumber = 3,
  kLastSequence = 4,
  kCompactPointer = 5,
  kDeletedFile = 6,
  kNewFile = 7,
  // 8 was used for large value refs
  kPrevLogNumber = 9,
};

inline constexpr int kNumLevels = 7;

// What the engine knows about one table file. Shared (std::shared_ptr) by every Version that
// contains the file. `allowed_seeks` is the only mutable field; it is changed only under the
// DB mutex.
struct FileMetaData {
  uint64_t number = 0;
  uint64_t file_size = 0;  // bytes
  InternalKey smallest;    // smallest internal key in the table
  InternalKey largest;     // largest internal key in the table
  // Seeks left before this file is compacted (seek-triggered compaction).
  int allowed_seeks = 1 << 30;
};

class VersionEdit {
 public:
  void Clear() { *this = VersionEdit(); }

  void SetComparatorName(std::string_view name) { comparator_ = std::string(name); }
  void SetLogNumber(uint64_t n) { log_number_ = n; }
  void SetPrevLogNumber(uint64_t n) { prev_log_number_ = n; }
  void SetNextFile(uint64_t n) { next_file_number_ = n; }
  void SetLastSequence(SequenceNumber s) { last_sequence_ = s; }
  void SetCompactPointer(int level, const InternalKey& key) {
    compact_pointers_.emplace_back(level, key);
  }
  // Adds a table file at level. REQUIRES: smallest and largest are the file's key bounds.
  void AddFile(int level, uint64_t number, uint64_t file_size, const InternalKey& smallest,
               const InternalKey& largest);
  void RemoveFile(int level, uint64_t number) { deleted_files_.emplace(level, number); }

  // Appends the encoding to *dst.
  void EncodeTo(std::string* dst) const;
  // Replaces *this with the decoded record; Corruption names the bad field.
  Status DecodeFrom(std::string_view src);

  // One line per field, for dumps and test messages.
  std::string DebugString() const;

  // The fields (read by VersionSet). Optional ones are absent when not set.
  const std::optional<std::string>& comparator() const { return comparator_; }
  const std::optional<uint64_t>& log_number() const { return log_number_; }
  const std::optional<uint64_t>& prev_log_number() const { return prev_log_number_; }
  const std::optional<uint64_t>& next_file_number() const { return next_file_number_; }
  const std::optional<SequenceNumber>& last_sequence() const { return last_sequence_; }
  const std::vector<std::pair<int, InternalKey>>& compact_pointers() const {
    return compact_pointers_;
  }
  // Ordered (level, number) pairs, like LevelDB's std::set, so encodings are deterministic.
  const std::set<std::pair<int, uint64_t>>& deleted_files() const { return deleted_files_; }
  const std::vector<std::pair<int, FileMetaData>>& new_files() const { return new_files_; }

 private:
  std::optional<std::string> comparator_;
  std::optional<uint64_t> log_number_;
  std::optional<uint64_t> prev_log_number_;
  std::optional<uint64_t> next_file_number_;
  std::optional<SequenceNumber> last_sequence_;
  std::vector<std::pair<int, InternalKey>> compact_pointers_;
  std::set<std::pair<int, uint64_t>> deleted_files_;
  std::vector<std::pair<int, FileMetaData>> new_files_;
};

}  // namespace lsm
