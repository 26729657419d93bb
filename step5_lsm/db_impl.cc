// DBImpl, the running DB: construction and close, the write path (group commit, making room,
// switching memtables, Resume), the read path (Get, iterators, snapshots) and the manual
// operations (Flush, CompactRange). Opening is db_recovery.cc, the background thread
// db_background.cc, the counters and events db_stats.cc (see step5_lsm/db_impl.h).
#include "step5_lsm/db_impl.h"

#include <algorithm>
#include <cassert>
#include <chrono>

#include <fmt/format.h>

#include "step2_wal/log_file_name.h"
#include "step3_memtable/batch_inserter.h"
#include "step5_lsm/db_iter.h"
#include "step5_lsm/level_iterator.h"
#include "step5_lsm/merging_iterator.h"

namespace lsm {

// One caller of Write(), waiting in writers_ for its turn (or for a leader to do its work).
struct DBImpl::Writer {
  explicit Writer(WriteBatch* b, bool s) : batch(b), sync(s) {}
  WriteBatch* batch;  // null: "make room" request from Flush()
  bool sync;
  bool done = false;
  Status status;
  std::condition_variable cv;
};

// --- construction and close (opening: db_recovery.cc; background work: db_background.cc) --

DBImpl::DBImpl(const Options& options, std::filesystem::path dir)
    : options_(options), dir_(std::move(dir)), icmp_(options.comparator) {
  if (options_.bloom_bits_per_key > 0) {
    user_filter_ = NewBloomFilterPolicy(options_.bloom_bits_per_key);
    filter_ = std::make_unique<InternalFilterPolicy>(user_filter_.get());
  }
  block_cache_ = std::make_unique<BlockCache>(options_.block_cache_bytes);
  table_options_.comparator = &icmp_;
  table_options_.block_size = options_.block_size;
  table_options_.block_restart_interval = options_.block_restart_interval;
  table_options_.compression =
      SnappySupported() ? options_.compression : CompressionType::kNone;
  table_options_.filter_policy = filter_.get();
  table_options_.block_cache = block_cache_.get();
  const int open_files = std::max(options_.max_open_files - 10, 10);
  const bool mmap = options_.mmap_tables && options_.fs == FileSystem::Default();
  table_cache_ = std::make_unique<TableCache>(dir_, options_.fs, table_options_,
                                              static_cast<size_t>(open_files), mmap);
  versions_ = std::make_unique<VersionSet>(dir_, &options_, &icmp_);
}

DBImpl::~DBImpl() {
  {
    Lock l(mu_);
    shutting_down_.store(true);
    while (bg_scheduled_) bg_done_cv_.wait(l);
    bg_thread_stop_ = true;
  }
  bg_work_cv_.notify_all();
  if (bg_thread_.joinable()) bg_thread_.join();
  if (logfile_ != nullptr) (void)logfile_->Close();
}

// --- writes --------------------------------------------------------------------------------

Status DBImpl::Put(const WriteOptions& options, std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(options, &batch);
}

Status DBImpl::Delete(const WriteOptions& options, std::string_view key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(options, &batch);
}

Status DBImpl::Write(const WriteOptions& options, WriteBatch* batch) {
  if (batch != nullptr) {
    // A malformed batch (e.g. installed with SetContents) must never reach the log: recovery
    // would stop at it, and the memtable would hold half of it.
    Status s = batch->Validate();
    if (!s.ok()) return s.WithContext("Write: invalid batch");
  }
  Writer w(batch, options.sync);
  Lock l(mu_);
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.wait(l);
  if (w.done) return w.status;  // a leader wrote our batch for us

  // We lead a group: everyone queued behind us (compatible sync-wise) rides along.
  Status status = MakeRoomForWrite(batch == nullptr, &l);
  SequenceNumber last_sequence = versions_->LastSequence();
  Writer* last_writer = &w;
  if (status.ok() && batch != nullptr) {
    WriteBatch* group = BuildBatchGroup(&last_writer);
    group->SetSequence(last_sequence + 1);
    last_sequence += group->Count();
    MemTable* mem = mem_.get();
    WalWriter* log = log_.get();
    const uint64_t log_size_before = log->file_size();
    uint64_t kv_bytes = 0;
    {
      // Only the front writer gets here, so the log and memtable see one writer at a time
      // without the mutex; readers and new writers proceed meanwhile.
      l.unlock();
      status = log->AddRecord(group->Contents());
      if (status.ok() && options.sync) status = log->Sync();
      if (status.ok()) status = InsertInto(*group, mem);
      if (status.ok()) kv_bytes = KeyValueBytes(*group);
      l.lock();
      CountWrite(kv_bytes, log->file_size() - log_size_before);
      if (!status.ok()) {
        // The log may now end in part of a record (a short write on a full disk) or in bytes
        // the OS could not make durable (a failed fsync). Records appended after it would be
        // misaligned or unsynced, so recovery would not return them: refuse every later write
        // until Resume() has moved the memtable into a table and started a fresh log.
        status = status.WithContext(fmt::format("writing log #{}", logfile_number_));
        RecordBackgroundError(status);
      }
    }
    if (group == &tmp_batch_) tmp_batch_.Clear();
    versions_->SetLastSequence(last_sequence);
  }

  while (true) {
    Writer* ready = writers_.front();
    writers_.pop_front();
    if (ready != &w) {
      ready->status = status;
      ready->done = true;
      ready->cv.notify_one();
    }
    if (ready == last_writer) break;
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();
  return status;
}

WriteBatch* DBImpl::BuildBatchGroup(Writer** last_writer) {
  Writer* first = writers_.front();
  WriteBatch* result = first->batch;
  size_t size = first->batch->ApproximateSize();
  // Cap the group so a small write is not delayed behind megabytes of others.
  size_t max_size = 1 << 20;
  if (size <= (128 << 10)) max_size = size + (128 << 10);
  *last_writer = first;
  for (auto it = writers_.begin() + 1; it != writers_.end(); ++it) {
    Writer* w = *it;
    if (w->sync && !first->sync) break;  // a sync write must not ride in a non-sync group
    if (w->batch == nullptr) break;
    size += w->batch->ApproximateSize();
    if (size > max_size) break;
    if (result == first->batch) {
      result = &tmp_batch_;  // copy the first batch, do not modify the caller's
      assert(tmp_batch_.Count() == 0);
      tmp_batch_.Append(*first->batch);
    }
    result->Append(*w->batch);
    *last_writer = w;
  }
  return result;
}

Status DBImpl::MakeRoomForWrite(bool force, Lock* lock) {
  bool allow_delay = !force;
  while (true) {
    const int l0_files = versions_->current()->NumFiles(0);
    if (!bg_error_.ok()) {
      return bg_error_;
    } else if (allow_delay && l0_files >= kL0SlowdownWritesTrigger) {
      // Near the hard limit: give each write a 1 ms delay (once) rather than stopping writes
      // for seconds later; it hands CPU to the compaction thread.
      const uint64_t start = BeginStall(WriteStallInfo::Kind::kSlowdown, l0_files);
      lock->unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      allow_delay = false;
      lock->lock();
      EndStall(WriteStallInfo::Kind::kSlowdown, l0_files, start);
    } else if (!force && (mem_->ApproximateMemoryUsage() <= options_.write_buffer_size ||
                          mem_->num_entries() == 0)) {
      // Room in the memtable. An empty one always has room: with a write buffer smaller than
      // the arena's first block, switching it out would never make room (an endless loop).
      return Status::OK();
    } else if (imm_ != nullptr || l0_files >= kL0StopWritesTrigger) {
      // The previous memtable is still being flushed, or too many L0 files: wait for the
      // background thread. (Every style's policy can reduce L0: see UniversalCompactionOptions.)
      const auto kind = imm_ != nullptr ? WriteStallInfo::Kind::kMemTableFull
                                        : WriteStallInfo::Kind::kTooManyL0Files;
      const uint64_t start = BeginStall(kind, l0_files);
      bg_done_cv_.wait(*lock);
      EndStall(kind, versions_->current()->NumFiles(0), start);
    } else {
      Status s = SwitchMemTable();
      if (!s.ok()) return s;
      force = false;
    }
  }
}

Status DBImpl::SwitchMemTable() {
  // A new log and memtable; the full one is flushed in the background.
  const uint64_t new_log_number = versions_->NewFileNumber();
  std::unique_ptr<WritableFile> file;
  Status s = options_.fs->NewWritableFile(LogFileName(dir_, new_log_number), &file);
  if (!s.ok()) {
    versions_->ReuseFileNumber(new_log_number);
    return s;  // nothing changed: the current log and memtable stay in use
  }
  s = logfile_->Close();
  // The old log's last bytes may not have reached the file: its memtable must become a table
  // before any recovery relies on that log (Resume does so).
  if (!s.ok()) RecordBackgroundError(s.WithContext(fmt::format("closing log #{}", logfile_number_)));
  logfile_ = std::move(file);
  logfile_number_ = new_log_number;
  log_ = std::make_unique<WalWriter>(logfile_.get());
  if (options_.listener != nullptr) {
    options_.listener->OnMemTableFrozen(MemTableFrozenInfo{
        .memtable_bytes = mem_->ApproximateMemoryUsage(),
        .entries = mem_->num_entries(),
        .new_log_number = new_log_number});
  }
  imm_ = std::move(mem_);
  has_imm_.store(true, std::memory_order_release);
  mem_ = std::make_shared<MemTable>(icmp_);
  MaybeScheduleCompaction();
  return Status::OK();
}

Status DBImpl::Resume() {
  // Queue as a writer: while Resume runs, no write touches the log.
  Writer w(nullptr, false);
  Lock l(mu_);
  writers_.push_back(&w);
  while (&w != writers_.front()) w.cv.wait(l);
  Status s = ResumeLocked(&l);
  writers_.pop_front();
  if (!writers_.empty()) writers_.front()->cv.notify_one();
  return s;
}

Status DBImpl::ResumeLocked(Lock* lock) {
  if (bg_error_.ok()) return Status::OK();
  if (shutting_down_.load()) return bg_error_;
  while (bg_scheduled_) bg_done_cv_.wait(*lock);
  const Status error = bg_error_;
  Log("resuming after: {}", error.ToString());
  bg_error_ = Status::OK();
  // 1. A memtable whose flush failed is flushed again.
  MaybeScheduleCompaction();
  Status s = WaitForImmutableFlush(lock);
  // 2. The live memtable (whose log may be damaged) becomes a table; writes go to a new log.
  if (s.ok()) s = SwitchMemTable();
  if (s.ok()) s = WaitForImmutableFlush(lock);
  if (!s.ok()) {
    RecordBackgroundError(s);
    Log("resume failed: {}", s.ToString());
    return s;
  }
  Log("resumed: writes go to log #{}", logfile_number_);
  return Status::OK();
}

// --- reads ---------------------------------------------------------------------------------

Status DBImpl::Get(const ReadOptions& options, std::string_view key, std::string* value) {
  Lock l(mu_);
  const SequenceNumber snapshot =
      options.snapshot != nullptr ? options.snapshot->sequence() : versions_->LastSequence();
  std::shared_ptr<const MemTable> mem = mem_;
  std::shared_ptr<const MemTable> imm = imm_;
  std::shared_ptr<const Version> current = versions_->current();
  l.unlock();

  // Newest data first: memtable, immutable memtable, then the levels.
  LookupKey lkey(key, snapshot);
  Status s;
  GetStats stats;
  bool searched_tables = false;
  if (mem->Get(lkey, value, &s)) {
    // done (s is OK or NotFound for a tombstone)
  } else if (imm != nullptr && imm->Get(lkey, value, &s)) {
    // done
  } else {
    const TableReadOptions table_read{.fill_cache = options.fill_cache,
                                      .verify_checksums = ShouldVerifyChecksums(options)};
    s = LookupInVersion(*current, icmp_, table_cache_.get(), table_read, lkey, value, &stats);
    searched_tables = true;
  }
  if (s.ok() || s.IsNotFound()) CountPointRead(s.ok(), searched_tables, stats);

  if (searched_tables && stats.seek_file != nullptr) {
    l.lock();
    // A file charged too many fruitless seeks is cheaper to compact than to keep seeking.
    FileMetaData* f = stats.seek_file.get();
    if (--f->allowed_seeks <= 0 && current->file_to_compact == nullptr) {
      current->file_to_compact = stats.seek_file;
      current->file_to_compact_level = stats.seek_file_level;
      MaybeScheduleCompaction();
    }
  }
  return s;
}

std::unique_ptr<Iterator> DBImpl::NewInternalIterator(const ReadOptions& options,
                                                      SequenceNumber* latest_snapshot) {
  Lock l(mu_);
  *latest_snapshot = versions_->LastSequence();
  std::shared_ptr<const MemTable> mem = mem_;
  std::shared_ptr<const MemTable> imm = imm_;
  std::shared_ptr<const Version> current = versions_->current();
  l.unlock();

  const TableReadOptions table_read{.fill_cache = options.fill_cache,
                                    .verify_checksums = ShouldVerifyChecksums(options),
                                    .data_blocks_read = &scans_.data_blocks};
  std::vector<std::unique_ptr<Iterator>> children;
  children.push_back(mem->NewIterator());
  if (imm != nullptr) children.push_back(imm->NewIterator());
  // A scan consults every sorted run: each L0 file, and each non-empty level through a level
  // iterator that opens the level's tables as the scan reaches them.
  CountScan(*current);
  for (const auto& f : current->files[0]) {
    children.push_back(table_cache_->NewIterator(table_read, f->number, f->file_size));
  }
  for (int level = 1; level < kNumLevels; ++level) {
    if (current->files[level].empty()) continue;
    children.push_back(NewLevelIterator(
        &icmp_, current->files[level], [this, table_read](uint64_t number, uint64_t file_size) {
          CountScanTableOpened();
          return table_cache_->NewIterator(table_read, number, file_size);
        }));
  }
  auto merged = NewMergingIterator(&icmp_, std::move(children));
  // Pin what the iterator reads: memtables and the Version (so compaction keeps its files).
  merged->RegisterCleanup([mem = std::move(mem), imm = std::move(imm),
                           current = std::move(current)]() mutable {
    mem.reset();
    imm.reset();
    current.reset();
  });
  return merged;
}

std::unique_ptr<Iterator> DBImpl::NewIterator(const ReadOptions& options) {
  SequenceNumber latest;
  auto internal = NewInternalIterator(options, &latest);
  const SequenceNumber sequence =
      options.snapshot != nullptr ? options.snapshot->sequence() : latest;
  return NewDBIterator(icmp_.user_comparator(), std::move(internal), sequence);
}

const Snapshot* DBImpl::GetSnapshot() {
  Lock l(mu_);
  snapshots_.push_back(std::make_unique<Snapshot>(versions_->LastSequence()));
  return snapshots_.back().get();
}

void DBImpl::ReleaseSnapshot(const Snapshot* snapshot) {
  Lock l(mu_);
  auto it = std::find_if(snapshots_.begin(), snapshots_.end(),
                         [snapshot](const auto& p) { return p.get() == snapshot; });
  assert(it != snapshots_.end());  // REQUIRES: a live snapshot of this DB
  if (it != snapshots_.end()) snapshots_.erase(it);
}

// --- manual flush and compaction -----------------------------------------------------------

Status DBImpl::WaitForImmutableFlush(Lock* lock) {
  while (imm_ != nullptr && bg_error_.ok()) bg_done_cv_.wait(*lock);
  return imm_ != nullptr ? bg_error_ : Status::OK();
}

Status DBImpl::Flush() {
  Status s = Write(WriteOptions{}, nullptr);  // freezes the memtable (force)
  if (!s.ok()) return s;
  Lock l(mu_);
  return WaitForImmutableFlush(&l);
}

Status DBImpl::CompactRange(const std::string_view* begin, const std::string_view* end) {
  int max_level_with_files = 1;
  {
    Lock l(mu_);
    auto current = versions_->current();
    for (int level = 1; level < kNumLevels; ++level) {
      if (SomeFileOverlapsRange(icmp_, true, current->files[level], begin, end)) {
        max_level_with_files = level;
      }
    }
  }
  Status s = Flush();
  if (!s.ok()) return s;

  InternalKey begin_key, end_key;
  if (begin != nullptr) begin_key = InternalKey(*begin, kMaxSequenceNumber, kValueTypeForSeek);
  if (end != nullptr) end_key = InternalKey(*end, 0, ValueType::kDeletion);
  for (int level = 0; level < max_level_with_files; ++level) {
    ManualCompaction manual;
    manual.level = level;
    manual.begin = begin != nullptr ? &begin_key : nullptr;
    manual.end = end != nullptr ? &end_key : nullptr;
    Lock l(mu_);
    while (!manual.done && !shutting_down_.load() && bg_error_.ok()) {
      if (manual_compaction_ == nullptr) {  // idle: queue ours
        manual_compaction_ = &manual;
        MaybeScheduleCompaction();
      } else {  // ours (or another thread's) is running
        bg_done_cv_.wait(l);
      }
    }
    if (manual_compaction_ == &manual) manual_compaction_ = nullptr;  // cancelled
    if (!bg_error_.ok()) return bg_error_;
  }
  return Status::OK();
}

// --- the store concepts -------------------------------------------------------------------

Status DB::Put(std::string_view key, std::string_view value) {
  return Put(DefaultWriteOptions(), key, value);
}
Status DB::Delete(std::string_view key) { return Delete(DefaultWriteOptions(), key); }
Status DB::Get(std::string_view key, std::string* value) {
  return Get(ReadOptions{}, key, value);
}
Status DB::Scan(std::string_view from, std::string_view to, const ScanCallback& fn) {
  auto it = NewIterator(ReadOptions{});
  for (it->Seek(from); it->Valid(); it->Next()) {
    if (!to.empty() && UserComparator()->Compare(it->key(), to) >= 0) break;
    if (!fn(it->key(), it->value())) break;
  }
  return it->status();
}

}  // namespace lsm
