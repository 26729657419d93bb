// The background side of DBImpl: scheduling work on its one thread, flushing the immutable
// memtable to a level-0 table, picking and running compactions (a trivial move is a MANIFEST
// edit; the merge itself is CompactionJob, step5_lsm/compaction_job.h), the sticky background
// error, and deleting the files no Version needs any more. Part of DBImpl
// (step5_lsm/db_impl.h); every function here runs with mu_ held and may release it.
#include "step5_lsm/db_impl.h"

#include <set>

#include <fmt/format.h>

#include "common/clock.h"
#include "step5_lsm/build_table.h"
#include "step5_lsm/compaction_job.h"
#include "step5_lsm/compaction_picker.h"
#include "step5_lsm/filename.h"

namespace lsm {

void DBImpl::MaybeScheduleCompaction() {
  if (bg_scheduled_ || shutting_down_.load() || !bg_error_.ok()) return;
  if (imm_ == nullptr && manual_compaction_ == nullptr && !versions_->NeedsCompaction()) return;
  bg_scheduled_ = true;
  bg_work_cv_.notify_one();
}

void DBImpl::BackgroundThread() {
  Lock l(mu_);
  while (true) {
    bg_work_cv_.wait(l, [this] { return bg_scheduled_ || bg_thread_stop_; });
    if (!bg_scheduled_) return;  // stop requested and nothing to do
    if (!shutting_down_.load() && bg_error_.ok()) BackgroundCompaction(&l);
    bg_scheduled_ = false;
    // The work may have produced more (e.g. too many files in a level).
    MaybeScheduleCompaction();
    bg_done_cv_.notify_all();
  }
}

void DBImpl::RecordBackgroundError(const Status& s) {
  if (bg_error_.ok()) {
    bg_error_ = s;
    Log("ERROR: {}; writes fail until the database is reopened or Resume() succeeds",
        s.ToString());
    if (options_.listener != nullptr) options_.listener->OnBackgroundError(s.ToString());
    bg_done_cv_.notify_all();
  }
}

Status DBImpl::WriteLevel0Table(const MemTable* mem, VersionEdit* edit, const Version* base,
                                Lock* lock, FlushInfo* info) {
  const uint64_t start = NowMicros();
  FileMetaData meta;
  meta.number = versions_->NewFileNumber();
  pending_outputs_.insert(meta.number);
  std::unique_ptr<Iterator> iter = mem->NewIterator();
  lock->unlock();
  Status s = BuildTable(options_.fs, dir_, table_options_, iter.get(), &meta);
  lock->lock();
  pending_outputs_.erase(meta.number);

  int level = 0;
  if (s.ok() && meta.file_size > 0) {
    // Leveled pushes a table that overlaps nothing down to L2 (LevelDB). The run-based styles
    // always flush to L0: the newest run must be the newest-numbered L0 file, and a level >= 1
    // is a run of its own, which a flush may not join.
    if (base != nullptr && options_.compaction_style == CompactionStyle::kLeveled) {
      level = PickLevelForMemTableOutput(icmp_, *base, meta.smallest.user_key(),
                                         meta.largest.user_key());
    }
    edit->AddFile(level, meta.number, meta.file_size, meta.smallest, meta.largest);
  }
  CountFlush(level, NowMicros() - start, meta.file_size);
  if (info != nullptr) {
    info->file_number = meta.file_size > 0 ? meta.number : 0;
    info->level = level;
    info->file_size = meta.file_size;
    info->micros = NowMicros() - start;
  }
  return s;
}

void DBImpl::CompactMemTable(Lock* lock) {
  assert(imm_ != nullptr);
  VersionEdit edit;
  FlushInfo info;
  std::shared_ptr<const Version> base = versions_->current();
  Status s = WriteLevel0Table(imm_.get(), &edit, base.get(), lock, &info);
  if (s.ok() && shutting_down_.load()) {
    s = Status::IOError("{}: closing the database during a memtable flush", dir_.string());
  }
  if (s.ok()) {
    // The flushed memtable's log (and any older one) is no longer needed for recovery.
    edit.SetPrevLogNumber(0);
    edit.SetLogNumber(logfile_number_);
    s = versions_->LogAndApply(&edit, lock);
  }
  if (s.ok()) {
    imm_.reset();
    has_imm_.store(false, std::memory_order_release);
    ReportFlush(&info);
    RemoveObsoleteFiles(lock);
  } else {
    RecordBackgroundError(s);
  }
}

CompactionJob::Context DBImpl::MakeCompactionContext(Lock* lock) {
  return CompactionJob::Context{
      .fs = options_.fs,
      .dir = dir_,
      .icmp = &icmp_,
      .table_options = &table_options_,
      .table_cache = table_cache_.get(),
      .versions = versions_.get(),
      .pending_outputs = &pending_outputs_,
      .shutting_down = &shutting_down_,
      .before_each_entry =
          [this, lock] {
            // A full memtable must not wait for a long compaction: flush it first.
            if (!has_imm_.load(std::memory_order_relaxed)) return;
            lock->lock();
            if (imm_ != nullptr) {
              CompactMemTable(lock);
              bg_done_cv_.notify_all();  // writers waiting in MakeRoomForWrite
            }
            lock->unlock();
          },
  };
}

void DBImpl::BackgroundCompaction(Lock* lock) {
  if (imm_ != nullptr) {
    CompactMemTable(lock);
    return;
  }

  std::unique_ptr<Compaction> c;
  const bool is_manual = manual_compaction_ != nullptr;
  InternalKey manual_end;
  if (is_manual) {
    ManualCompaction* m = manual_compaction_;
    c = versions_->PickRangeCompaction(m->level, m->begin, m->end);
    m->done = (c == nullptr);
    if (c != nullptr) manual_end = c->inputs(0).back()->largest;
  } else {
    c = versions_->PickCompaction();
  }

  Status status;
  const uint64_t start = NowMicros();
  if (c == nullptr) {
    // nothing to do
  } else if (!is_manual && c->IsTrivialMove()) {
    // Move the file down a level: only the MANIFEST changes, no bytes are copied.
    const auto f = c->inputs(0)[0];
    AddTrivialMove(*c, c->edit());
    const std::string description = c->Describe();
    status = versions_->LogAndApply(c->edit(), lock);
    if (!status.ok()) RecordBackgroundError(status);
    if (status.ok()) ReportTrivialMove(*c, *f, description);
  } else {
    const SequenceNumber smallest_snapshot =
        snapshots_.empty() ? versions_->LastSequence() : snapshots_.front()->sequence();
    CompactionJob job(MakeCompactionContext(lock), c.get(), smallest_snapshot);
    status = job.Run(lock);
    CountCompaction(*c, job);
    if (status.ok()) status = job.Install(lock);
    if (!status.ok()) RecordBackgroundError(status);
    // Outputs that did not make it into a Version are garbage now.
    for (const auto& out : job.outputs()) pending_outputs_.erase(out.number);
    if (status.ok()) ReportCompaction(*c, job, is_manual, NowMicros() - start);
  }
  // The compaction holds its input Version, which keeps the input files live: release it
  // first, or they would stay on disk until the next flush or compaction cleans up.
  const bool ran_job = c != nullptr && (is_manual || !c->IsTrivialMove());
  c.reset();
  if (ran_job) RemoveObsoleteFiles(lock);

  if (is_manual) {
    ManualCompaction* m = manual_compaction_;
    if (!status.ok()) m->done = true;
    if (!m->done) {
      // Only part of the range was compacted (input size limit): continue after it.
      m->tmp_storage = manual_end;
      m->begin = &m->tmp_storage;
    }
    manual_compaction_ = nullptr;
  }
}

void DBImpl::RemoveObsoleteFiles(Lock* lock) {
  if (!bg_error_.ok()) return;  // after an error we cannot tell which files are live
  std::set<uint64_t> live = pending_outputs_;
  versions_->AddLiveFiles(&live);
  const uint64_t log_number = versions_->LogNumber();
  const uint64_t prev_log_number = versions_->PrevLogNumber();
  const uint64_t manifest_number = versions_->ManifestFileNumber();

  std::vector<std::string> names;
  (void)options_.fs->GetChildren(dir_, &names);  // errors: just delete nothing
  std::vector<std::string> to_delete;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    bool keep = true;
    switch (type) {
      case FileType::kLogFile:
        keep = number >= log_number || number == prev_log_number;
        break;
      case FileType::kDescriptorFile:
        keep = number >= manifest_number;  // later ones may be being written
        break;
      case FileType::kTableFile:
        keep = live.contains(number);
        break;
      case FileType::kTempFile:
        keep = live.contains(number);  // a table or CURRENT being written
        break;
      case FileType::kCurrentFile:
      case FileType::kDBLockFile:
      case FileType::kInfoLogFile:
        keep = true;
        break;
    }
    if (!keep) {
      if (type == FileType::kTableFile) table_cache_->Evict(number);
      to_delete.push_back(name);
    }
  }
  // Deleting takes time; the files are unreachable, so others may proceed meanwhile.
  lock->unlock();
  for (const std::string& name : to_delete) (void)options_.fs->RemoveFile(dir_ / name);
  lock->lock();
}

}  // namespace lsm
