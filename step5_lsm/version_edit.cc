#include "step5_lsm/version_edit.h"

#include <cassert>

#include <fmt/format.h>

#include "common/coding.h"

namespace lsm {
namespace {

void PutTag(std::string* dst, EditTag tag) { PutVarint32(dst, static_cast<uint32_t>(tag)); }

bool GetLevel(std::string_view* input, int* level) {
  uint32_t v;
  if (!GetVarint32(input, &v) || v >= static_cast<uint32_t>(kNumLevels)) return false;
  *level = static_cast<int>(v);
  return true;
}

bool GetInternalKey(std::string_view* input, InternalKey* key) {
  std::string_view bytes;
  return GetLengthPrefixed(input, &bytes) && key->DecodeFrom(bytes);
}

}  // namespace

void VersionEdit::AddFile(int level, uint64_t number, uint64_t file_size,
                          const InternalKey& smallest, const InternalKey& largest) {
  // REQUIRES: a valid level.
  assert(level >= 0 && level < kNumLevels);
  FileMetaData f;
  f.number = number;
  f.file_size = file_size;
  f.smallest = smallest;
  f.largest = largest;
  new_files_.emplace_back(level, std::move(f));
}

void VersionEdit::EncodeTo(std::string* dst) const {
  if (comparator_) {
    PutTag(dst, EditTag::kComparator);
    PutLengthPrefixed(dst, *comparator_);
  }
  if (log_number_) {
    PutTag(dst, EditTag::kLogNumber);
    PutVarint64(dst, *log_number_);
  }
  if (prev_log_number_) {
    PutTag(dst, EditTag::kPrevLogNumber);
    PutVarint64(dst, *prev_log_number_);
  }
  if (next_file_number_) {
    PutTag(dst, EditTag::kNextFileNumber);
    PutVarint64(dst, *next_file_number_);
  }
  if (last_sequence_) {
    PutTag(dst, EditTag::kLastSequence);
    PutVarint64(dst, *last_sequence_);
  }
  for (const auto& [level, key] : compact_pointers_) {
    PutTag(dst, EditTag::kCompactPointer);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutLengthPrefixed(dst, key.Encode());
  }
  for (const auto& [level, number] : deleted_files_) {
    PutTag(dst, EditTag::kDeletedFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, number);
  }
  for (const auto& [level, f] : new_files_) {
    PutTag(dst, EditTag::kNewFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, f.number);
    PutVarint64(dst, f.file_size);
    PutLengthPrefixed(dst, f.smallest.Encode());
    PutLengthPrefixed(dst, f.largest.Encode());
  }
}

Status VersionEdit::DecodeFrom(std::string_view src) {
  Clear();
  std::string_view input = src;
  const char* bad = nullptr;
  uint32_t tag;
  while (bad == nullptr && !input.empty()) {
    const size_t field_offset = src.size() - input.size();
    if (!GetVarint32(&input, &tag)) {
      return Status::Corruption("VersionEdit: bad tag at offset {}", field_offset);
    }
    int level;
    uint64_t number;
    std::string_view bytes;
    switch (static_cast<EditTag>(tag)) {
      case EditTag::kComparator:
        if (GetLengthPrefixed(&input, &bytes)) {
          comparator_ = std::string(bytes);
        } else {
          bad = "comparator name";
        }
        break;
      case EditTag::kLogNumber:
        if (GetVarint64(&input, &number)) {
          log_number_ = number;
        } else {
          bad = "log number";
        }
        break;
      case EditTag::kPrevLogNumber:
        if (GetVarint64(&input, &number)) {
          prev_log_number_ = number;
        } else {
          bad = "previous log number";
        }
        break;
      case EditTag::kNextFileNumber:
        if (GetVarint64(&input, &number)) {
          next_file_number_ = number;
        } else {
          bad = "next file number";
        }
        break;
      case EditTag::kLastSequence:
        if (GetVarint64(&input, &number)) {
          last_sequence_ = number;
        } else {
          bad = "last sequence number";
        }
        break;
      case EditTag::kCompactPointer: {
        InternalKey key;
        if (GetLevel(&input, &level) && GetInternalKey(&input, &key)) {
          compact_pointers_.emplace_back(level, std::move(key));
        } else {
          bad = "compaction pointer";
        }
        break;
      }
      case EditTag::kDeletedFile:
        if (GetLevel(&input, &level) && GetVarint64(&input, &number)) {
          deleted_files_.emplace(level, number);
        } else {
          bad = "deleted file";
        }
        break;
      case EditTag::kNewFile: {
        FileMetaData f;
        if (GetLevel(&input, &level) && GetVarint64(&input, &f.number) &&
            GetVarint64(&input, &f.file_size) && GetInternalKey(&input, &f.smallest) &&
            GetInternalKey(&input, &f.largest)) {
          new_files_.emplace_back(level, std::move(f));
        } else {
          bad = "new-file entry";
        }
        break;
      }
      default:
        return Status::Corruption("VersionEdit: unknown tag {} at offset {}", tag, field_offset);
    }
    if (bad != nullptr) {
      return Status::Corruption("VersionEdit: bad {} at offset {}", bad, field_offset);
    }
  }
  return Status::OK();
}

std::string VersionEdit::DebugString() const {
  std::string r = "VersionEdit {";
  if (comparator_) r += fmt::format("\n  Comparator: {}", *comparator_);
  if (log_number_) r += fmt::format("\n  LogNumber: {}", *log_number_);
  if (prev_log_number_) r += fmt::format("\n  PrevLogNumber: {}", *prev_log_number_);
  if (next_file_number_) r += fmt::format("\n  NextFile: {}", *next_file_number_);
  if (last_sequence_) r += fmt::format("\n  LastSeq: {}", *last_sequence_);
  for (const auto& [level, key] : compact_pointers_) {
    r += fmt::format("\n  CompactPointer: {} {}", level, key.DebugString());
  }
  for (const auto& [level, number] : deleted_files_) {
    r += fmt::format("\n  RemoveFile: {} {}", level, number);
  }
  for (const auto& [level, f] : new_files_) {
    r += fmt::format("\n  AddFile: {} {} {} {} .. {}", level, f.number, f.file_size,
                     f.smallest.DebugString(), f.largest.DebugString());
  }
  r += "\n}\n";
  return r;
}

}  // namespace lsm
