#include "step4_sstable/table_builder.h"

#include <cassert>

#include "common/coding.h"
#include "common/crc32c.h"

namespace lsm {

TableBuilder::TableBuilder(const TableOptions& options, WritableFile* file)
    : options_(options),
      file_(file),
      data_block_(options.block_restart_interval, options.comparator),
      index_block_(1, options.comparator) {
  if (options_.filter_policy != nullptr) {
    filter_block_ = std::make_unique<FilterBlockBuilder>(options_.filter_policy);
    filter_block_->StartBlock(0);
  }
}

TableBuilder::~TableBuilder() { assert(closed_ && "call Finish() or Abandon()"); }

void TableBuilder::Add(std::string_view key, std::string_view value) {
  assert(!closed_);
  if (!status_.ok()) return;
  assert(num_entries_ == 0 || options_.comparator->Compare(key, last_key_) > 0);

  if (pending_index_entry_) {
    // The previous block is written; now that we know the next key, index it.
    assert(data_block_.empty());
    options_.comparator->FindShortestSeparator(&last_key_, key);
    std::string handle_encoding;
    pending_handle_.EncodeTo(&handle_encoding);
    index_block_.Add(last_key_, handle_encoding);
    pending_index_entry_ = false;
  }
  if (filter_block_ != nullptr) filter_block_->AddKey(key);

  last_key_.assign(key);
  ++num_entries_;
  data_block_.Add(key, value);
  if (data_block_.CurrentSizeEstimate() >= options_.block_size) Flush();
}

void TableBuilder::Flush() {
  assert(!closed_);
  if (!status_.ok() || data_block_.empty()) return;
  assert(!pending_index_entry_);
  WriteBlock(&data_block_, &pending_handle_);
  if (status_.ok()) {
    pending_index_entry_ = true;
    ++num_data_blocks_;
    status_ = file_->Flush();
  }
  if (filter_block_ != nullptr) filter_block_->StartBlock(offset_);
}

void TableBuilder::WriteBlock(BlockBuilder* block, BlockHandle* handle) {
  const std::string_view raw = block->Finish();
  std::string_view contents = raw;
  CompressionType type = CompressionType::kNone;
  if (options_.compression == CompressionType::kSnappy && SnappyCompress(raw, &compressed_) &&
      compressed_.size() < raw.size() - raw.size() / 8) {
    contents = compressed_;  // keep it only if it saves at least 12.5%
    type = CompressionType::kSnappy;
  }
  WriteRawBlock(contents, type, handle);
  compressed_.clear();
  block->Reset();
}

void TableBuilder::WriteRawBlock(std::string_view contents, CompressionType type,
                                 BlockHandle* handle) {
  handle->set_offset(offset_);
  handle->set_size(contents.size());
  char trailer[kBlockTrailerSize];
  trailer[0] = static_cast<char>(type);
  uint32_t crc = crc32c::Value(contents);
  crc = crc32c::Extend(crc, trailer, 1);  // the checksum covers the type byte too
  EncodeFixed32(trailer + 1, crc32c::Mask(crc));
  status_ = file_->Append(contents);
  if (status_.ok()) status_ = file_->Append(std::string_view(trailer, kBlockTrailerSize));
  if (status_.ok()) offset_ += contents.size() + kBlockTrailerSize;
}

Status TableBuilder::Finish() {
  Flush();
  assert(!closed_);
  closed_ = true;

  BlockHandle filter_handle, metaindex_handle, index_handle;
  if (status_.ok() && filter_block_ != nullptr) {
    WriteRawBlock(filter_block_->Finish(), CompressionType::kNone, &filter_handle);
  }
  if (status_.ok()) {
    BlockBuilder metaindex(options_.block_restart_interval);
    if (filter_block_ != nullptr) {
      std::string handle_encoding;
      filter_handle.EncodeTo(&handle_encoding);
      metaindex.Add(std::string("filter.") + options_.filter_policy->Name(), handle_encoding);
    }
    WriteBlock(&metaindex, &metaindex_handle);
  }
  if (status_.ok()) {
    if (pending_index_entry_) {
      options_.comparator->FindShortSuccessor(&last_key_);
      std::string handle_encoding;
      pending_handle_.EncodeTo(&handle_encoding);
      index_block_.Add(last_key_, handle_encoding);
      pending_index_entry_ = false;
    }
    WriteBlock(&index_block_, &index_handle);
  }
  if (status_.ok()) {
    Footer footer;
    footer.set_metaindex_handle(metaindex_handle);
    footer.set_index_handle(index_handle);
    std::string encoding;
    footer.EncodeTo(&encoding);
    status_ = file_->Append(encoding);
    if (status_.ok()) offset_ += encoding.size();
  }
  return status_;
}

void TableBuilder::Abandon() {
  assert(!closed_);
  closed_ = true;
}

}  // namespace lsm
