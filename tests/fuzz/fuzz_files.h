// In-memory files for the fuzz targets: the fuzzer's input bytes served as a SequentialFile
// (for the log reader) or a RandomAccessFile (for the table reader), so each execution costs
// no system call.
//
// Thread-safety: StringRandomAccessFile::Read is thread-safe (the bytes are immutable);
// StringSequentialFile is for one thread. Lifetimes: both copy the bytes they are given.
// Simplifications: never fail with IOError — the fuzz targets exercise decoding, not I/O.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "common/file.h"

namespace lsm::fuzz {

class StringSequentialFile final : public SequentialFile {
 public:
  explicit StringSequentialFile(std::string_view data) : data_(data), path_("fuzz-input.log") {}
  Status Read(size_t n, char* scratch, std::string_view* result) override {
    n = std::min(n, data_.size() - pos_);
    std::memcpy(scratch, data_.data() + pos_, n);
    pos_ += n;
    *result = std::string_view(scratch, n);
    return Status::OK();
  }
  Status Skip(uint64_t n) override {
    pos_ = static_cast<size_t>(std::min<uint64_t>(data_.size(), pos_ + n));
    return Status::OK();
  }
  const std::filesystem::path& path() const override { return path_; }

 private:
  const std::string data_;
  size_t pos_ = 0;
  const std::filesystem::path path_;
};

class StringRandomAccessFile final : public RandomAccessFile {
 public:
  explicit StringRandomAccessFile(std::string_view data) : data_(data), path_("fuzz-input.ldb") {}
  Status Read(uint64_t offset, size_t n, char* scratch, std::string_view* result) const override {
    if (offset > data_.size()) {
      *result = {};
      return Status::IOError("{}: read at offset {} past the end", path_.string(), offset);
    }
    n = std::min<size_t>(n, data_.size() - offset);
    std::memcpy(scratch, data_.data() + offset, n);
    *result = std::string_view(scratch, n);
    return Status::OK();
  }
  const std::filesystem::path& path() const override { return path_; }
  uint64_t size() const { return data_.size(); }

 private:
  const std::string data_;
  const std::filesystem::path path_;
};

}  // namespace lsm::fuzz
