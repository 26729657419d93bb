#include "step4_sstable/format.h"

#include <cassert>

#include "common/coding.h"
#include "common/crc32c.h"

#ifdef LSM_HAVE_SNAPPY
#include <snappy.h>
#endif

namespace lsm {

void BlockHandle::EncodeTo(std::string* dst) const {
  PutVarint64(dst, offset_);
  PutVarint64(dst, size_);
}

Status BlockHandle::DecodeFrom(std::string_view* input) {
  if (GetVarint64(input, &offset_) && GetVarint64(input, &size_)) return Status::OK();
  return Status::Corruption("bad block handle");
}

void Footer::EncodeTo(std::string* dst) const {
  const size_t start = dst->size();
  metaindex_handle_.EncodeTo(dst);
  index_handle_.EncodeTo(dst);
  dst->resize(start + 2 * BlockHandle::kMaxEncodedLength, '\0');  // padding
  PutFixed64(dst, kTableMagicNumber);
}

Status Footer::DecodeFrom(std::string_view input) {
  assert(input.size() >= kEncodedLength);
  input = input.substr(input.size() - kEncodedLength);
  const uint64_t magic = DecodeFixed64(input.data() + kEncodedLength - 8);
  if (magic != kTableMagicNumber) {
    return Status::Corruption("not an sstable (bad magic number {:#018x})", magic);
  }
  Status s = metaindex_handle_.DecodeFrom(&input);
  if (s.ok()) s = index_handle_.DecodeFrom(&input);
  return s;
}

bool SnappySupported() {
#ifdef LSM_HAVE_SNAPPY
  return true;
#else
  return false;
#endif
}

bool SnappyCompress(std::string_view raw, std::string* out) {
#ifdef LSM_HAVE_SNAPPY
  out->resize(snappy::MaxCompressedLength(raw.size()));
  size_t n = 0;
  snappy::RawCompress(raw.data(), raw.size(), out->data(), &n);
  out->resize(n);
  return true;
#else
  (void)raw;
  (void)out;
  return false;
#endif
}

Status ReadBlock(const RandomAccessFile& file, std::string_view mapped, const BlockHandle& handle,
                 bool verify_checksum, BlockContents* result, CompressionType* compression) {
  const uint64_t n = handle.size();
  if (n > (uint64_t{1} << 32)) {
    return Status::Corruption("{}: block at offset {} claims an impossible size {}",
                              file.path().string(), handle.offset(), n);
  }
  const uint64_t wanted = n + kBlockTrailerSize;
  // The raw bytes: a view of the map, or read into a buffer (which becomes the result).
  std::string buf;
  std::string_view got;
  if (!mapped.empty()) {
    if (handle.offset() <= mapped.size()) {
      got = mapped.substr(handle.offset(), wanted);
    }
  } else {
    buf.resize(wanted);
    Status s = file.Read(handle.offset(), buf.size(), buf.data(), &got);
    if (!s.ok()) return s;
  }
  if (got.size() != wanted) {
    return Status::Corruption("{}: truncated block read at offset {} ({} of {} bytes)",
                              file.path().string(), handle.offset(), got.size(), wanted);
  }
  const char* data = got.data();
  if (verify_checksum) {
    const uint32_t stored = crc32c::Unmask(DecodeFixed32(data + n + 1));
    const uint32_t actual = crc32c::Value(data, n + 1);  // block bytes ++ type byte
    if (stored != actual) {
      return Status::Corruption("{}: block checksum mismatch at offset {}", file.path().string(),
                                handle.offset());
    }
  }
  const auto type = static_cast<uint8_t>(data[n]);
  if (type == static_cast<uint8_t>(CompressionType::kNone)) {
    if (compression != nullptr) *compression = CompressionType::kNone;
    if (!mapped.empty()) {
      // The bytes are in the map already: use them in place, as LevelDB does.
      result->owned.clear();
      result->borrowed = std::string_view(data, n);
      result->is_borrowed = true;
    } else if (data != buf.data()) {
      // The file answered with its own memory, with no promise how long it lives: copy.
      result->owned.assign(data, n);
      result->is_borrowed = false;
    } else {
      buf.resize(n);
      result->owned = std::move(buf);
      result->is_borrowed = false;
    }
    return Status::OK();
  }
  if (type == static_cast<uint8_t>(CompressionType::kSnappy)) {
    if (compression != nullptr) *compression = CompressionType::kSnappy;
#ifdef LSM_HAVE_SNAPPY
    size_t ulength = 0;
    if (!snappy::GetUncompressedLength(data, n, &ulength) || ulength > (size_t{1} << 32)) {
      return Status::Corruption("{}: bad snappy length in block at offset {}",
                                file.path().string(), handle.offset());
    }
    std::string out(ulength, '\0');
    if (!snappy::RawUncompress(data, n, out.data())) {
      return Status::Corruption("{}: bad snappy data in block at offset {}", file.path().string(),
                                handle.offset());
    }
    result->owned = std::move(out);
    result->is_borrowed = false;
    return Status::OK();
#else
    return Status::NotSupported("{}: block at offset {} is snappy-compressed; built without snappy",
                                file.path().string(), handle.offset());
#endif
  }
  return Status::Corruption("{}: bad block compression type {} at offset {}",
                            file.path().string(), type, handle.offset());
}

Status ReadBlock(const RandomAccessFile& file, const BlockHandle& handle, std::string* contents,
                 CompressionType* compression) {
  BlockContents block;
  Status s = ReadBlock(file, /*mapped=*/{}, handle, /*verify_checksum=*/true, &block, compression);
  if (!s.ok()) return s;
  if (block.is_borrowed) {
    contents->assign(block.borrowed);
  } else {
    *contents = std::move(block.owned);
  }
  return Status::OK();
}

}  // namespace lsm
