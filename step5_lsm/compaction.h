// Compaction: the plan for one compaction, and the pure leveled policy that picks it.
//
// In general a compaction merges input files from one or more levels and writes the result,
// as disjoint files, into one output level (Compaction(icmp, v, inputs, output_level); the
// tiered and lazy-leveled policies build those, step5_lsm/tiered_policy.h). A leveled
// compaction is the special case LevelDB knows: the chosen files of `level` ("inputs(0)")
// with every file of level+1 they overlap ("inputs(1)"), written into level+1:
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
#include <cassert>
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

// Input files per level (index = level).
using LevelInputs = std::array<FileList, kNumLevels>;

class Compaction {
 public:
  // A leveled compaction: inputs from level and level + 1, outputs to level + 1.
  Compaction(const InternalKeyComparator* icmp, std::shared_ptr<const Version> input_version,
             int level);
  // A compaction of whole sorted runs: inputs[l] from level l, outputs to output_level.
  // REQUIRES: some input; output_level >= every input level; output_level == 0 only when the
  // inputs are L0 files including the newest one (the output then becomes one L0 file with a
  // number newer than every input); the inputs are adjacent in time (no run outside them is
  // newer than one input and older than another). `reason` is for logs ("size ratio").
  Compaction(const InternalKeyComparator* icmp, std::shared_ptr<const Version> input_version,
             LevelInputs inputs, int output_level, std::string reason);
  Compaction(const Compaction&) = delete;
  Compaction& operator=(const Compaction&) = delete;

  // The shallowest input level (for a leveled compaction: the level being compacted).
  int level() const { return level_; }
  int output_level() const { return output_level_; }
  // The leveled view: inputs(0) = files of level(), inputs(1) = files of level() + 1.
  const FileList& inputs(int which) const {
    assert(level_ + which < kNumLevels);
    return inputs_[level_ + which];
  }
  // The input files of `level`.
  const FileList& level_inputs(int level) const { return inputs_[level]; }
  int NumInputFiles() const;
  uint64_t TotalInputBytes() const;
  const FileList& grandparents() const { return grandparents_; }
  const Version& input_version() const { return *input_version_; }
  bool seek_triggered() const { return seek_triggered_; }
  // Why the policy picked it: "" for leveled, "size ratio" etc. for the run-based policies.
  const std::string& reason() const { return reason_; }
  // The edit to log when the compaction finishes (holds the new compact pointer already).
  VersionEdit* edit() { return &edit_; }
  uint64_t MaxOutputFileSize() const { return input_version_->limits.target_file_size; }
  uint64_t InputBytes(int which) const { return TotalFileSize(inputs(which)); }
  // True when the output must be one file (an L0 output: its files would overlap nothing, but
  // one file keeps "newest L0 number = newest data" simple).
  bool single_output_file() const { return output_level_ == 0; }

  // True when the compaction can just move its single input file down a level.
  bool IsTrivialMove() const;
  // Adds "delete every input file" to *edit.
  void AddInputDeletions(VersionEdit* edit) const;

  // True when no run older than the output can hold user_key (no file of a level below
  // output_level(), nor — for an L0 output — an older L0 file outside the inputs), so a
  // tombstone for it may be dropped. REQUIRES: called with non-decreasing user keys (it walks
  // forward, amortized O(1)).
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
  int output_level_;
  bool seek_triggered_ = false;
  LevelInputs inputs_;
  FileList grandparents_;
  FileList older_l0_files_;  // for an L0 output: the L0 files older than the output
  std::string reason_;
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
