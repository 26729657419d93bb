#include "step4_sstable/table_reader.h"

#include <cassert>

#include "common/coding.h"
#include "common/mmap_file.h"
#include "step4_sstable/two_level_iterator.h"

namespace lsm {

TableReader::TableReader(const TableOptions& options, const RandomAccessFile* file)
    : options_(options), file_(file) {}

TableReader::~TableReader() = default;

Status TableReader::Open(const TableOptions& options, std::unique_ptr<RandomAccessFile> file,
                         uint64_t file_size, std::unique_ptr<TableReader>* table) {
  const RandomAccessFile* raw = file.get();
  std::unique_ptr<TableReader> t(new TableReader(options, raw));
  t->owned_file_ = std::move(file);
  Status s = t->Init(file_size);
  if (s.ok()) *table = std::move(t);
  return s;
}

Status TableReader::Open(const TableOptions& options, const RandomAccessFile* file,
                         uint64_t file_size, std::unique_ptr<TableReader>* table) {
  std::unique_ptr<TableReader> t(new TableReader(options, file));
  Status s = t->Init(file_size);
  if (s.ok()) *table = std::move(t);
  return s;
}

Status TableReader::Init(uint64_t file_size) {
  const std::string name = file_->path().string();
  if (const auto* m = dynamic_cast<const MmapFile*>(file_); m != nullptr) {
    mapped_ = m->contents().substr(0, file_size);
    verified_ = std::make_unique<std::atomic<uint8_t>[]>(mapped_.size() / 64 + 1);  // zeroed
  }
  if (file_size < Footer::kEncodedLength) {
    return Status::Corruption("{}: file is too short ({} bytes) to be an sstable", name,
                              file_size);
  }
  char footer_space[Footer::kEncodedLength];
  std::string_view footer_input;
  const uint64_t footer_offset = file_size - Footer::kEncodedLength;
  Status s = file_->Read(footer_offset, Footer::kEncodedLength, footer_space, &footer_input);
  if (!s.ok()) return s;
  if (footer_input.size() != Footer::kEncodedLength) {
    return Status::Corruption("{}: short read of the footer at offset {}", name, footer_offset);
  }
  s = footer_.DecodeFrom(footer_input);
  if (!s.ok()) return s.WithContext(fmt::format("{}: footer at offset {}", name, footer_offset));

  const BlockHandle& index = footer_.index_handle();
  if (index.offset() > footer_offset || index.size() > footer_offset - index.offset()) {
    return Status::Corruption("{}: index block handle [{}, +{}) runs past the footer", name,
                              index.offset(), index.size());
  }
  std::string index_contents;
  s = ReadBlock(*file_, index, &index_contents);
  if (!s.ok()) return s;
  index_block_ = std::make_unique<Block>(std::move(index_contents));
  if (index_block_->malformed()) {
    return Status::Corruption("{}: index block at offset {} is malformed", name, index.offset());
  }
  if (options_.block_cache != nullptr) cache_id_ = options_.block_cache->NewId();

  // The filter is optional: if the metaindex or filter is unreadable, we just do without it
  // (a lost skip, never a wrong answer), as LevelDB does.
  if (options_.filter_policy != nullptr) {
    std::string meta_contents;
    if (ReadBlock(*file_, footer_.metaindex_handle(), &meta_contents).ok()) {
      Block meta(std::move(meta_contents));
      auto it = meta.NewIterator(BytewiseComparator());
      const std::string key = std::string("filter.") + options_.filter_policy->Name();
      it->Seek(key);
      if (it->Valid() && it->key() == key) ReadFilter(it->value());
    }
  }
  return Status::OK();
}

void TableReader::ReadFilter(std::string_view filter_handle_value) {
  BlockHandle handle;
  if (!handle.DecodeFrom(&filter_handle_value).ok()) return;
  if (!ReadBlock(*file_, handle, &filter_data_).ok()) return;
  filter_ = std::make_unique<FilterBlockReader>(options_.filter_policy, filter_data_);
}

std::unique_ptr<Iterator> TableReader::BlockIterator(const TableReadOptions& read_options,
                                                     std::string_view index_value,
                                                     GetTrace* trace) const {
  BlockHandle handle;
  std::string_view input = index_value;
  if (Status s = handle.DecodeFrom(&input); !s.ok()) {
    return NewEmptyIterator(s.WithContext(file_->path().string() + ": index entry"));
  }
  if (trace != nullptr) {
    trace->block_touched = true;
    trace->block_offset = handle.offset();
  }
  if (!mapped_.empty()) {
    // A mapped table: the block is already in memory, so borrow it (no cache, no copy), and
    // checksum it only the first time.
    const bool in_map = handle.offset() < mapped_.size();
    const bool verify = read_options.verify_checksums && !(in_map && IsVerified(handle.offset()));
    BlockContents contents;
    if (Status s = ReadBlock(*file_, mapped_, handle, verify, &contents); !s.ok()) {
      return NewEmptyIterator(s);
    }
    if (verify && in_map) MarkVerified(handle.offset());
    blocks_read_.fetch_add(1, std::memory_order_relaxed);
    return Block::NewOwningIterator(std::make_unique<Block>(std::move(contents)),
                                    options_.comparator);
  }
  BlockCache* cache = options_.block_cache;
  std::string cache_key;
  if (cache != nullptr) {
    cache_key.reserve(16);
    PutFixed64(&cache_key, cache_id_);
    PutFixed64(&cache_key, handle.offset());
    if (BlockCache::Handle* h = cache->Lookup(cache_key); h != nullptr) {
      cache_hits_.fetch_add(1, std::memory_order_relaxed);
      if (trace != nullptr) trace->cache_hit = true;
      auto it = cache->Value(h)->NewIterator(options_.comparator);
      it->RegisterCleanup([cache, h] { cache->Release(h); });
      return it;
    }
  }
  BlockContents contents;
  if (Status s = ReadBlock(*file_, /*mapped=*/{}, handle, read_options.verify_checksums,
                           &contents);
      !s.ok()) {
    return NewEmptyIterator(s);
  }
  blocks_read_.fetch_add(1, std::memory_order_relaxed);
  auto block = std::make_unique<Block>(std::move(contents));
  if (cache != nullptr && read_options.fill_cache) {
    const size_t charge = block->size();
    BlockCache::Handle* h = cache->Insert(cache_key, std::move(block), charge);
    auto it = cache->Value(h)->NewIterator(options_.comparator);
    it->RegisterCleanup([cache, h] { cache->Release(h); });
    return it;
  }
  return Block::NewOwningIterator(std::move(block), options_.comparator);
}

Status TableReader::Get(const TableReadOptions& read_options, std::string_view key,
                        const GetCallback& fn, GetTrace* trace) const {
  auto index_iter = index_block_->NewIterator(options_.comparator);
  index_iter->Seek(key);
  Status s;
  if (index_iter->Valid()) {
    std::string_view handle_value = index_iter->value();
    BlockHandle handle;
    if (filter_ != nullptr && handle.DecodeFrom(&handle_value).ok() &&
        !filter_->KeyMayMatch(handle.offset(), key)) {
      filter_skips_.fetch_add(1, std::memory_order_relaxed);
      if (trace != nullptr) trace->filter_skipped = true;
      return Status::OK();  // certainly not here
    }
    auto block_iter = BlockIterator(read_options, index_iter->value(), trace);
    block_iter->Seek(key);
    if (block_iter->Valid()) fn(block_iter->key(), block_iter->value());
    s = block_iter->status();
  }
  if (s.ok()) s = index_iter->status();
  return s;
}

Status TableReader::Get(std::string_view key, std::string* value, GetTrace* trace) const {
  bool found = false;
  Status s = Get(TableReadOptions{}, key, [&](std::string_view k, std::string_view v) {
    if (options_.comparator->Compare(k, key) == 0) {
      value->assign(v);
      found = true;
    }
  }, trace);
  if (!s.ok()) return s;
  return found ? Status::OK() : Status::NotFound();
}

std::unique_ptr<Iterator> TableReader::NewIndexIterator() const {
  return index_block_->NewIterator(options_.comparator);
}

std::unique_ptr<Iterator> TableReader::NewIterator(const TableReadOptions& read_options) const {
  return NewTwoLevelIterator(NewIndexIterator(), [this, read_options](std::string_view v) {
    if (read_options.data_blocks_read != nullptr) {
      read_options.data_blocks_read->fetch_add(1, std::memory_order_relaxed);
    }
    return BlockIterator(read_options, v);
  });
}

uint64_t TableReader::ApproximateOffsetOf(std::string_view key) const {
  auto index_iter = NewIndexIterator();
  index_iter->Seek(key);
  if (index_iter->Valid()) {
    BlockHandle handle;
    std::string_view input = index_iter->value();
    if (handle.DecodeFrom(&input).ok()) return handle.offset();
  }
  // Past the last key (or a bad index entry): the data ends where the metaindex begins.
  return footer_.metaindex_handle().offset();
}

}  // namespace lsm
