#include "step5_lsm/version_set.h"

#include <algorithm>
#include <cassert>

#include "common/coding.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"
#include "step5_lsm/compaction_picker.h"
#include "step5_lsm/filename.h"
#include "step5_lsm/tiered_policy.h"  // CompactionPlan

namespace lsm {

// --- point lookups across the levels -------------------------------------------------------

namespace {

enum class LookupState { kNotFound, kFound, kDeleted, kCorrupt };

}  // namespace

Status LookupInVersion(const Version& v, const InternalKeyComparator& icmp,
                       TableCache* table_cache, const TableReadOptions& options,
                       const LookupKey& key, std::string* value, GetStats* stats) {
  // exercise step5.get: search the L0 files whose range holds the key newest (largest number)
  // first, then at most one file per deeper level (FindFile); the first file with an entry
  // for the key answers (a tombstone: NotFound); charge stats, and seek_file to the first
  // file read when a second one is needed. The tests look keys up in hand-built Versions of
  // real tables (no compaction runs): which file answers, snapshots, tombstones, the stats
  //   tests: LookupInVersionTest.*:CompactionPolicyTest.SeekCompactionWhenNoSizeCompaction
  //   read: step5_lsm/4-reads.md § Walk the code
  //   stub: (void)v, (void)icmp, (void)table_cache, (void)options, (void)key, (void)value,
  //   stub:     (void)stats;
  //   stub: return Status::NotSupported("exercise step5.get: not written yet");
  const Comparator* ucmp = icmp.user_comparator();
  const std::string_view user_key = key.user_key();
  const std::string_view ikey = key.internal_key();
  stats->seek_file.reset();
  stats->seek_file_level = -1;
  const std::shared_ptr<FileMetaData>* last_file_read = nullptr;
  int last_file_read_level = -1;

  LookupState state = LookupState::kNotFound;
  // Built once per lookup, not once per file searched. (A lambda with this many captures does
  // not fit std::function's inline buffer, so each conversion would allocate.)
  const TableReader::GetCallback callback = [&](std::string_view found_key,
                                                std::string_view found_value) {
    ParsedInternalKey parsed;
    if (!ParseInternalKey(found_key, &parsed)) {
      state = LookupState::kCorrupt;
    } else if (ucmp->Compare(parsed.user_key, user_key) == 0) {
      if (parsed.type == ValueType::kValue) {
        state = LookupState::kFound;
        value->assign(found_value);
      } else {
        state = LookupState::kDeleted;
      }
    }
  };
  // Searches one file; returns true when the search is over (found, deleted, error).
  Status s;
  auto search = [&](const std::shared_ptr<FileMetaData>& f, int level) {
    if (last_file_read != nullptr && stats->seek_file == nullptr) {
      // A second file is read: the first one cost a seek without answering.
      stats->seek_file = *last_file_read;
      stats->seek_file_level = last_file_read_level;
    }
    last_file_read = &f;
    last_file_read_level = level;
    GetTrace trace;
    bool has_filter = false;
    s = table_cache->Get(options, f->number, f->file_size, ikey, callback, &trace, &has_filter);
    ++stats->tables_searched;
    stats->filters_probed += has_filter ? 1 : 0;
    stats->blocks_read += trace.block_touched ? 1 : 0;
    stats->block_cache_hits += trace.block_touched && trace.cache_hit ? 1 : 0;
    if (!s.ok()) return true;
    switch (state) {
      case LookupState::kNotFound: return false;
      case LookupState::kFound: return true;
      case LookupState::kDeleted: s = Status::NotFound(); return true;
      case LookupState::kCorrupt:
        s = Status::Corruption("corrupted key for '{}' in table #{}", EscapeBytes(user_key),
                               f->number);
        return true;
    }
    return false;
  };

  // Level 0: files may overlap; search every candidate, newest (largest number) first.
  std::vector<const std::shared_ptr<FileMetaData>*> candidates;
  for (const auto& f : v.files[0]) {
    if (ucmp->Compare(user_key, f->smallest.user_key()) >= 0 &&
        ucmp->Compare(user_key, f->largest.user_key()) <= 0) {
      candidates.push_back(&f);
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto* a, const auto* b) { return (*a)->number > (*b)->number; });
  for (const auto* f : candidates) {
    if (search(*f, 0)) return s;
  }
  // Deeper levels: at most one file per level can hold the key.
  for (int level = 1; level < kNumLevels; ++level) {
    const FileList& files = v.files[level];
    if (files.empty()) continue;
    const size_t index = FindFile(icmp, files, ikey);
    if (index < files.size() && ucmp->Compare(user_key, files[index]->smallest.user_key()) >= 0) {
      if (search(files[index], level)) return s;
    }
  }
  return Status::NotFound();
  // end exercise
}

// --- VersionSet ----------------------------------------------------------------------------

VersionSet::VersionSet(std::filesystem::path dir, const Options* options,
                       const InternalKeyComparator* icmp)
    : dir_(std::move(dir)), options_(options), icmp_(icmp) {
  auto empty = std::make_shared<Version>();
  Finalize(empty.get());
  AppendVersion(std::move(empty));
}

Status VersionSet::CreateNew(FileSystem* fs, const std::filesystem::path& dir,
                             const Comparator* ucmp) {
  VersionEdit edit;
  edit.SetComparatorName(ucmp->Name());
  edit.SetLogNumber(0);
  edit.SetNextFile(2);
  edit.SetLastSequence(0);
  const std::filesystem::path manifest = DescriptorFileName(dir, 1);
  std::unique_ptr<WritableFile> file;
  Status s = fs->NewWritableFile(manifest, &file);
  if (!s.ok()) return s;
  {
    WalWriter log(file.get());
    std::string record;
    edit.EncodeTo(&record);
    s = log.AddRecord(record);
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
  }
  if (s.ok()) s = SetCurrentFile(fs, dir, 1);
  if (!s.ok()) (void)fs->RemoveFile(manifest);
  return s;
}

Status VersionSet::Recover() {
  FileSystem* fs = options_->fs;
  std::string current;
  Status s = ReadFileToString(fs, CurrentFileName(dir_), &current, /*max_size=*/4096);
  if (!s.ok()) return s;
  if (current.empty() || current.back() != '\n') {
    return Status::Corruption("{}: CURRENT file does not end with a newline",
                              CurrentFileName(dir_).string());
  }
  current.pop_back();
  const std::filesystem::path manifest = dir_ / current;
  std::unique_ptr<SequentialFile> file;
  s = fs->NewSequentialFile(manifest, &file);
  if (!s.ok()) {
    return Status::Corruption("CURRENT points to a missing MANIFEST: {}", s.ToString());
  }

  std::optional<uint64_t> log_number, prev_log_number, next_file;
  std::optional<SequenceNumber> last_sequence;
  VersionBuilder builder(icmp_, current_.get());
  int edits = 0;
  {
    // The MANIFEST must be intact: its first damage fails recovery.
    LogReporter reporter;
    WalReader reader(file.get(), &reporter, /*checksum=*/true);
    std::string_view record;
    std::string scratch;
    while (reader.ReadRecord(&record, &scratch) && !reporter.damaged()) {
      ++edits;
      VersionEdit edit;
      s = edit.DecodeFrom(record);
      if (s.ok() && edit.comparator() && *edit.comparator() != icmp_->user_comparator()->Name()) {
        s = Status::InvalidArgument("{} does not match existing comparator {}",
                                    icmp_->user_comparator()->Name(), *edit.comparator());
      }
      if (!s.ok()) {
        s = s.WithContext(fmt::format("{} record {} at offset {}", manifest.string(), edits,
                                      reader.LastRecordOffset()));
        break;
      }
      builder.Apply(edit);
      for (const auto& [level, key] : edit.compact_pointers()) {
        compact_pointers_[level] = std::string(key.Encode());
      }
      if (edit.log_number()) log_number = edit.log_number();
      if (edit.prev_log_number()) prev_log_number = edit.prev_log_number();
      if (edit.next_file_number()) next_file = edit.next_file_number();
      if (edit.last_sequence()) last_sequence = edit.last_sequence();
    }
    if (s.ok()) s = reporter.first_damage();
    // A record cut off at the end is what a crash inside LogAndApply leaves, but it is also
    // what one flipped bit in a length field looks like, and then the edits after it (tables
    // already acknowledged) would silently vanish. Paranoid mode refuses to guess.
    if (s.ok() && options_->paranoid_checks && reader.ended_in_torn_tail()) {
      s = Status::Corruption(
          "{}: ends in an incomplete record ({} bytes after offset {}); edits after it may be "
          "lost (open without paranoid_checks to accept the MANIFEST as it is)",
          manifest.string(), reader.torn_tail_bytes(), reader.LastRecordEnd());
    }
  }
  if (!s.ok()) return s;
  if (!next_file) return Status::Corruption("{}: no next-file entry", manifest.string());
  if (!log_number) return Status::Corruption("{}: no log-number entry", manifest.string());
  if (!last_sequence) return Status::Corruption("{}: no last-sequence entry", manifest.string());
  if (!prev_log_number) prev_log_number = 0;

  auto v = std::make_shared<Version>();
  s = builder.SaveTo(v.get());
  if (!s.ok()) return s.WithContext(manifest.string());
  Finalize(v.get());
  AppendVersion(std::move(v));

  MarkFileNumberUsed(*prev_log_number);
  MarkFileNumberUsed(*log_number);
  // The next MANIFEST gets the number after every file named so far.
  manifest_file_number_ = *next_file;
  next_file_number_ = *next_file + 1;
  last_sequence_ = *last_sequence;
  log_number_ = *log_number;
  prev_log_number_ = *prev_log_number;
  return Status::OK();
}

Status VersionSet::WriteSnapshot(WalWriter* log) const {
  VersionEdit edit;
  edit.SetComparatorName(icmp_->user_comparator()->Name());
  for (int level = 0; level < kNumLevels; ++level) {
    if (!compact_pointers_[level].empty()) {
      InternalKey key;
      if (key.DecodeFrom(compact_pointers_[level])) edit.SetCompactPointer(level, key);
    }
  }
  for (int level = 0; level < kNumLevels; ++level) {
    for (const auto& f : current_->files[level]) {
      edit.AddFile(level, f->number, f->file_size, f->smallest, f->largest);
    }
  }
  std::string record;
  edit.EncodeTo(&record);
  return log->AddRecord(record);
}

Status VersionSet::LogAndApply(VersionEdit* edit, std::unique_lock<std::mutex>* lock) {
  assert(lock->owns_lock());
  if (edit->log_number()) {
    assert(*edit->log_number() >= log_number_ && *edit->log_number() < next_file_number_);
  } else {
    edit->SetLogNumber(log_number_);
  }
  if (!edit->prev_log_number()) edit->SetPrevLogNumber(prev_log_number_);
  edit->SetNextFile(next_file_number_);
  edit->SetLastSequence(last_sequence_);

  auto v = std::make_shared<Version>();
  {
    VersionBuilder builder(icmp_, current_.get());
    builder.Apply(*edit);
    Status s = builder.SaveTo(v.get());
    if (!s.ok()) return s;
  }
  Finalize(v.get());

  // First edit since Open: start a new MANIFEST with a snapshot of the whole state.
  FileSystem* fs = options_->fs;
  std::filesystem::path new_manifest;
  Status s;
  if (descriptor_log_ == nullptr) {
    new_manifest = DescriptorFileName(dir_, manifest_file_number_);
    s = fs->NewWritableFile(new_manifest, &descriptor_file_);
    if (s.ok()) {
      descriptor_log_ = std::make_unique<WalWriter>(descriptor_file_.get());
      s = WriteSnapshot(descriptor_log_.get());
    }
  }

  // The slow part (fsync) runs without the mutex: writers and readers keep going.
  lock->unlock();
  if (s.ok()) {
    std::string record;
    edit->EncodeTo(&record);
    s = descriptor_log_->AddRecord(record);
    if (s.ok()) s = descriptor_file_->Sync();
  }
  if (s.ok() && !new_manifest.empty()) s = SetCurrentFile(fs, dir_, manifest_file_number_);
  lock->lock();

  if (s.ok()) {
    AppendVersion(std::move(v));
    log_number_ = *edit->log_number();
    prev_log_number_ = *edit->prev_log_number();
  } else {
    // The MANIFEST may now end in a torn or unsynced record: appending after it would hide
    // every later edit behind damage. Forget it; the next LogAndApply starts a new MANIFEST
    // (a full snapshot, under a fresh number) and points CURRENT at it only once it is synced.
    descriptor_log_.reset();
    if (descriptor_file_ != nullptr) (void)descriptor_file_->Close();
    descriptor_file_.reset();
    if (!new_manifest.empty()) {
      (void)fs->RemoveFile(new_manifest);
    } else {
      manifest_file_number_ = NewFileNumber();
    }
  }
  return s;
}

void VersionSet::Finalize(Version* v) const {
  v->Finalize(Limits());
  if (options_->compaction_style == CompactionStyle::kLeveled) return;
  const auto plan = PickRunCompaction(*v, *options_);
  v->compaction_score = plan ? 1.0 : 0.0;
  v->compaction_level = plan ? plan->output_level : -1;
}

std::unique_ptr<Compaction> VersionSet::PickCompaction() {
  return PickCompactionForStyle(*icmp_, current_, *options_, &compact_pointers_);
}

void VersionSet::AppendVersion(std::shared_ptr<const Version> v) {
  // Forget versions nobody holds any more.
  std::erase_if(live_versions_, [](const auto& w) { return w.expired(); });
  live_versions_.push_back(v);
  current_ = std::move(v);
}

void VersionSet::AddLiveFiles(std::set<uint64_t>* live) {
  std::erase_if(live_versions_, [](const auto& w) { return w.expired(); });
  for (const auto& weak : live_versions_) {
    if (auto v = weak.lock()) {
      for (const auto& files : v->files) {
        for (const auto& f : files) live->insert(f->number);
      }
    }
  }
}

}  // namespace lsm
