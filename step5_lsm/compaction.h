// Compaction: the plan for one leveled compaction, and the pure policy that picks it.
//
// A compaction merges the chosen files of `level` ("inputs[0]") with every file of level+1
// they overlap ("inputs[1]") and writes new files into level+1:
//
//   level L    :      [c ........ h]                       inputs[0]
//   level L+1  :  [a .. d]  [e .. g]  [h .. k]             inputs[1] (all that overlap c..h)
//   level L+2  :  [a ......... f] [g ........ z]           grandparents: bound output files
//
// Policy (LevelDB's VersionSet::PickCompaction, everything here is a function of the Version
// and the compact pointers, no files are touched, so tests can drive it with fake metadata):
//   - size-triggered first: the level with the highest score (L0: files / 4; Ln: bytes / limit)
//     when the score is >= 1; within the level start after the round-robin compact pointer;
//   - otherwise seek-triggered: a file that ran out of allowed seeks;
//   - at L0, widen to every L0 file overlapping the range (they overlap each other);
//   - pull in level+1 overlaps; then grow inputs[0] if that adds no level+1 file and the total
//     stays below 25 target file sizes (50 MiB by default); files that share a boundary user
//     key always move together;
//   - a single input file with nothing to merge below is a "trivial move": only the MANIFEST
//     changes.
//
// Thread-safety: a Compaction is used by the one background thread running it.
// Lifetimes: it pins its input Version (shared_ptr), so its files stay alive and listed.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "step3_memtable/internal_key.h"
#include "step5_lsm/version.h"
#include "step5_lsm/version_edit.h"

namespace lsm {

// Round-robin compact pointers: per level, the largest key of the last compaction there.
using CompactPointers = std::array<std::string, kNumLevels>;

class Compaction {
 public:
  Compaction(const InternalKeyComparator* icmp, std::shared_ptr<const Version> input_version,
             int level);
  Compaction(const Compaction&) = delete;
  Compaction& operator=(const Compaction&) = delete;

  // The level being compacted; outputs go to level() + 1.
  int level() const { return level_; }
  // inputs(0): files of level(); inputs(1): overlapping files of level() + 1.
  const FileList& inputs(int which) const { return inputs_[which]; }
  const FileList& grandparents() const { return grandparents_; }
  const Version& input_version() const { return *input_version_; }
  bool seek_triggered() const { return seek_triggered_; }
  // The edit to log when the compaction finishes (holds the new compact pointer already).
  VersionEdit* edit() { return &edit_; }
  uint64_t MaxOutputFileSize() const { return input_version_->limits.target_file_size; }
  uint64_t InputBytes(int which) const { return TotalFileSize(inputs_[which]); }

  // True when the compaction can just move its single input file down a level.
  bool IsTrivialMove() const;
  // Adds "delete every input file" to *edit.
  void AddInputDeletions(VersionEdit* edit) const;

  // True when no level below level()+1 can hold user_key, so a tombstone for it may be
  // dropped. REQUIRES: called with non-decreasing user keys (it walks forward, amortized O(1)).
  bool IsBaseLevelForKey(std::string_view user_key);
  // True when the current output file should end before internal_key, because it already
  // overlaps too many grandparent bytes. REQUIRES: non-decreasing keys.
  bool ShouldStopBefore(std::string_view internal_key);

  // "L0 #7 #9 + L1 #4 -> L1" for narration and logs.
  std::string Describe() const;

 private:
  friend std::unique_ptr<Compaction> PickCompaction(const InternalKeyComparator&,
                                                    std::shared_ptr<const Version>,
                                                    CompactPointers*);
  friend std::unique_ptr<Compaction> PickRangeCompaction(const InternalKeyComparator&,
                                                         std::shared_ptr<const Version>, int,
                                                         const InternalKey*, const InternalKey*,
                                                         CompactPointers*);
  friend void SetupOtherInputs(const InternalKeyComparator&, Compaction*, CompactPointers*);

  // Constant after picking.
  const InternalKeyComparator* icmp_;
  std::shared_ptr<const Version> input_version_;
  int level_;
  bool seek_triggered_ = false;
  std::array<FileList, 2> inputs_;
  FileList grandparents_;
  VersionEdit edit_;

  // State of ShouldStopBefore / IsBaseLevelForKey as the compaction walks its keys.
  size_t grandparent_index_ = 0;
  bool seen_key_ = false;
  uint64_t overlapped_bytes_ = 0;
  std::array<size_t, kNumLevels> level_ptrs_{};
};

// Picks the next compaction for Version v (size-triggered first, then seek-triggered), or
// returns nullptr when nothing needs compacting. Advances (*compact_pointers)[level].
std::unique_ptr<Compaction> PickCompaction(const InternalKeyComparator& icmp,
                                           std::shared_ptr<const Version> v,
                                           CompactPointers* compact_pointers);

// Picks a compaction of the files of `level` overlapping [begin, end] (null = unbounded) —
// for DB::CompactRange. Above level 0 it takes at most about one target file size of inputs
// at a time. Returns nullptr when nothing overlaps.
std::unique_ptr<Compaction> PickRangeCompaction(const InternalKeyComparator& icmp,
                                                std::shared_ptr<const Version> v, int level,
                                                const InternalKey* begin, const InternalKey* end,
                                                CompactPointers* compact_pointers);

// Adds to *compaction_files the files of level_files whose smallest key has the same user key
// as the largest key already chosen (LevelDB's AddBoundaryInputs): splitting versions of one
// user key across levels would let an older version reappear.
void AddBoundaryInputs(const InternalKeyComparator& icmp, const FileList& level_files,
                       FileList* compaction_files);

// The smallest and largest internal keys over the files. REQUIRES: !files.empty().
void GetRange(const InternalKeyComparator& icmp, const FileList& files, InternalKey* smallest,
              InternalKey* largest);

}  // namespace lsm
