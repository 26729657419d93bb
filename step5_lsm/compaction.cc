#include "step5_lsm/compaction.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

namespace lsm {

Compaction::Compaction(const InternalKeyComparator* icmp,
                       std::shared_ptr<const Version> input_version, int level)
    : icmp_(icmp), input_version_(std::move(input_version)), level_(level),
      output_level_(level + 1) {
  // REQUIRES: a level that has a level below it.
  assert(level >= 0 && level + 1 < kNumLevels);
}

Compaction::Compaction(const InternalKeyComparator* icmp,
                       std::shared_ptr<const Version> input_version, LevelInputs inputs,
                       int output_level, std::string reason)
    : icmp_(icmp), input_version_(std::move(input_version)), level_(-1),
      output_level_(output_level), inputs_(std::move(inputs)), reason_(std::move(reason)) {
  for (int l = 0; l < kNumLevels; ++l) {
    if (inputs_[l].empty()) continue;
    if (level_ < 0) level_ = l;
    assert(l <= output_level_);
  }
  assert(level_ >= 0 && output_level_ >= 0 && output_level_ < kNumLevels);
  if (output_level_ == 0) {
    // Every L0 file outside the inputs is older than the newest input (REQUIRES above), so
    // older than the output.
    uint64_t newest_input = 0;
    for (const auto& f : inputs_[0]) newest_input = std::max(newest_input, f->number);
    for (const auto& f : input_version_->files[0]) {
      const bool is_input = std::any_of(inputs_[0].begin(), inputs_[0].end(),
                                        [&](const auto& in) { return in->number == f->number; });
      if (!is_input) {
        assert(f->number < newest_input);
        older_l0_files_.push_back(f);
      }
    }
  }
}

int Compaction::NumInputFiles() const {
  size_t n = 0;
  for (const auto& files : inputs_) n += files.size();
  return static_cast<int>(n);
}

uint64_t Compaction::TotalInputBytes() const {
  uint64_t n = 0;
  for (const auto& files : inputs_) n += TotalFileSize(files);
  return n;
}

bool Compaction::IsTrivialMove() const {
  // With too much grandparent overlap, a move would create a file that is expensive to merge
  // later; compacting it now splits it instead.
  return output_level_ == level_ + 1 && inputs_[level_].size() == 1 && NumInputFiles() == 1 &&
         TotalFileSize(grandparents_) <= input_version_->limits.MaxGrandParentOverlapBytes();
}

void Compaction::AddInputDeletions(VersionEdit* edit) const {
  for (int level = 0; level < kNumLevels; ++level) {
    for (const auto& f : inputs_[level]) edit->RemoveFile(level, f->number);
  }
}

bool Compaction::IsBaseLevelForKey(std::string_view user_key) {
  // exercise step5.base-level: true when no file below the output level (nor an older L0 file
  // left out of the compaction) can hold user_key; level_ptrs_ only moves forward, since the
  // compaction asks in ascending key order. The tests ask hand-built compactions about keys
  // in order (no compaction runs)
  //   tests: CompactionPolicyTest.BaseLevelAndOutputSplitting
  //   tests: VersionByHand.OlderLevel0FilesOutsideTheInputsAndDeeperLevelsHoldKeys
  //   tests: VersionByHand.BaseLevelWalksEachDeeperLevelInKeyOrder
  //   read: step5_lsm/3-compaction.md § Walk the code
  //   stub: (void)user_key;
  //   stub: lsm_exercise::Note("step5.base-level");
  //   stub: return false;  // placeholder: never drops a tombstone
  const Comparator* ucmp = icmp_->user_comparator();
  for (const auto& f : older_l0_files_) {
    if (ucmp->Compare(user_key, f->smallest.user_key()) >= 0 &&
        ucmp->Compare(user_key, f->largest.user_key()) <= 0) {
      return false;
    }
  }
  for (int lvl = output_level_ + 1; lvl < kNumLevels; ++lvl) {
    const FileList& files = input_version_->files[lvl];
    while (level_ptrs_[lvl] < files.size()) {
      const FileMetaData& f = *files[level_ptrs_[lvl]];
      if (ucmp->Compare(user_key, f.largest.user_key()) <= 0) {
        if (ucmp->Compare(user_key, f.smallest.user_key()) >= 0) return false;  // inside f
        break;
      }
      ++level_ptrs_[lvl];  // keys only grow: this file can never contain a later key either
    }
  }
  return true;
  // end exercise
}

bool Compaction::ShouldStopBefore(std::string_view internal_key) {
  while (grandparent_index_ < grandparents_.size() &&
         icmp_->Compare(internal_key, grandparents_[grandparent_index_]->largest.Encode()) > 0) {
    if (seen_key_) overlapped_bytes_ += grandparents_[grandparent_index_]->file_size;
    ++grandparent_index_;
  }
  seen_key_ = true;
  if (overlapped_bytes_ > input_version_->limits.MaxGrandParentOverlapBytes()) {
    overlapped_bytes_ = 0;
    return true;
  }
  return false;
}

std::string Compaction::Describe() const {
  std::string out;
  for (int level = 0; level < kNumLevels; ++level) {
    if (inputs_[level].empty()) continue;
    if (!out.empty()) out += " + ";
    out += fmt::format("L{}", level);
    for (const auto& f : inputs_[level]) out += fmt::format(" #{}", f->number);
  }
  return out + fmt::format(" -> L{}", output_level_);
}

void GetRange(const InternalKeyComparator& icmp, const FileList& files, InternalKey* smallest,
              InternalKey* largest) {
  assert(!files.empty());
  *smallest = files[0]->smallest;
  *largest = files[0]->largest;
  for (const auto& f : files) {
    if (icmp.Compare(f->smallest.Encode(), smallest->Encode()) < 0) *smallest = f->smallest;
    if (icmp.Compare(f->largest.Encode(), largest->Encode()) > 0) *largest = f->largest;
  }
}

namespace {

void GetRange2(const InternalKeyComparator& icmp, const FileList& a, const FileList& b,
               InternalKey* smallest, InternalKey* largest) {
  FileList all = a;
  all.insert(all.end(), b.begin(), b.end());
  GetRange(icmp, all, smallest, largest);
}

}  // namespace

void AddBoundaryInputs(const InternalKeyComparator& icmp, const FileList& level_files,
                       FileList* compaction_files) {
  if (compaction_files->empty()) return;
  InternalKey largest = (*compaction_files)[0]->largest;
  for (const auto& f : *compaction_files) {
    if (icmp.Compare(f->largest.Encode(), largest.Encode()) > 0) largest = f->largest;
  }
  const Comparator* ucmp = icmp.user_comparator();
  while (true) {
    // The smallest file that starts after `largest` but with the same user key.
    std::shared_ptr<FileMetaData> boundary;
    for (const auto& f : level_files) {
      if (icmp.Compare(f->smallest.Encode(), largest.Encode()) > 0 &&
          ucmp->Compare(f->smallest.user_key(), largest.user_key()) == 0) {
        if (boundary == nullptr ||
            icmp.Compare(f->smallest.Encode(), boundary->smallest.Encode()) < 0) {
          boundary = f;
        }
      }
    }
    if (boundary == nullptr) return;
    compaction_files->push_back(boundary);
    largest = boundary->largest;
  }
}

void SetupOtherInputs(const InternalKeyComparator& icmp, Compaction* c,
                      CompactPointers* compact_pointers) {
  const int level = c->level_;
  const Version& v = *c->input_version_;
  InternalKey smallest, largest;

  AddBoundaryInputs(icmp, v.files[level], &c->inputs_[level]);
  GetRange(icmp, c->inputs_[level], &smallest, &largest);
  GetOverlappingInputs(icmp, v, level + 1, &smallest, &largest, &c->inputs_[level + 1]);
  AddBoundaryInputs(icmp, v.files[level + 1], &c->inputs_[level + 1]);

  InternalKey all_start, all_limit;
  GetRange2(icmp, c->inputs_[level], c->inputs_[level + 1], &all_start, &all_limit);

  // Grow inputs[0] if that does not change inputs[1] and the total stays bounded.
  if (!c->inputs_[level + 1].empty()) {
    FileList expanded0;
    GetOverlappingInputs(icmp, v, level, &all_start, &all_limit, &expanded0);
    AddBoundaryInputs(icmp, v.files[level], &expanded0);
    const uint64_t inputs1_size = TotalFileSize(c->inputs_[level + 1]);
    const uint64_t expanded0_size = TotalFileSize(expanded0);
    if (expanded0.size() > c->inputs_[level].size() &&
        inputs1_size + expanded0_size < v.limits.ExpandedCompactionByteSizeLimit()) {
      InternalKey new_start, new_limit;
      GetRange(icmp, expanded0, &new_start, &new_limit);
      FileList expanded1;
      GetOverlappingInputs(icmp, v, level + 1, &new_start, &new_limit, &expanded1);
      AddBoundaryInputs(icmp, v.files[level + 1], &expanded1);
      if (expanded1.size() == c->inputs_[level + 1].size()) {
        largest = new_limit;
        c->inputs_[level] = std::move(expanded0);
        c->inputs_[level + 1] = std::move(expanded1);
        GetRange2(icmp, c->inputs_[level], c->inputs_[level + 1], &all_start, &all_limit);
      }
    }
  }

  if (level + 2 < kNumLevels) {
    GetOverlappingInputs(icmp, v, level + 2, &all_start, &all_limit, &c->grandparents_);
  }

  // The next compaction of this level starts after this one's range (round robin). Updated
  // now, not when the compaction commits, so a failed compaction tries another range next.
  (*compact_pointers)[level] = std::string(largest.Encode());
  c->edit_.SetCompactPointer(level, largest);
}

std::unique_ptr<Compaction> PickCompaction(const InternalKeyComparator& icmp,
                                           std::shared_ptr<const Version> v,
                                           CompactPointers* compact_pointers) {
  std::unique_ptr<Compaction> c;
  if (v->compaction_score >= 1) {
    const int level = v->compaction_level;
    assert(level >= 0 && level + 1 < kNumLevels);
    c = std::make_unique<Compaction>(&icmp, v, level);
    // exercise step5.pick: round robin: take the first file of the level whose largest key is
    // after the level's compact pointer (any file when the pointer is empty), else wrap to the
    // level's first file. The tests pick from hand-built Versions (no compaction runs)
    //   tests: CompactionPolicyTest.RoundRobinCompactPointerWalksTheLevel
    //   tests: CompactionPolicyTest.L0CompactionTakesAllOverlappingL0AndL1Files
    //   read: step5_lsm/3-compaction.md § Walk the code
    //   stub: c->inputs_[level].push_back(v->files[level][0]);  // placeholder: the first file
    //   stub: lsm_exercise::Note("step5.pick");
    const std::string& pointer = (*compact_pointers)[level];
    for (const auto& f : v->files[level]) {
      if (pointer.empty() || icmp.Compare(f->largest.Encode(), pointer) > 0) {
        c->inputs_[level].push_back(f);
        break;
      }
    }
    if (c->inputs_[level].empty()) c->inputs_[level].push_back(v->files[level][0]);  // wrap
    // end exercise
  } else if (v->file_to_compact != nullptr) {
    c = std::make_unique<Compaction>(&icmp, v, v->file_to_compact_level);
    c->seek_triggered_ = true;
    c->inputs_[c->level_].push_back(v->file_to_compact);
  } else {
    return nullptr;
  }

  if (c->level_ == 0) {
    InternalKey smallest, largest;
    GetRange(icmp, c->inputs_[0], &smallest, &largest);
    GetOverlappingInputs(icmp, *v, 0, &smallest, &largest, &c->inputs_[0]);
    assert(!c->inputs_[0].empty());
  }
  SetupOtherInputs(icmp, c.get(), compact_pointers);
  return c;
}

std::unique_ptr<Compaction> PickRangeCompaction(const InternalKeyComparator& icmp,
                                                std::shared_ptr<const Version> v, int level,
                                                const InternalKey* begin, const InternalKey* end,
                                                CompactPointers* compact_pointers) {
  FileList inputs;
  GetOverlappingInputs(icmp, *v, level, begin, end, &inputs);
  if (inputs.empty()) return nullptr;
  // Above L0, do not compact a huge range at once: the rest is picked on the next call. L0
  // files overlap, so all of them must go together.
  if (level > 0) {
    uint64_t total = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      total += inputs[i]->file_size;
      if (total >= v->limits.target_file_size) {
        inputs.resize(i + 1);
        break;
      }
    }
  }
  auto c = std::make_unique<Compaction>(&icmp, std::move(v), level);
  c->inputs_[c->level_] = std::move(inputs);
  SetupOtherInputs(icmp, c.get(), compact_pointers);
  return c;
}

}  // namespace lsm
