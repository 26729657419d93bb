// Opening a database: DB::Open, the recovery behind it (lock the directory, read the MANIFEST,
// replay the logs newer than it into level-0 tables, start a fresh log) and keeping the logs
// whose data recovery had to drop; and DestroyDB. Part of DBImpl (step5_lsm/db_impl.h);
// what recovery promises is LogRecoveryInfo's comment (step5_lsm/event_listener.h).
#include "step5_lsm/db_impl.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "step2_wal/log_file_name.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"
#include "step3_memtable/batch_inserter.h"
#include "step5_lsm/filename.h"

namespace lsm {

Status DB::Open(const Options& options, const std::filesystem::path& dir,
                std::unique_ptr<DB>* db) {
  db->reset();
  Status s = ValidateOptions(options);
  if (!s.ok()) return s.WithContext(dir.string());
  auto impl = std::make_unique<DBImpl>(options, dir);
  s = impl->Recover();
  if (s.ok()) *db = std::move(impl);
  return s;
}

Status DBImpl::Recover() {
  FileSystem* fs = options_.fs;
  Status s = fs->CreateDir(dir_);
  if (s.ok()) s = fs->LockFile(LockFileName(dir_), &db_lock_);
  if (!s.ok()) return s;
  // The diary is best effort (LevelDB's habit): without it the DB still opens.
  if (!InfoLog::Open(fs, InfoLogFileName(dir_), OldInfoLogFileName(dir_), &info_log_).ok()) {
    info_log_.reset();
  }
  Log("opening {} (compaction style {}, write_buffer_size {}, max_file_size {}, block_size {}, "
      "bloom {} bits/key, paranoid_checks {})",
      dir_.string(), CompactionStyleName(options_.compaction_style), options_.write_buffer_size, options_.max_file_size, options_.block_size,
      options_.bloom_bits_per_key, options_.paranoid_checks);

  if (!fs->FileExists(CurrentFileName(dir_))) {
    if (!options_.create_if_missing) {
      return Status::InvalidArgument("{}: does not exist (create_if_missing is false)",
                                     dir_.string());
    }
    s = VersionSet::CreateNew(fs, dir_, options_.comparator);
    if (!s.ok()) return s;
  } else if (options_.error_if_exists) {
    return Status::InvalidArgument("{}: exists (error_if_exists is true)", dir_.string());
  }

  Lock l(mu_);
  s = versions_->Recover();
  if (!s.ok()) return s;

  // Every table the MANIFEST names must exist; logs at or after its log number hold writes
  // not yet in any table.
  std::vector<std::string> names;
  s = fs->GetChildren(dir_, &names);
  if (!s.ok()) return s;
  std::set<uint64_t> expected;
  versions_->AddLiveFiles(&expected);
  std::vector<uint64_t> logs;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    expected.erase(number);
    if (type == FileType::kLogFile &&
        (number >= versions_->LogNumber() || number == versions_->PrevLogNumber())) {
      logs.push_back(number);
    }
  }
  if (!expected.empty()) {
    return Status::Corruption("{}: {} table file(s) named by the MANIFEST are missing, e.g. #{}",
                              dir_.string(), expected.size(), *expected.begin());
  }

  // Replay a consistent prefix of the logs, oldest first: after the first damaged record
  // nothing more is applied, from that log or any later one (see LogRecoveryInfo).
  VersionEdit edit;
  SequenceNumber max_sequence = 0;
  std::sort(logs.begin(), logs.end());
  bool damage_seen = false;
  for (uint64_t log_number : logs) {
    LogRecoveryInfo info;
    s = RecoverLogFile(log_number, /*replay=*/!damage_seen, &edit, &max_sequence, &l, &info);
    if (!s.ok()) return s;
    damage_seen = damage_seen || info.damaged;
    versions_->MarkFileNumberUsed(log_number);
    recovery_.logs.push_back(std::move(info));
  }
  if (versions_->LastSequence() < max_sequence) versions_->SetLastSequence(max_sequence);

  // A fresh log and memtable; the edit makes the replayed logs obsolete.
  const uint64_t new_log_number = versions_->NewFileNumber();
  s = fs->NewWritableFile(LogFileName(dir_, new_log_number), &logfile_);
  if (!s.ok()) return s;
  logfile_number_ = new_log_number;
  log_ = std::make_unique<WalWriter>(logfile_.get());
  mem_ = std::make_shared<MemTable>(icmp_);
  edit.SetPrevLogNumber(0);
  edit.SetLogNumber(new_log_number);
  s = versions_->LogAndApply(&edit, &l);
  if (!s.ok()) return s;
  KeepLostLogs();
  for (const auto& info : recovery_.logs) {
    Log("{}{}", info.lost_data() ? "WARNING: " : "", info.Describe());
  }
  Log("opened: last sequence {}, {}", versions_->LastSequence(),
      versions_->current()->LevelSummary());
  recovery_.files_after = DescribeFiles(*versions_->current());
  if (options_.listener != nullptr) options_.listener->OnRecovery(recovery_);

  bg_thread_ = std::thread([this] { BackgroundThread(); });
  RemoveObsoleteFiles(&l);
  MaybeScheduleCompaction();
  return Status::OK();
}

Status DBImpl::RecoverLogFile(uint64_t log_number, bool replay, VersionEdit* edit,
                              SequenceNumber* max_sequence, Lock* lock, LogRecoveryInfo* info) {
  const std::filesystem::path path = LogFileName(dir_, log_number);
  info->log_number = log_number;
  info->path = path.string();
  info->skipped = !replay;
  std::unique_ptr<SequentialFile> file;
  Status s = options_.fs->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  uint64_t file_size = 0;
  (void)options_.fs->GetFileSize(path, &file_size);

  LogReporter reporter;  // its first damage is where the consistent prefix ends
  WalReader reader(file.get(), &reporter, /*checksum=*/true);
  std::string_view record;
  std::string scratch;
  WriteBatch batch;
  std::shared_ptr<MemTable> mem;
  uint64_t prefix_end = 0;  // file offset just past the last record applied
  Status damage;            // why replay stopped (OK: it did not)
  bool stopped = !replay;
  while (reader.ReadRecord(&record, &scratch)) {
    if (!stopped && reporter.damaged()) {
      damage = reporter.first_damage();  // damage between the last record applied and this one
      stopped = true;
    }
    if (stopped) {
      ++info->records_dropped;
      continue;
    }
    Status b = record.size() < WriteBatch::kHeaderSize
                   ? Status::Corruption("log record of {} bytes is smaller than a batch header",
                                        record.size())
                   : batch.SetContents(record);
    if (b.ok()) b = batch.Validate();
    if (b.ok()) {
      if (mem == nullptr) mem = std::make_shared<MemTable>(icmp_);
      b = InsertInto(batch, mem.get());
    }
    if (!b.ok()) {
      damage = b.WithContext(
          fmt::format("{}: record at offset {}", path.string(), reader.LastRecordOffset()));
      stopped = true;
      continue;
    }
    ++info->records_replayed;
    prefix_end = reader.LastRecordEnd();
    const SequenceNumber last = batch.Sequence() + batch.Count() - 1;
    if (batch.Count() > 0 && last > *max_sequence) *max_sequence = last;
    if (mem->ApproximateMemoryUsage() > options_.write_buffer_size) {
      s = WriteLevel0Table(mem.get(), edit, nullptr, lock, nullptr);
      mem.reset();
      if (!s.ok()) return s;
    }
  }
  // Damage with no intact record after it (e.g. a bad checksum in the last record).
  if (!stopped && reporter.damaged()) damage = reporter.first_damage();

  info->torn_tail_bytes = reader.torn_tail_bytes();
  if (!damage.ok()) {
    if (options_.paranoid_checks) return damage;
    info->damaged = true;
    info->damage_offset = prefix_end;
    info->reason = damage.ToString();
    info->bytes_dropped = file_size > prefix_end ? file_size - prefix_end : 0;
  } else if (info->skipped) {
    info->bytes_dropped = file_size;
  }
  if (mem != nullptr) s = WriteLevel0Table(mem.get(), edit, nullptr, lock, nullptr);
  return s;
}

void DBImpl::KeepLostLogs() {
  // The dropped bytes may hold acknowledged writes: keep them for a person to inspect
  // (lsmdump), out of the engine's way, as LevelDB's RepairDB keeps files in lost/.
  for (auto& info : recovery_.logs) {
    if (!info.lost_data()) continue;
    const std::filesystem::path lost = dir_ / "lost";
    const std::filesystem::path to = LogFileName(lost, info.log_number);
    Status s = options_.fs->CreateDir(lost);
    if (s.ok()) s = options_.fs->RenameFile(info.path, to);
    if (s.ok()) {
      info.kept_as = to.string();
    } else {
      Log("could not keep {} in {}: {}", info.path, lost.string(), s.ToString());
    }
  }
}

Status DestroyDB(const std::filesystem::path& dir, const Options& options) {
  FileSystem* fs = options.fs;
  std::vector<std::string> names;
  if (!fs->GetChildren(dir, &names).ok()) return Status::OK();  // no directory: nothing to do
  std::unique_ptr<FileLock> lock;
  Status s = fs->LockFile(LockFileName(dir), &lock);
  if (!s.ok()) return s;  // the database is open
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (ParseFileName(name, &number, &type) && type != FileType::kDBLockFile) {
      Status del = fs->RemoveFile(dir / name);
      if (s.ok() && !del.ok()) s = del;
    }
  }
  // Logs recovery set aside (DBImpl::KeepLostLogs).
  std::vector<std::string> lost;
  if (fs->GetChildren(dir / "lost", &lost).ok()) {
    for (const std::string& name : lost) {
      uint64_t number;
      if (ParseLogFileName(name, &number)) (void)fs->RemoveFile(dir / "lost" / name);
    }
    (void)fs->RemoveDir(dir / "lost");
  }
  lock.reset();
  (void)fs->RemoveFile(LockFileName(dir));
  (void)fs->RemoveDir(dir);  // fails harmlessly if other files remain
  return s;
}

}  // namespace lsm
