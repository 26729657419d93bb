#include "step5_lsm/version.h"

#include <algorithm>
#include <cassert>
#include <set>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/plural.h"

namespace lsm {

double CompactionLimits::MaxBytesForLevel(int level) const {
  double result = static_cast<double>(max_bytes_for_level_base);
  while (level > 1) {
    result *= 10;
    --level;
  }
  return result;
}

uint64_t TotalFileSize(const FileList& files) {
  uint64_t sum = 0;
  for (const auto& f : files) sum += f->file_size;
  return sum;
}

void Version::Finalize(const CompactionLimits& new_limits) {
  // REQUIRES: positive sizes (a zero budget would divide by zero).
  assert(new_limits.target_file_size > 0 && new_limits.max_bytes_for_level_base > 0);
  limits = new_limits;
  compaction_score = -1;
  compaction_level = -1;
  // exercise step5.score: score every level but the last: L0 by its file count over
  // kL0CompactionTrigger, deeper levels by their bytes over MaxBytesForLevel; keep the highest
  // in compaction_score and compaction_level. The tests finalize hand-built Versions (no
  // compaction runs)
  //   tests: CompactionPolicyTest.ScoreCountsL0FilesAndDeeperBytes
  //   tests: CompactionPolicyTest.CustomLimitsShrinkLevelBudgetsAndOutputFiles
  //   tests: VersionByHand.ScoreSkipsTheLastLevelAndKeepsTheHighest
  //   read: step5_lsm/3-compaction.md § Walk the code
  //   stub: // A placeholder that compacts L0 only, so that writes never stall on L0:
  //   stub: compaction_score = static_cast<double>(files[0].size()) / kL0CompactionTrigger;
  //   stub: compaction_level = 0;
  //   stub: lsm_exercise::Note("step5.score");
  for (int level = 0; level < kNumLevels - 1; ++level) {
    double score;
    if (level == 0) {
      // Count files, not bytes: every L0 file is read by every lookup, and with small write
      // buffers a byte limit would compact L0 far too often.
      score = static_cast<double>(files[0].size()) / kL0CompactionTrigger;
    } else {
      score = static_cast<double>(LevelBytes(level)) / limits.MaxBytesForLevel(level);
    }
    if (score > compaction_score) {
      compaction_score = score;
      compaction_level = level;
    }
  }
  // end exercise
}

namespace {

std::string ShortKey(std::string_view user_key) {
  std::string s = EscapeBytes(user_key);
  if (s.size() > 24) s = s.substr(0, 21) + "...";
  return s;
}

std::string Bytes(uint64_t n) {
  if (n >= 1048576) return fmt::format("{:.1f} MiB", n / 1048576.0);
  if (n >= 1024) return fmt::format("{:.1f} KiB", n / 1024.0);
  return fmt::format("{} B", n);
}

}  // namespace

std::string Version::LevelMap() const {
  std::string out;
  for (int level = 0; level < kNumLevels; ++level) {
    if (files[level].empty()) continue;
    out += fmt::format("  L{}: {}, {}", level, Plural(files[level].size(), "file"),
                       Bytes(LevelBytes(level)));
    if (level > 0) {
      const double limit = limits.MaxBytesForLevel(level);
      out += fmt::format(" ({:.0f}% of its {} limit)",
                         100.0 * static_cast<double>(LevelBytes(level)) / limit,
                         Bytes(static_cast<uint64_t>(limit)));
    }
    out += "\n";
    for (const auto& f : files[level]) {
      out += fmt::format("      #{:<6} [{} .. {}] {}\n", f->number, ShortKey(f->smallest.user_key()),
                         ShortKey(f->largest.user_key()), Bytes(f->file_size));
    }
  }
  if (out.empty()) out = "  (no table files)\n";
  return out;
}

std::string Version::LevelSummary() const {
  std::string out = "files[";
  for (int level = 0; level < kNumLevels; ++level) out += fmt::format(" {}", files[level].size());
  return out + " ]";
}

size_t FindFile(const InternalKeyComparator& icmp, const FileList& files, std::string_view key) {
  size_t left = 0;
  size_t right = files.size();
  while (left < right) {
    const size_t mid = (left + right) / 2;
    if (icmp.Compare(files[mid]->largest.Encode(), key) < 0) {
      left = mid + 1;  // everything at or before mid is < key
    } else {
      right = mid;
    }
  }
  return right;
}

namespace {

bool AfterFile(const Comparator* ucmp, const std::string_view* user_key, const FileMetaData& f) {
  return user_key != nullptr && ucmp->Compare(*user_key, f.largest.user_key()) > 0;
}
bool BeforeFile(const Comparator* ucmp, const std::string_view* user_key, const FileMetaData& f) {
  return user_key != nullptr && ucmp->Compare(*user_key, f.smallest.user_key()) < 0;
}

}  // namespace

bool SomeFileOverlapsRange(const InternalKeyComparator& icmp, bool disjoint_sorted,
                           const FileList& files, const std::string_view* smallest_user_key,
                           const std::string_view* largest_user_key) {
  const Comparator* ucmp = icmp.user_comparator();
  if (!disjoint_sorted) {
    for (const auto& f : files) {
      if (!AfterFile(ucmp, smallest_user_key, *f) && !BeforeFile(ucmp, largest_user_key, *f)) {
        return true;
      }
    }
    return false;
  }
  size_t index = 0;
  if (smallest_user_key != nullptr) {
    // The earliest possible internal key for smallest_user_key.
    InternalKey small(*smallest_user_key, kMaxSequenceNumber, kValueTypeForSeek);
    index = FindFile(icmp, files, small.Encode());
  }
  if (index >= files.size()) return false;  // beginning of range is after all files
  return !BeforeFile(ucmp, largest_user_key, *files[index]);
}

bool OverlapInLevel(const InternalKeyComparator& icmp, const Version& v, int level,
                    std::string_view smallest_user_key, std::string_view largest_user_key) {
  return SomeFileOverlapsRange(icmp, level > 0, v.files[level], &smallest_user_key,
                               &largest_user_key);
}

void GetOverlappingInputs(const InternalKeyComparator& icmp, const Version& v, int level,
                          const InternalKey* begin, const InternalKey* end, FileList* inputs) {
  assert(level >= 0 && level < kNumLevels);
  inputs->clear();
  std::string user_begin, user_end;
  if (begin != nullptr) user_begin = begin->user_key();
  if (end != nullptr) user_end = end->user_key();
  const Comparator* ucmp = icmp.user_comparator();
  const FileList& files = v.files[level];
  for (size_t i = 0; i < files.size();) {
    const auto& f = files[i++];
    const std::string_view file_start = f->smallest.user_key();
    const std::string_view file_limit = f->largest.user_key();
    if (begin != nullptr && ucmp->Compare(file_limit, user_begin) < 0) continue;  // before
    if (end != nullptr && ucmp->Compare(file_start, user_end) > 0) continue;      // after
    inputs->push_back(f);
    if (level == 0) {
      // L0 files overlap each other: if this file widens the range, restart the search.
      if (begin != nullptr && ucmp->Compare(file_start, user_begin) < 0) {
        user_begin = file_start;
        inputs->clear();
        i = 0;
      } else if (end != nullptr && ucmp->Compare(file_limit, user_end) > 0) {
        user_end = file_limit;
        inputs->clear();
        i = 0;
      }
    }
  }
}

int PickLevelForMemTableOutput(const InternalKeyComparator& icmp, const Version& v,
                               std::string_view smallest_user_key,
                               std::string_view largest_user_key) {
  int level = 0;
  if (OverlapInLevel(icmp, v, 0, smallest_user_key, largest_user_key)) return 0;
  // Push to the next level while there is no overlap there and the level after it (the
  // "grandparents") would not make a later compaction of this file too expensive.
  InternalKey start(smallest_user_key, kMaxSequenceNumber, kValueTypeForSeek);
  InternalKey limit(largest_user_key, 0, ValueType::kDeletion);
  FileList overlaps;
  while (level < kMaxMemCompactLevel) {
    if (OverlapInLevel(icmp, v, level + 1, smallest_user_key, largest_user_key)) break;
    if (level + 2 < kNumLevels) {
      GetOverlappingInputs(icmp, v, level + 2, &start, &limit, &overlaps);
      if (TotalFileSize(overlaps) > v.limits.MaxGrandParentOverlapBytes()) break;
    }
    ++level;
  }
  return level;
}

VersionBuilder::VersionBuilder(const InternalKeyComparator* icmp, const Version* base)
    : icmp_(icmp), base_(base) {}

void VersionBuilder::Apply(const VersionEdit& edit) {
  for (const auto& [level, number] : edit.deleted_files()) {
    deleted_[level].insert(number);
    auto& added = added_[level];
    std::erase_if(added, [n = number](const auto& f) { return f->number == n; });
  }
  for (const auto& [level, meta] : edit.new_files()) {
    auto f = std::make_shared<FileMetaData>(meta);
    // One seek costs about as much as compacting 16 KiB (10 ms seek vs. 25 MB/s × 40 KB of
    // I/O per compacted MB), so a file earns size/16 KiB seeks before it is compacted.
    f->allowed_seeks =
        std::max<int>(kMinAllowedSeeks, static_cast<int>(f->file_size / kBytesPerSeek));
    deleted_[level].erase(f->number);
    added_[level].push_back(std::move(f));
  }
}

Status VersionBuilder::SaveTo(Version* v) const {
  auto by_smallest = [this](const std::shared_ptr<FileMetaData>& a,
                            const std::shared_ptr<FileMetaData>& b) {
    const int r = icmp_->Compare(a->smallest.Encode(), b->smallest.Encode());
    return r != 0 ? r < 0 : a->number < b->number;
  };
  for (int level = 0; level < kNumLevels; ++level) {
    FileList merged;
    const auto is_deleted = [&](uint64_t n) { return deleted_[level].contains(n); };
    for (const auto& f : base_->files[level]) {
      if (!is_deleted(f->number)) merged.push_back(f);
    }
    for (const auto& f : added_[level]) merged.push_back(f);
    std::sort(merged.begin(), merged.end(), by_smallest);
    if (level > 0) {
      for (size_t i = 1; i < merged.size(); ++i) {
        if (icmp_->Compare(merged[i - 1]->largest.Encode(), merged[i]->smallest.Encode()) >= 0) {
          return Status::Corruption("level {}: files #{} and #{} overlap", level,
                                    merged[i - 1]->number, merged[i]->number);
        }
      }
    }
    v->files[level] = std::move(merged);
  }
  return Status::OK();
}

}  // namespace lsm
