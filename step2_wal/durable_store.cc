#include "step2_wal/durable_store.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "step2_wal/log_file_name.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"

namespace lsm {

namespace fs = std::filesystem;

namespace {

// A checkpoint is cut into batches of about this many bytes (one log record each).
constexpr size_t kCheckpointBatchBytes = 256 * 1024;

// Applies a batch's operations to the map.
class MapApplier final : public WriteBatch::Handler {
 public:
  explicit MapApplier(MemoryStore* map) : map_(map) {}
  void Put(std::string_view k, std::string_view v) override { (void)map_->Put(k, v); }
  void Delete(std::string_view k) override { (void)map_->Delete(k); }

 private:
  MemoryStore* map_;
};

}  // namespace

std::string RecoveryReport::ToString() const {
  std::string out = fmt::format(
      "checkpoint: {} ({} keys); logs replayed: {}; batches applied: {}, skipped (in "
      "checkpoint): {}; last sequence: {}\ntorn tail: {} bytes; damaged bytes dropped: {}{}\n",
      loaded_checkpoint ? "loaded" : "none", checkpoint_entries, logs_replayed, batches_applied,
      batches_skipped, last_sequence, torn_tail_bytes, dropped_bytes,
      checkpointed_on_open ? "; checkpointed on open" : "");
  for (const auto& p : problems) out += fmt::format("  - {}\n", p);
  return out;
}

DurableStore::DurableStore(const Options& options, fs::path dir)
    : options_(options), dir_(std::move(dir)) {}

DurableStore::~DurableStore() {
  std::lock_guard lock(mu_);
  if (log_file_ != nullptr) (void)log_file_->Close();
}

Status DurableStore::Open(const Options& options, const fs::path& dir,
                          std::unique_ptr<DurableStore>* result) {
  assert(options.fs != nullptr);
  result->reset();
  std::unique_ptr<DurableStore> store(new DurableStore(options, dir));
  FileSystem* fs = options.fs;
  Status s = fs->CreateDir(dir);
  if (s.ok()) s = fs->LockFile(dir / "LOCK", &store->lock_);
  if (s.ok()) s = store->Recover();
  if (!s.ok()) return s;
  *result = std::move(store);
  return Status::OK();
}

Status DurableStore::Recover() {
  FileSystem* fs = options_.fs;
  std::vector<std::string> names;
  Status s = fs->GetChildren(dir_, &names);
  if (!s.ok()) return s;
  uint64_t max_number = 0;
  for (const auto& name : names) {
    uint64_t number = 0;
    if (ParseLogFileName(name, &number)) {
      old_logs_.push_back(number);
      max_number = std::max(max_number, number);
    } else if (name == kCheckpointTmpName) {
      // A checkpoint that never reached its rename: the logs still hold everything.
      (void)fs->RemoveFile(dir_ / name);
    }
  }
  std::sort(old_logs_.begin(), old_logs_.end());

  const fs::path checkpoint = dir_ / kCheckpointName;
  if (fs->FileExists(checkpoint)) {
    s = ReplayFile(checkpoint, /*is_checkpoint=*/true);
    if (!s.ok()) return s;
    report_.loaded_checkpoint = true;
    report_.checkpoint_entries = map_.size();
  }
  uint64_t replayed_bytes = 0;
  for (uint64_t number : old_logs_) {
    const fs::path path = LogFileName(dir_, number);
    s = ReplayFile(path, /*is_checkpoint=*/false);
    if (!s.ok()) return s;
    uint64_t size = 0;
    if (fs->GetFileSize(path, &size).ok()) replayed_bytes += size;
    ++report_.logs_replayed;
  }
  report_.last_sequence = last_sequence_;

  // Every Open writes to a fresh log: appending after a torn tail would turn it into
  // "corruption in the middle" for the next reader.
  log_number_ = max_number + 1;
  std::lock_guard lock(mu_);
  s = NewLogLocked();
  if (!s.ok()) return s;
  // Fold damaged or long logs into a checkpoint now, so the damage is reported only once.
  const bool damaged = report_.torn_tail_bytes > 0 || report_.dropped_bytes > 0 ||
                       !report_.problems.empty();
  const bool long_logs =
      options_.checkpoint_log_bytes > 0 && replayed_bytes >= options_.checkpoint_log_bytes;
  if (damaged || long_logs) {
    s = CheckpointLocked();
    report_.checkpointed_on_open = s.ok();
  }
  return s;
}

Status DurableStore::ReplayFile(const fs::path& path, bool is_checkpoint) {
  std::unique_ptr<SequentialFile> file;
  Status s = options_.fs->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  LogReporter reporter;
  WalReader reader(file.get(), &reporter, /*checksum=*/true);
  std::string scratch;
  std::string_view record;
  WriteBatch batch;
  MapApplier applier(&map_);
  bool saw_end_marker = false;
  size_t reported = 0;  // problems already copied into report_

  // Copies new problems into the report; in paranoid mode the first one ends recovery.
  auto take_problems = [&]() -> Status {
    for (; reported < reporter.damages().size(); ++reported) {
      report_.problems.push_back(reporter.damages()[reported].status.ToString());
    }
    if (options_.paranoid_checks && reporter.damaged()) return reporter.first_damage();
    return Status::OK();
  };

  while (reader.ReadRecord(&record, &scratch)) {
    s = take_problems();
    if (!s.ok()) return s;
    Status bs = batch.SetContents(record);
    if (bs.ok()) bs = batch.Validate();
    if (!bs.ok()) {
      // The checksum matched but the batch does not parse: a bug or a forged record.
      reporter.Corruption(record.size(),
                          Status::Corruption("{}: record at offset {}: {}", path.string(),
                                             reader.LastRecordOffset(), bs.message()));
      s = take_problems();
      if (!s.ok()) return s;
      continue;
    }
    saw_end_marker = false;
    if (is_checkpoint) {
      if (batch.Count() == 0) saw_end_marker = true;
      (void)batch.Iterate(&applier);
      checkpoint_sequence_ = batch.Sequence();
      last_sequence_ = std::max(last_sequence_, batch.Sequence());
      continue;
    }
    if (batch.Count() == 0) continue;
    const SequenceNumber last = batch.Sequence() + batch.Count() - 1;
    if (last <= checkpoint_sequence_) {
      ++report_.batches_skipped;  // the checkpoint already holds its effect
      continue;
    }
    (void)batch.Iterate(&applier);
    ++report_.batches_applied;
    last_sequence_ = std::max(last_sequence_, last);
  }
  s = take_problems();
  if (!s.ok()) return s;
  report_.dropped_bytes += reporter.dropped_bytes();

  if (reader.torn_tail_bytes() > 0) {
    report_.torn_tail_bytes += reader.torn_tail_bytes();
    report_.problems.push_back(fmt::format(
        "{}: torn tail: dropped the incomplete last record, {} bytes at offset {}",
        path.string(), reader.torn_tail_bytes(), reader.LastRecordEnd()));
  }
  if (is_checkpoint && !saw_end_marker) {
    // CHECKPOINT was fsynced before its rename, so a missing end marker is damage.
    Status damage = Status::Corruption("{}: checkpoint has no end marker (truncated at {})",
                                       path.string(), reader.LastRecordEnd());
    report_.problems.push_back(damage.ToString());
    if (options_.paranoid_checks) return damage;
  }
  return Status::OK();
}

// Any failure here leaves no log to write to, so it is sticky (error_): later writes fail
// with it, reads keep working.
Status DurableStore::NewLogLocked() {
  if (log_file_ != nullptr) {
    Status s = log_file_->Close();
    log_.reset();
    log_file_.reset();
    if (!s.ok()) {
      error_ = s;  // the old log is gone and no new one exists
      return s;
    }
  }
  const fs::path path = LogFileName(dir_, log_number_);
  Status s = options_.fs->NewWritableFile(path, &log_file_);
  // Make the new file's directory entry durable, or a synced write could vanish with it.
  if (s.ok()) s = options_.fs->SyncDir(dir_);
  if (!s.ok()) {
    log_file_.reset();
    error_ = s;
    return s;
  }
  log_ = std::make_unique<WalWriter>(log_file_.get());
  return Status::OK();
}

Status DurableStore::Put(std::string_view key, std::string_view value) {
  std::lock_guard lock(mu_);
  scratch_batch_.Clear();
  scratch_batch_.Put(key, value);
  return WriteLocked(&scratch_batch_);
}

Status DurableStore::Delete(std::string_view key) {
  std::lock_guard lock(mu_);
  scratch_batch_.Clear();
  scratch_batch_.Delete(key);
  return WriteLocked(&scratch_batch_);
}

Status DurableStore::Write(WriteBatch* batch) {
  // Validate before logging: a malformed record must never reach the log.
  Status s = batch->Validate();
  if (!s.ok()) return s;
  std::lock_guard lock(mu_);
  return WriteLocked(batch);
}

Status DurableStore::WriteLocked(WriteBatch* batch) {
  if (!error_.ok()) return error_;
  if (batch->Count() == 0) return Status::OK();
  if (log_ == nullptr) {  // not expected: every path that drops the log sets error_
    return Status::IOError("{}: no log open", LogFileName(dir_, log_number_).string());
  }
  batch->SetSequence(last_sequence_ + 1);
  // 1. The log first. Only once it is there (and synced, if asked) may memory change.
  Status s = log_->AddRecord(batch->Contents());
  if (s.ok() && options_.sync) s = log_->Sync();
  if (!s.ok()) {
    error_ = s;  // the log may now end in a partial record: refuse further writes
    return s;
  }
  // 2. Then memory.
  MapApplier applier(&map_);
  (void)batch->Iterate(&applier);
  last_sequence_ += batch->Count();
  if (options_.checkpoint_log_bytes > 0 && log_->file_size() >= options_.checkpoint_log_bytes) {
    // The write is already durable, so it returns OK whatever happens here. A checkpoint that
    // fails before switching logs leaves the old log in place and is retried at the next
    // write; a failure while switching (closing the old log or starting the new one) leaves
    // no log, so NewLogLocked makes it sticky (error_) and the next write returns it.
    (void)CheckpointLocked();
  }
  return Status::OK();
}

Status DurableStore::Get(std::string_view key, std::string* value) const {
  std::lock_guard lock(mu_);
  return map_.Get(key, value);
}

Status DurableStore::Scan(std::string_view from, std::string_view to,
                          const ScanCallback& fn) const {
  std::lock_guard lock(mu_);
  return map_.Scan(from, to, fn);
}

Status DurableStore::Checkpoint() {
  std::lock_guard lock(mu_);
  if (!error_.ok()) return error_;
  return CheckpointLocked();
}

Status DurableStore::CheckpointLocked() {
  FileSystem* fs = options_.fs;
  const fs::path tmp = dir_ / kCheckpointTmpName;
  const fs::path final_path = dir_ / kCheckpointName;

  // 1. Write the snapshot to a temporary name, as log-framed batches tagged with sequence S.
  std::unique_ptr<WritableFile> file;
  Status s = fs->NewWritableFile(tmp, &file);
  if (!s.ok()) return s;
  {
    WalWriter writer(file.get());
    WriteBatch batch;
    batch.SetSequence(last_sequence_);
    s = map_.Scan("", "", [&](std::string_view k, std::string_view v) {
      batch.Put(k, v);
      if (batch.ApproximateSize() >= kCheckpointBatchBytes) {
        s = writer.AddRecord(batch.Contents());
        batch.Clear();
        batch.SetSequence(last_sequence_);
      }
      return s.ok();
    });
    if (s.ok() && batch.Count() > 0) s = writer.AddRecord(batch.Contents());
    batch.Clear();  // the end marker: an empty batch carrying S
    batch.SetSequence(last_sequence_);
    if (s.ok()) s = writer.AddRecord(batch.Contents());
  }
  // 2. fsync it: the data must be on disk before any name points at it.
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  file.reset();
  // 3. Atomic switch: rename over CHECKPOINT, then fsync the directory to make it durable.
  if (s.ok()) s = fs->RenameFile(tmp, final_path);
  if (s.ok()) s = fs->SyncDir(dir_);
  if (!s.ok()) {
    (void)fs->RemoveFile(tmp);
    return s;
  }
  // 4. A fresh log for the writes to come (NewLogLocked syncs the directory).
  const uint64_t previous_log = log_number_;
  ++log_number_;
  s = NewLogLocked();
  if (!s.ok()) return s;
  // 5. Only now are the old logs redundant: delete them. If a deletion is lost in a crash,
  //    recovery skips the old records by sequence number.
  old_logs_.push_back(previous_log);
  for (uint64_t number : old_logs_) (void)fs->RemoveFile(LogFileName(dir_, number));
  old_logs_.clear();
  return Status::OK();
}

SequenceNumber DurableStore::last_sequence() const {
  std::lock_guard lock(mu_);
  return last_sequence_;
}

fs::path DurableStore::log_path() const {
  std::lock_guard lock(mu_);
  return LogFileName(dir_, log_number_);
}

size_t DurableStore::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

}  // namespace lsm
