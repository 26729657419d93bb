// VersionSet: the database's file bookkeeping — the current Version, the counters, and the
// MANIFEST that makes both survive a restart.
//
//   CURRENT ──> MANIFEST-000007:  [snapshot edit: all files] [edit] [edit] ...
//                                   each edit = one flush or compaction, appended + synced
//
//   LogAndApply(edit):  new Version = current + edit  ──> append edit to MANIFEST, fsync
//                       ──> (first edit of a new MANIFEST: point CURRENT at it) ──> install
//   Recover():          read CURRENT, replay every edit of the MANIFEST it names
//
// A change is live only once its edit is synced in the MANIFEST, so a crash between writing a
// table and logging its edit leaves an orphan file (deleted later), never a dangling reference.
//
// Thread-safety: guarded by the DB mutex, passed in as `lock`. LogAndApply releases it while
// writing the MANIFEST; REQUIRES: only one LogAndApply at a time (the DB's background thread,
// or Open before the thread starts).
// A failed MANIFEST write is never appended after: the next LogAndApply writes a new MANIFEST
// (see LogAndApply). Simplifications: the MANIFEST is not rolled over by size while open
// (LevelDB neither; it starts a new one on each Open). No reuse_logs.
#pragma once

#include <cassert>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/file.h"
#include "step2_wal/wal_writer.h"
#include "step3_memtable/internal_key.h"
#include "step5_lsm/compaction.h"
#include "step5_lsm/options.h"
#include "step5_lsm/table_cache.h"
#include "step5_lsm/version.h"
#include "step5_lsm/version_edit.h"

namespace lsm {

// What a point lookup learned about seeks: the first file it read without finding the key,
// when it had to read another file after it. Charged one seek (LevelDB's GetStats).
// Also what it cost (read amplification): one table per sorted run it had to consult.
struct GetStats {
  std::shared_ptr<FileMetaData> seek_file;
  int seek_file_level = -1;
  int tables_searched = 0;   // = sorted runs consulted (at most one table per run)
  int filters_probed = 0;    // tables whose bloom filter was asked
  int blocks_read = 0;       // data blocks searched (from the file or the block cache)
  int block_cache_hits = 0;  // of those, found in the block cache
};

// Looks key up in the tables of Version v: L0 newest file first, then one file per level.
// Returns OK + *value, NotFound (absent or deleted), or an error.
Status LookupInVersion(const Version& v, const InternalKeyComparator& icmp,
                       TableCache* table_cache, const TableReadOptions& options,
                       const LookupKey& key, std::string* value, GetStats* stats);

class VersionSet {
 public:
  // Both pointers must outlive the VersionSet. It opens no tables: a lookup is given the
  // cache it reads through (LookupInVersion).
  VersionSet(std::filesystem::path dir, const Options* options,
             const InternalKeyComparator* icmp);
  VersionSet(const VersionSet&) = delete;
  VersionSet& operator=(const VersionSet&) = delete;

  // Writes a fresh database's MANIFEST-000001 and CURRENT (LevelDB's NewDB).
  static Status CreateNew(FileSystem* fs, const std::filesystem::path& dir,
                          const Comparator* ucmp);

  // Rebuilds state from CURRENT -> MANIFEST. The next LogAndApply starts a new MANIFEST.
  Status Recover();

  // Applies *edit to the current version, logs it to the MANIFEST (synced) and installs the
  // result. Fills in the edit's log number, next file number and last sequence.
  // REQUIRES: *lock holds the DB mutex (released during the MANIFEST write).
  Status LogAndApply(VersionEdit* edit, std::unique_lock<std::mutex>* lock);

  std::shared_ptr<const Version> current() const { return current_; }

  // Counters. REQUIRES: DB mutex held.
  uint64_t NewFileNumber() { return next_file_number_++; }
  // Gives back a number just taken by NewFileNumber (when nothing was created with it).
  void ReuseFileNumber(uint64_t number) {
    if (next_file_number_ == number + 1) next_file_number_ = number;
  }
  void MarkFileNumberUsed(uint64_t number) {
    if (next_file_number_ <= number) next_file_number_ = number + 1;
  }
  uint64_t next_file_number() const { return next_file_number_; }
  SequenceNumber LastSequence() const { return last_sequence_; }
  void SetLastSequence(SequenceNumber s) {
    assert(s >= last_sequence_);
    last_sequence_ = s;
  }
  uint64_t LogNumber() const { return log_number_; }
  uint64_t PrevLogNumber() const { return prev_log_number_; }
  uint64_t ManifestFileNumber() const { return manifest_file_number_; }
  uint64_t ManifestSize() const { return descriptor_log_ ? descriptor_log_->file_size() : 0; }

  // The level sizes from the options; every Version installed here is finalized with them.
  CompactionLimits Limits() const {
    return CompactionLimits{.target_file_size = options_->max_file_size,
                            .max_bytes_for_level_base = options_->max_bytes_for_level_base};
  }

  // True when the current version has something to compact: for leveled, a level over its
  // budget or a file out of seeks; for the run-based styles, when their policy picks a
  // compaction (Finalize scores it so), never for seeks.
  bool NeedsCompaction() const {
    if (options_->compaction_style != CompactionStyle::kLeveled) {
      return current_->compaction_score >= 1;
    }
    return current_->compaction_score >= 1 || current_->file_to_compact != nullptr;
  }
  // The next compaction of the configured style (Options::compaction_style), or nullptr.
  std::unique_ptr<Compaction> PickCompaction();
  std::unique_ptr<Compaction> PickRangeCompaction(int level, const InternalKey* begin,
                                                  const InternalKey* end) {
    return lsm::PickRangeCompaction(*icmp_, current_, level, begin, end, &compact_pointers_);
  }

  // Adds the number of every table in any Version still in use (current or pinned by a reader
  // or compaction) to *live: those files must not be deleted.
  void AddLiveFiles(std::set<uint64_t>* live);

 private:
  // Version::Finalize with Limits(); for the run-based styles the score is then 1 when their
  // policy picks a compaction, else 0 (so NeedsCompaction never spins on a no-op).
  void Finalize(Version* v) const;
  // Writes the whole current state as one edit (the start of a new MANIFEST).
  Status WriteSnapshot(WalWriter* log) const;
  void AppendVersion(std::shared_ptr<const Version> v);

  // Constant after construction.
  const std::filesystem::path dir_;
  const Options* const options_;
  const InternalKeyComparator* const icmp_;

  // Guarded by the DB mutex.
  uint64_t next_file_number_ = 2;
  uint64_t manifest_file_number_ = 0;
  SequenceNumber last_sequence_ = 0;
  uint64_t log_number_ = 0;
  uint64_t prev_log_number_ = 0;  // 0 or a log still being compacted (old databases)
  std::unique_ptr<WritableFile> descriptor_file_;
  std::unique_ptr<WalWriter> descriptor_log_;
  std::shared_ptr<const Version> current_;
  std::vector<std::weak_ptr<const Version>> live_versions_;  // every Version ever installed
  CompactPointers compact_pointers_;
};

}  // namespace lsm
