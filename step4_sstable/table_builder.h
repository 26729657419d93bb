// TableBuilder: streams sorted key/value pairs into a table file in LevelDB's format.
//
// Layout it writes (see step4_sstable/format.h for the footer and trailers):
//   data blocks (each ~block_size, prefix-compressed, optionally snappy) | filter block |
//   metaindex block {"filter.<policy name>" -> filter handle} |
//   index block {separator key -> data block handle, one entry per data block} | footer
// An index key separates two data blocks: >= every key of its block, < every key of the next.
// It is shortened with the comparator (FindShortestSeparator), so "the quick brown fox" /
// "the who" becomes "the r"; the index entry for a block is written only when the next block's
// first key is known.
//
// Example:
//   std::unique_ptr<WritableFile> file;
//   Status s = FileSystem::Default()->NewWritableFile("000005.ldb", &file);
//   TableBuilder builder(TableOptions{}, file.get());
//   builder.Add("a", "1");
//   builder.Add("b", "2");                    // keys strictly increasing
//   if (s.ok()) s = builder.Finish();
//   if (s.ok()) s = file->Sync();
//   if (s.ok()) s = file->Close();
//
// Preconditions: keys must be added in sorted order (options.comparator), each strictly greater
// than the previous; after Finish() or Abandon() no more calls except the accessors. The
// builder must be finished or abandoned before it is destroyed.
// Lifetimes: `file` and everything `options` points to must outlive the builder. The builder
// does not sync or close the file: the caller does.
// Thread-safety: none (one writer). Not copyable.
// Simplifications: none in the format (LevelDB reads our tables and we read its).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/file.h"
#include "common/status.h"
#include "step4_sstable/block_builder.h"
#include "step4_sstable/filter_block.h"
#include "step4_sstable/format.h"
#include "step4_sstable/table_options.h"

namespace lsm {

class TableBuilder {
 public:
  TableBuilder(const TableOptions& options, WritableFile* file);
  ~TableBuilder();
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  // Adds one entry. REQUIRES: key > the previous key; not finished or abandoned.
  // A write error is remembered: see status().
  void Add(std::string_view key, std::string_view value);

  // Writes the rest of the table (last data block, filter, metaindex, index, footer).
  // REQUIRES: not finished or abandoned.
  Status Finish();

  // Gives up on the table; the caller deletes the file. REQUIRES: not finished or abandoned.
  void Abandon();

  // The first error met so far (OK if none).
  Status status() const { return status_; }
  // Entries added so far.
  uint64_t NumEntries() const { return num_entries_; }
  // Bytes written so far (the whole file size after a successful Finish()).
  uint64_t FileSize() const { return offset_; }
  // Data blocks written so far.
  uint64_t NumDataBlocks() const { return num_data_blocks_; }

 private:
  // Cuts the current data block and writes it.
  void Flush();
  // Finishes `block`, compresses it if allowed and worthwhile, and writes it with its trailer.
  void WriteBlock(BlockBuilder* block, BlockHandle* handle);
  void WriteRawBlock(std::string_view contents, CompressionType type, BlockHandle* handle);

  const TableOptions options_;
  WritableFile* const file_;

  uint64_t offset_ = 0;  // where the next block goes
  Status status_;
  BlockBuilder data_block_;
  BlockBuilder index_block_;  // restart interval 1: every index key is whole
  std::unique_ptr<FilterBlockBuilder> filter_block_;
  std::string last_key_;
  uint64_t num_entries_ = 0;
  uint64_t num_data_blocks_ = 0;
  bool closed_ = false;  // Finish() or Abandon() called

  // The index entry of a data block is added when the next key arrives (to pick a short
  // separator), or at Finish(). Invariant: pending_index_entry_ implies data_block_.empty().
  bool pending_index_entry_ = false;
  BlockHandle pending_handle_;
  std::string compressed_;  // scratch for snappy output
};

}  // namespace lsm
