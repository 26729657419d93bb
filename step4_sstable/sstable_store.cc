#include "step4_sstable/sstable_store.h"

#include <algorithm>
#include <cassert>

#include "step2_wal/log_file_name.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"
#include "step3_memtable/batch_inserter.h"
#include "step4_sstable/table_builder.h"

namespace lsm {
namespace fs = std::filesystem;

SSTableStore::SSTableStore(const Options& options, fs::path dir)
    : options_(options), dir_(std::move(dir)), icmp_(BytewiseComparator()) {
  if (options_.bloom_bits_per_key > 0) {
    bloom_ = NewBloomFilterPolicy(options_.bloom_bits_per_key);
    filter_ = std::make_unique<InternalFilterPolicy>(bloom_.get());
  }
  if (options_.block_cache_bytes > 0) cache_ = std::make_unique<BlockCache>(options_.block_cache_bytes);
  table_options_ = TableOptions{.comparator = &icmp_,
                                .compression = options_.compression,
                                .filter_policy = filter_.get(),
                                .block_cache = cache_.get()};
  mem_ = std::make_shared<MemTable>(icmp_);
  tables_ = std::make_shared<const std::vector<Table>>();
}

SSTableStore::~SSTableStore() {
  std::lock_guard<std::mutex> lock(mu_);
  if (log_file_ != nullptr) (void)log_file_->Close();
}

fs::path SSTableStore::FileName(uint64_t number, std::string_view ext) const {
  return NumberedFileName(dir_, number, ext);
}

Status SSTableStore::Open(const Options& options, const fs::path& dir,
                          std::unique_ptr<SSTableStore>* result) {
  std::unique_ptr<SSTableStore> store(new SSTableStore(options, dir));
  Status s = options.fs->CreateDir(dir);
  if (s.ok()) s = options.fs->LockFile(dir / "LOCK", &store->lock_);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(store->mu_);
    s = store->Recover();
  }
  if (s.ok()) *result = std::move(store);
  return s;
}

Status SSTableStore::OpenTable(uint64_t number, Table* table) {
  const fs::path path = FileName(number, "ldb");
  std::unique_ptr<RandomAccessFile> file;
  uint64_t size = 0;
  Status s = options_.fs->NewRandomAccessFile(path, &file);
  if (s.ok()) s = options_.fs->GetFileSize(path, &size);
  std::unique_ptr<TableReader> reader;
  if (s.ok()) s = TableReader::Open(table_options_, std::move(file), size, &reader);
  if (s.ok()) *table = Table{number, std::move(reader)};
  return s;
}

// REQUIRES: mu_ held.
Status SSTableStore::Recover() {
  std::vector<std::string> names;
  Status s = options_.fs->GetChildren(dir_, &names);
  if (!s.ok()) return s;
  std::vector<uint64_t> logs;
  auto tables = std::make_shared<std::vector<Table>>();
  uint64_t max_number = 0;
  for (const std::string& name : names) {
    uint64_t number = 0;
    std::string_view ext;
    if (!ParseNumberedFileName(name, &number, &ext)) continue;
    if (ext == "ldb.tmp") {  // a flush that did not finish: the log still has its data
      s = options_.fs->RemoveFile(dir_ / name);
      if (!s.ok()) return s;
      continue;
    }
    max_number = std::max(max_number, number);
    if (ext == "log") {
      logs.push_back(number);
    } else if (ext == "ldb") {
      Table t;
      s = OpenTable(number, &t);
      if (!s.ok()) return s;
      tables->push_back(std::move(t));
    }
  }
  next_file_number_ = max_number + 1;
  std::sort(tables->begin(), tables->end(),
            [](const Table& a, const Table& b) { return a.number > b.number; });
  const uint64_t newest_table = tables->empty() ? 0 : tables->front().number;

  // The newest table holds the newest flushed sequence numbers.
  if (!tables->empty()) {
    auto it = tables->front().reader->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ParsedInternalKey parsed;
      if (!ParseInternalKey(it->key(), &parsed)) {
        return Status::Corruption("{}: bad internal key", FileName(newest_table, "ldb").string());
      }
      last_sequence_ = std::max(last_sequence_, parsed.sequence);
    }
    if (!it->status().ok()) return it->status();
  }
  tables_ = std::move(tables);

  // Logs below the newest table were flushed into it (or older ones); replay the rest.
  std::sort(logs.begin(), logs.end());
  for (uint64_t number : logs) {
    if (number < newest_table) continue;
    s = ReplayLog(number, &last_sequence_);
    if (!s.ok()) return s;
  }
  std::unique_ptr<Iterator> mem_iter = mem_->NewIterator();
  mem_iter->SeekToFirst();
  if (mem_iter->Valid()) return FlushLocked();  // also starts a new log, drops the old ones
  s = NewLog(next_file_number_++);
  if (s.ok()) RemoveObsoleteLogs(log_number_);
  return s;
}

// REQUIRES: mu_ held.
void SSTableStore::RemoveObsoleteLogs(uint64_t below) {
  // Best effort: a log that survives (a failed listing or removal) is harmless. Its number is
  // below the newest table's, so recovery never replays it (and even if it did, its batches'
  // sequence numbers are <= the recovered last sequence, so they would be skipped, never
  // applied twice or over a later delete). The next flush or open tries again.
  std::vector<std::string> names;
  if (!options_.fs->GetChildren(dir_, &names).ok()) return;
  for (const std::string& name : names) {
    uint64_t n = 0;
    if (ParseLogFileName(name, &n) && n < below) (void)options_.fs->RemoveFile(dir_ / name);
  }
}

Status SSTableStore::ReplayLog(uint64_t number, SequenceNumber* last) {
  const fs::path path = FileName(number, "log");
  std::unique_ptr<SequentialFile> file;
  Status s = options_.fs->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  LogReporter reporter;
  WalReader reader(file.get(), &reporter, /*checksum=*/true);
  std::string scratch;
  std::string_view record;
  WriteBatch batch;
  while (reader.ReadRecord(&record, &scratch)) {
    s = batch.SetContents(record);
    if (!s.ok()) return s.WithContext(path.string());
    if (batch.Count() == 0 || batch.Sequence() <= *last) continue;  // already applied
    s = InsertInto(batch, mem_.get());
    if (!s.ok()) return s.WithContext(path.string());
    *last = batch.Sequence() + batch.Count() - 1;
  }
  // Damage in the middle of a log is data loss: refuse to open rather than hide it.
  return reporter.first_damage();
}

Status SSTableStore::NewLog(uint64_t number) {
  std::unique_ptr<WritableFile> file;
  Status s = options_.fs->NewWritableFile(FileName(number, "log"), &file);
  if (!s.ok()) return s;
  if (log_file_ != nullptr) (void)log_file_->Close();
  log_file_ = std::move(file);
  log_ = std::make_unique<WalWriter>(log_file_.get());
  log_number_ = number;
  return Status::OK();
}

Status SSTableStore::Put(std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(&batch);
}

Status SSTableStore::Delete(std::string_view key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(&batch);
}

Status SSTableStore::Write(WriteBatch* batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_.ok()) return error_;
  batch->SetSequence(last_sequence_ + 1);
  Status s = log_->AddRecord(batch->Contents());
  if (s.ok() && options_.sync) s = log_->Sync();
  if (!s.ok()) {
    error_ = s;  // the log may hold half a record: refuse further writes
    return s;
  }
  s = InsertInto(*batch, mem_.get());
  assert(s.ok());  // we built the batch
  last_sequence_ += batch->Count();
  if (mem_->ApproximateMemoryUsage() >= options_.write_buffer_size) s = FlushLocked();
  return s;
}

Status SSTableStore::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Iterator> it = mem_->NewIterator();
  it->SeekToFirst();
  if (!it->Valid()) return Status::OK();
  it.reset();
  return FlushLocked();
}

// REQUIRES: mu_ held.
Status SSTableStore::FlushLocked() {
  const uint64_t number = next_file_number_++;
  const fs::path tmp = FileName(number, "ldb.tmp");
  std::unique_ptr<WritableFile> file;
  Status s = options_.fs->NewWritableFile(tmp, &file);
  if (s.ok()) {
    TableBuilder builder(table_options_, file.get());
    std::unique_ptr<Iterator> it = mem_->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) builder.Add(it->key(), it->value());
    s = builder.Finish();
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
  }
  if (s.ok()) s = options_.fs->RenameFile(tmp, FileName(number, "ldb"));
  if (s.ok()) s = options_.fs->SyncDir(dir_);
  Table table;
  if (s.ok()) s = OpenTable(number, &table);
  if (!s.ok()) {
    (void)options_.fs->RemoveFile(tmp);
    return s;  // the memtable and its log are intact; the data is still safe
  }
  auto tables = std::make_shared<std::vector<Table>>();
  tables->push_back(std::move(table));
  tables->insert(tables->end(), tables_->begin(), tables_->end());
  tables_ = std::move(tables);
  mem_ = std::make_shared<MemTable>(icmp_);

  // The table is durable: switch to a new log and drop the ones it covers. The write that
  // triggered this flush is durable and applied whatever the clean-up does, so a log that
  // cannot be deleted does not fail it (see RemoveObsoleteLogs).
  s = NewLog(next_file_number_++);
  if (!s.ok()) {
    error_ = s;
    return s;
  }
  RemoveObsoleteLogs(number);
  return Status::OK();
}

SSTableStore::Snapshot SSTableStore::GetSnapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Snapshot{mem_, tables_, last_sequence_};
}

Status SSTableStore::Get(std::string_view key, std::string* value) const {
  const Snapshot snap = GetSnapshot();
  const LookupKey lookup(key, snap.sequence);
  Status s;
  if (snap.mem->Get(lookup, value, &s)) return s;
  for (const Table& table : *snap.tables) {  // newest first: the first answer wins
    bool decided = false;
    Status answer;  // what the entry found says, when decided
    GetTrace trace;
    s = table.reader->Get(
        TableReadOptions{}, lookup.internal_key(),
        [&](std::string_view ikey, std::string_view v) {
          ParsedInternalKey parsed;
          if (!ParseInternalKey(ikey, &parsed)) {
            answer = Status::Corruption("bad internal key in table {:06d}", table.number);
            decided = true;
          } else if (parsed.user_key == key) {
            decided = true;
            if (parsed.type == ValueType::kValue) {
              value->assign(v);
            } else {
              answer = Status::NotFound();  // a tombstone: older tables must not answer
            }
          }
        },
        &trace);
    tables_probed_.fetch_add(1, std::memory_order_relaxed);
    if (trace.filter_skipped) filter_skips_.fetch_add(1, std::memory_order_relaxed);
    if (!s.ok()) return s;
    if (decided) return answer;
  }
  return Status::NotFound();
}

Status SSTableStore::Scan(std::string_view from, std::string_view to,
                          const ScanCallback& fn) const {
  const Snapshot snap = GetSnapshot();
  // Children: the memtable, then every table. A simple linear merge: each step picks the
  // smallest current key by comparing every child, as step 5's MergingIterator (and
  // LevelDB's) also does; with a handful of children a heap would not pay off.
  std::vector<std::unique_ptr<Iterator>> children;
  children.push_back(snap.mem->NewIterator());
  for (const Table& t : *snap.tables) children.push_back(t.reader->NewIterator());
  const LookupKey start(from, snap.sequence);
  for (auto& c : children) c->Seek(start.internal_key());

  std::string current_user_key;
  bool have_current = false;
  while (true) {
    Iterator* smallest = nullptr;
    for (auto& c : children) {
      if (c->Valid() && (smallest == nullptr || icmp_.Compare(c->key(), smallest->key()) < 0)) {
        smallest = c.get();
      }
    }
    if (smallest == nullptr) break;
    ParsedInternalKey parsed;
    if (!ParseInternalKey(smallest->key(), &parsed)) {
      return Status::Corruption("{}: bad internal key during scan", dir_.string());
    }
    if (!to.empty() && parsed.user_key >= to) break;
    // The first visible entry of each user key is its newest: it decides.
    if (parsed.sequence <= snap.sequence &&
        (!have_current || parsed.user_key != current_user_key)) {
      current_user_key.assign(parsed.user_key);
      have_current = true;
      if (parsed.type == ValueType::kValue && !fn(parsed.user_key, smallest->value())) break;
    }
    smallest->Next();
  }
  for (auto& c : children) {
    if (!c->status().ok()) return c->status();
  }
  return Status::OK();
}

size_t SSTableStore::NumTables() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tables_->size();
}

SequenceNumber SSTableStore::last_sequence() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_sequence_;
}

}  // namespace lsm
