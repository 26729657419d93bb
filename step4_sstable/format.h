// The fixed pieces of a LevelDB table file: block handles, the footer, the block trailer, and
// ReadBlock, which fetches one block and (unless told not to) checks its checksum.
//
// A table file (LevelDB 1.23 `.ldb`), front to back:
//
//   +--------------+-----+--------------+--------------+----------------+-------------+---------+
//   | data block 0 | ... | data block N | filter block | metaindex blk  | index block | footer  |
//   +--------------+-----+--------------+--------------+----------------+-------------+---------+
//   every block is followed by its 5-byte trailer; the filter block is optional
//
// Block trailer (5 bytes, after the block's bytes; a handle's size does NOT include it):
//   +------------------+---------------------------------------------------+
//   | type: 1 byte     | masked crc32c(block bytes ++ type byte): fixed32  |
//   +------------------+---------------------------------------------------+
//   type 0 = stored raw, 1 = snappy-compressed
//
// BlockHandle (2..20 bytes): varint64 offset, varint64 size.
//
// Footer (always kFooterSize = 48 bytes, at the very end of the file):
//   +--------------------+-----------------+---------------------+----------------------------+
//   | metaindex handle   | index handle    | zero padding        | magic 0xdb4775248b80fb57   |
//   | (varints)          | (varints)       | up to byte 40       | fixed64, little-endian     |
//   +--------------------+-----------------+---------------------+----------------------------+
//
// Thread-safety: BlockHandle/Footer are plain values (copyable); ReadBlock is thread-safe
// because RandomAccessFile::Read is.
// Checksums: the caller of ReadBlock chooses whether it verifies (verify_checksum), as LevelDB
// does per read; the table reader always verifies its index and filter blocks and verifies data
// blocks when TableReadOptions::verify_checksums asks.
// Simplifications: only LevelDB 1.23's two block encodings, raw and snappy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/file.h"
#include "common/status.h"

namespace lsm {

inline constexpr uint64_t kTableMagicNumber = 0xdb4775248b80fb57ull;
inline constexpr size_t kBlockTrailerSize = 1 + 4;  // type + masked crc32c

enum class CompressionType : uint8_t {
  kNone = 0x0,
  kSnappy = 0x1,
};

// Where a block lives in the file: its offset and its size without the trailer.
class BlockHandle {
 public:
  static constexpr size_t kMaxEncodedLength = 10 + 10;

  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  void set_offset(uint64_t offset) { offset_ = offset; }
  void set_size(uint64_t size) { size_ = size; }

  // Appends varint64(offset) ++ varint64(size).
  void EncodeTo(std::string* dst) const;
  // Consumes a handle from the front of *input; Corruption if the varints are bad.
  Status DecodeFrom(std::string_view* input);

 private:
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
};

// The last 48 bytes of every table: where the metaindex and index blocks are.
class Footer {
 public:
  static constexpr size_t kEncodedLength = 2 * BlockHandle::kMaxEncodedLength + 8;  // 48

  const BlockHandle& metaindex_handle() const { return metaindex_handle_; }
  const BlockHandle& index_handle() const { return index_handle_; }
  void set_metaindex_handle(const BlockHandle& h) { metaindex_handle_ = h; }
  void set_index_handle(const BlockHandle& h) { index_handle_ = h; }

  // Appends exactly kEncodedLength bytes.
  void EncodeTo(std::string* dst) const;
  // Parses a footer. REQUIRES: input.size() >= kEncodedLength (the last 48 bytes are used).
  // Corruption when the magic number or a handle is wrong.
  Status DecodeFrom(std::string_view input);

 private:
  BlockHandle metaindex_handle_;
  BlockHandle index_handle_;
};

// A block's bytes (uncompressed, without the trailer) as ReadBlock found them: either owned
// (read into memory) or borrowed from a memory-mapped file, with nothing copied.
// Lifetimes: borrowed bytes are valid only while the mapped file stays open.
struct BlockContents {
  std::string owned;          // the bytes, unless is_borrowed
  std::string_view borrowed;  // the bytes, if is_borrowed
  bool is_borrowed = false;

  std::string_view data() const { return is_borrowed ? borrowed : std::string_view(owned); }
};

// Reads the block `handle` names from `file` into *result. Errors (Corruption, IOError,
// NotSupported) name the file and the offset.
//   verify_checksum  compare the trailer's CRC32C with the bytes (LevelDB's
//                    ReadOptions::verify_checksums); without it damaged bytes go unnoticed
//                    unless the block no longer parses
//   mapped           the whole file in memory (MmapFile::contents()), or empty to read with
//                    file.Read(); an uncompressed block of a mapped file is borrowed from it
//   compression      (optional) receives the block's stored compression type
Status ReadBlock(const RandomAccessFile& file, std::string_view mapped, const BlockHandle& handle,
                 bool verify_checksum, BlockContents* result,
                 CompressionType* compression = nullptr);

// The simple form: always checks the checksum and copies the block into *contents.
Status ReadBlock(const RandomAccessFile& file, const BlockHandle& handle, std::string* contents,
                 CompressionType* compression = nullptr);

// Compresses `raw` with snappy into *out. Returns false when snappy is not compiled in.
bool SnappyCompress(std::string_view raw, std::string* out);
// Returns whether this build can read and write snappy blocks.
bool SnappySupported();

}  // namespace lsm
