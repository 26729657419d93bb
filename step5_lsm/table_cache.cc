#include "step5_lsm/table_cache.h"

#include <cassert>

#include "common/mmap_file.h"
#include "step5_lsm/filename.h"

namespace lsm {

TableCache::TableCache(std::filesystem::path dir, FileSystem* fs,
                       const TableOptions& table_options, size_t capacity, bool mmap)
    : dir_(std::move(dir)),
      fs_(fs),
      table_options_(table_options),
      capacity_(capacity),
      mmap_(mmap) {
  assert(capacity >= 1);
}

Status TableCache::OpenFile(const std::filesystem::path& path,
                            std::unique_ptr<RandomAccessFile>* file) const {
  if (!mmap_) return fs_->NewRandomAccessFile(path, file);
  std::unique_ptr<MmapFile> mapped;
  Status s = MmapFile::Open(path, &mapped);
  if (s.ok()) *file = std::move(mapped);
  return s;
}

Status TableCache::FindTable(uint64_t number, uint64_t file_size,
                             std::shared_ptr<TableReader>* table) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = index_.find(number);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);  // now most recently used
      *table = it->second->second;
      return Status::OK();
    }
  }
  // Miss: open without holding the lock.
  std::unique_ptr<RandomAccessFile> file;
  Status s = OpenFile(TableFileName(dir_, number), &file);
  if (!s.ok()) {
    // Databases written by old LevelDB versions name tables .sst.
    Status old = OpenFile(SSTTableFileName(dir_, number), &file);
    if (old.ok()) s = old;
  }
  std::unique_ptr<TableReader> reader;
  if (s.ok()) s = TableReader::Open(table_options_, std::move(file), file_size, &reader);
  if (!s.ok()) return s;  // errors are not cached: a later attempt may succeed

  std::shared_ptr<TableReader> shared(std::move(reader));
  std::lock_guard<std::mutex> l(mu_);
  auto it = index_.find(number);
  if (it != index_.end()) {  // another thread opened it meanwhile: use theirs
    *table = it->second->second;
    return Status::OK();
  }
  lru_.emplace_front(number, shared);
  index_[number] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();  // readers still in use live on through their shared_ptrs
  }
  *table = std::move(shared);
  return Status::OK();
}

std::unique_ptr<Iterator> TableCache::NewIterator(const TableReadOptions& options,
                                                  uint64_t number, uint64_t file_size) {
  std::shared_ptr<TableReader> table;
  Status s = FindTable(number, file_size, &table);
  if (!s.ok()) return NewEmptyIterator(s);
  std::unique_ptr<Iterator> it = table->NewIterator(options);
  it->RegisterCleanup([table = std::move(table)]() mutable { table.reset(); });
  return it;
}

Status TableCache::Get(const TableReadOptions& options, uint64_t number, uint64_t file_size,
                       std::string_view internal_key, const TableReader::GetCallback& fn,
                       GetTrace* trace, bool* has_filter) {
  std::shared_ptr<TableReader> table;
  Status s = FindTable(number, file_size, &table);
  if (s.ok()) s = table->Get(options, internal_key, fn, trace);
  if (has_filter != nullptr) *has_filter = s.ok() && table->has_filter();
  return s;
}

void TableCache::Evict(uint64_t number) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = index_.find(number);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

size_t TableCache::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return lru_.size();
}

}  // namespace lsm
