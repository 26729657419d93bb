#include "step3_memtable/memtable_store.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/comparator.h"
#include "step2_wal/log_file_name.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"
#include "step3_memtable/batch_inserter.h"

namespace lsm {

namespace fs = std::filesystem;

MemTableStore::MemTableStore(const Options& options, fs::path dir)
    : options_(options),
      dir_(std::move(dir)),
      icmp_(BytewiseComparator()),
      mem_(std::make_shared<MemTable>(icmp_)) {}

MemTableStore::~MemTableStore() {
  std::lock_guard lock(write_mu_);
  if (log_file_ != nullptr) (void)log_file_->Close();
}

Status MemTableStore::Open(const Options& options, const fs::path& dir,
                           std::unique_ptr<MemTableStore>* result) {
  std::unique_ptr<MemTableStore> store(new MemTableStore(options, dir));
  Status s = options.fs->CreateDir(dir);
  if (s.ok()) s = options.fs->LockFile(dir / "LOCK", &store->lock_);
  if (s.ok()) s = store->Recover();
  if (s.ok()) s = store->NewLog();
  if (s.ok()) *result = std::move(store);
  return s;
}

Status MemTableStore::Recover() {
  std::vector<std::string> names;
  Status s = options_.fs->GetChildren(dir_, &names);
  if (!s.ok()) return s;
  std::vector<uint64_t> logs;
  for (const auto& name : names) {
    uint64_t number;
    if (ParseLogFileName(name, &number)) logs.push_back(number);
  }
  std::sort(logs.begin(), logs.end());
  for (uint64_t number : logs) {
    s = ReplayLog(number);
    if (!s.ok()) return s;
    log_number_ = number;
  }
  recovery_.last_sequence = last_sequence();
  return Status::OK();
}

Status MemTableStore::ReplayLog(uint64_t number) {
  const fs::path path = LogFileName(dir_, number);
  std::unique_ptr<SequentialFile> file;
  Status s = options_.fs->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  LogReporter reporter;
  WalReader reader(file.get(), &reporter, /*checksum=*/true);
  std::string scratch;
  std::string_view record;
  WriteBatch batch;
  SequenceNumber last = last_sequence();
  while (reader.ReadRecord(&record, &scratch)) {
    Status bs = batch.SetContents(record);
    if (bs.ok()) bs = batch.Validate();
    if (!bs.ok()) {
      reporter.Corruption(record.size(),
                          Status::Corruption("{}: batch at offset {}: {}", path.string(),
                                             reader.LastRecordOffset(), bs.message()));
    } else if (batch.Count() > 0) {
      // Sequences only grow; a batch at or below what we hold would be a duplicate entry.
      if (batch.Sequence() <= last) {
        reporter.Corruption(record.size(),
                            Status::Corruption("{}: batch at offset {} has sequence {} <= {}",
                                               path.string(), reader.LastRecordOffset(),
                                               batch.Sequence(), last));
      } else {
        s = InsertInto(batch, mem_.get());
        assert(s.ok());  // validated above
        last = batch.Sequence() + batch.Count() - 1;
        ++recovery_.batches_applied;
      }
    }
    if (options_.paranoid_checks && reporter.damaged()) break;
  }
  last_sequence_.store(last, std::memory_order_release);
  ++recovery_.logs_replayed;
  recovery_.torn_tail_bytes += reader.torn_tail_bytes();
  recovery_.dropped_bytes += reader.dropped_bytes();
  for (const auto& d : reporter.damages()) {
    recovery_.problems.push_back(fmt::format("dropped {} bytes: {}", d.bytes, d.status.ToString()));
  }
  if (reader.ended_in_torn_tail()) {
    recovery_.problems.push_back(fmt::format("{}: torn tail of {} bytes (a crash mid-write)",
                                             path.string(), reader.torn_tail_bytes()));
  }
  if (options_.paranoid_checks && reporter.damaged()) return reporter.first_damage();
  return Status::OK();
}

Status MemTableStore::NewLog() {
  const uint64_t number = log_number_ + 1;
  std::unique_ptr<WritableFile> file;
  Status s = options_.fs->NewWritableFile(LogFileName(dir_, number), &file);
  if (s.ok()) s = options_.fs->SyncDir(dir_);  // the new log's name is durable
  if (!s.ok()) return s;
  log_number_ = number;
  log_file_ = std::move(file);
  log_ = std::make_unique<WalWriter>(log_file_.get());
  return Status::OK();
}

fs::path MemTableStore::log_path() const { return LogFileName(dir_, log_number_); }

Status MemTableStore::Put(std::string_view key, std::string_view value) {
  std::lock_guard lock(write_mu_);
  scratch_batch_.Clear();
  scratch_batch_.Put(key, value);
  return WriteLocked(&scratch_batch_);
}

Status MemTableStore::Delete(std::string_view key) {
  std::lock_guard lock(write_mu_);
  scratch_batch_.Clear();
  scratch_batch_.Delete(key);
  return WriteLocked(&scratch_batch_);
}

Status MemTableStore::Write(WriteBatch* batch) {
  Status s = batch->Validate();  // reject a malformed batch before logging it
  if (!s.ok()) return s;
  std::lock_guard lock(write_mu_);
  return WriteLocked(batch);
}

Status MemTableStore::WriteLocked(WriteBatch* batch) {
  if (!error_.ok()) return error_;
  if (batch->Count() == 0) return Status::OK();
  const SequenceNumber first = last_sequence_.load(std::memory_order_relaxed) + 1;
  batch->SetSequence(first);
  // 1. The log: once this returns OK (and synced, if asked) the batch survives a crash.
  Status s = log_->AddRecord(batch->Contents());
  if (s.ok() && options_.sync) s = log_->Sync();
  if (!s.ok()) {
    // The log may now end in a partial record; refuse further writes rather than append
    // after it.
    error_ = s;
    return s;
  }
  // 2. The memtable: readers may already see these entries in the skip list, but they are
  // above every reader's snapshot until step 3 publishes the new last sequence.
  s = InsertInto(*batch, mem_.get());
  assert(s.ok());  // validated by Write(), or built by Put/Delete
  // 3. Publish.
  last_sequence_.store(first + batch->Count() - 1, std::memory_order_release);
  return s;
}

Status MemTableStore::Get(std::string_view key, std::string* value) const {
  const LookupKey lookup(key, last_sequence());
  Status s;
  if (mem_->Get(lookup, value, &s)) return s;  // a value (OK) or a tombstone (NotFound)
  return Status::NotFound();
}

Status MemTableStore::Scan(std::string_view from, std::string_view to,
                           const ScanCallback& fn) const {
  const SequenceNumber snapshot = last_sequence();
  auto it = mem_->NewIterator();
  // The smallest internal key of `from` at our snapshot: every visible version is at or after.
  const LookupKey start(from, snapshot);
  std::string current;      // the user key whose fate is decided; later entries of it are older
  bool have_current = false;
  for (it->Seek(start.internal_key()); it->Valid(); it->Next()) {
    ParsedInternalKey entry;
    if (!ParseInternalKey(it->key(), &entry)) {
      return Status::Corruption("memtable entry with a bad internal key: {}",
                                EscapeBytes(it->key()));
    }
    if (have_current && entry.user_key == current) continue;  // an older version
    if (entry.sequence > snapshot) continue;                  // newer than our snapshot
    if (!to.empty() && entry.user_key >= to) break;
    current.assign(entry.user_key);
    have_current = true;
    if (entry.type == ValueType::kValue && !fn(entry.user_key, it->value())) break;
  }
  return it->status();
}

}  // namespace lsm
