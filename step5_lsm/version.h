// Version: an immutable snapshot of which table files live at which level — and the pure
// functions that answer questions about that level state (no file I/O here).
//
//   level 0   files may overlap each other; each is one flushed memtable, newest = largest number
//   level 1+  files are sorted by smallest key and never overlap inside the level
//
// A Version never changes once built (VersionBuilder builds a new one from an old one plus a
// VersionEdit). Readers and compactions hold a std::shared_ptr<const Version>, so the files it
// lists are not deleted while anyone still reads them.
//
// Example:
//   std::shared_ptr<const Version> v = versions->current();
//   int level = PickLevelForMemTableOutput(icmp, *v, "a", "m");
//   fmt::print("{}", v->LevelMap());
//
// Thread-safety: a const Version is safe to read from many threads. FileMetaData::allowed_seeks
// is the exception; it is only touched under the DB mutex.
// Simplifications: LevelDB keeps Versions in a ref-counted linked list; shared_ptr does it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "step3_memtable/internal_key.h"
#include "step5_lsm/version_edit.h"

namespace lsm {

using FileList = std::vector<std::shared_ptr<FileMetaData>>;

// --- LevelDB's leveled-compaction constants (db/dbformat.h, db/version_set.cc) ------------
inline constexpr int kL0CompactionTrigger = 4;      // compact L0 at this many files
inline constexpr int kL0SlowdownWritesTrigger = 8;  // delay each write 1 ms from here
inline constexpr int kL0StopWritesTrigger = 12;     // stop writes until L0 shrinks
inline constexpr int kMaxMemCompactLevel = 2;       // deepest level a flush may land on
// Reads of this many bytes cost about one seek (the seek-compaction allowance).
inline constexpr uint64_t kBytesPerSeek = 16384;
inline constexpr int kMinAllowedSeeks = 100;

// The byte sizes that shape the levels, from Options::max_file_size and
// Options::max_bytes_for_level_base. The defaults are LevelDB's (2 MiB files, 10 MiB L1);
// tests shrink them to push data into deep levels with little of it. The other limits are
// derived from the target file size, as LevelDB derives them.
// Invariant: both sizes > 0. Plain value, freely copyable.
struct CompactionLimits {
  uint64_t target_file_size = 2 * 1048576;
  uint64_t max_bytes_for_level_base = 10 * 1048576;  // L1's budget; x10 per level below

  // Stop growing an output file when it overlaps this many grandparent bytes.
  uint64_t MaxGrandParentOverlapBytes() const { return 10 * target_file_size; }
  // Grow the inputs of a compaction only while they stay below this size.
  uint64_t ExpandedCompactionByteSizeLimit() const { return 25 * target_file_size; }
  // Max bytes for level >= 1: the base at L1, x10 per level. (L0 is judged by file count.)
  double MaxBytesForLevel(int level) const;
};

uint64_t TotalFileSize(const FileList& files);

struct Version {
  std::array<FileList, kNumLevels> files;
  // The size limits the scores below (and every compaction picked from this Version) use.
  CompactionLimits limits;

  // Filled by Finalize(): the level most in need of compaction and how badly (>= 1 means
  // "compact now").
  double compaction_score = -1;
  int compaction_level = -1;

  // Set by the read path when a file ran out of allowed seeks (guarded by the DB mutex).
  mutable std::shared_ptr<FileMetaData> file_to_compact;
  mutable int file_to_compact_level = -1;

  int NumFiles(int level) const { return static_cast<int>(files[level].size()); }
  uint64_t LevelBytes(int level) const { return TotalFileSize(files[level]); }

  // Stores `limits` and computes compaction_score/compaction_level with them (LevelDB's
  // VersionSet::Finalize).
  void Finalize(const CompactionLimits& limits);

  // The level map: one line per non-empty level, its files and their user-key ranges.
  std::string LevelMap() const;
  // "files[ 3 1 0 0 0 0 0 ]"
  std::string LevelSummary() const;
};

// Index of the first file in a sorted, disjoint level whose largest key >= key
// (files.size() when there is none). Binary search.
size_t FindFile(const InternalKeyComparator& icmp, const FileList& files, std::string_view key);

// True when some file in `files` overlaps the user-key range [smallest, largest]. A null
// bound means unbounded. disjoint_sorted: the files are a level >= 1 (binary search allowed).
bool SomeFileOverlapsRange(const InternalKeyComparator& icmp, bool disjoint_sorted,
                           const FileList& files, const std::string_view* smallest_user_key,
                           const std::string_view* largest_user_key);
bool OverlapInLevel(const InternalKeyComparator& icmp, const Version& v, int level,
                    std::string_view smallest_user_key, std::string_view largest_user_key);

// The files of `level` that overlap [begin, end] (internal keys; null = unbounded). At level 0
// the range widens until it covers every overlapping file, since L0 files overlap each other.
void GetOverlappingInputs(const InternalKeyComparator& icmp, const Version& v, int level,
                          const InternalKey* begin, const InternalKey* end, FileList* inputs);

// Where a freshly flushed memtable with this user-key range should go: level 0, or as deep as
// kMaxMemCompactLevel while it overlaps nothing there and little (v.limits) in the
// grandparent level.
int PickLevelForMemTableOutput(const InternalKeyComparator& icmp, const Version& v,
                               std::string_view smallest_user_key,
                               std::string_view largest_user_key);

// Builds Version = base + edits, checking that levels >= 1 stay sorted and disjoint.
// Usage: VersionBuilder b(icmp, base); b.Apply(edit); ...; b.SaveTo(&new_version);
class VersionBuilder {
 public:
  // base and icmp must outlive the builder.
  VersionBuilder(const InternalKeyComparator* icmp, const Version* base);
  VersionBuilder(const VersionBuilder&) = delete;
  VersionBuilder& operator=(const VersionBuilder&) = delete;

  void Apply(const VersionEdit& edit);
  // Writes the result into *v (files only; call v->Finalize() afterwards). Returns Corruption
  // if a level >= 1 would hold overlapping files.
  Status SaveTo(Version* v) const;

 private:
  const InternalKeyComparator* icmp_;
  const Version* base_;
  std::array<std::set<uint64_t>, kNumLevels> deleted_;
  std::array<FileList, kNumLevels> added_;
};

}  // namespace lsm
