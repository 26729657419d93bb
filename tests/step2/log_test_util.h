// In-memory files for the log tests: a WritableFile that appends to a std::string and a
// SequentialFile that reads one, so a test can write a log, damage its bytes, and read it back
// without touching the disk. Both implement common/file.h's interfaces.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/file.h"
#include "step2_wal/log_reporter.h"
#include "step2_wal/wal_reader.h"

namespace lsm::testutil {

// Appends land in contents; Sync counts calls.
class StringDest final : public WritableFile {
 public:
  Status Append(std::string_view data) override {
    contents.append(data);
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override {
    ++syncs;
    return Status::OK();
  }
  Status Close() override { return Status::OK(); }
  const std::filesystem::path& path() const override { return path_; }

  std::string contents;
  int syncs = 0;

 private:
  std::filesystem::path path_ = "mem.log";
};

// Reads from a copy of the bytes given.
class StringSource final : public SequentialFile {
 public:
  explicit StringSource(std::string contents) : contents_(std::move(contents)) {}
  Status Read(size_t n, char* scratch, std::string_view* result) override {
    n = std::min(n, contents_.size() - pos_);
    std::copy_n(contents_.data() + pos_, n, scratch);
    *result = std::string_view(scratch, n);
    pos_ += n;
    return Status::OK();
  }
  Status Skip(uint64_t n) override {
    pos_ = std::min<size_t>(contents_.size(), pos_ + n);
    return Status::OK();
  }
  const std::filesystem::path& path() const override { return path_; }

 private:
  std::string contents_;
  size_t pos_ = 0;
  std::filesystem::path path_ = "mem.log";
};

// Everything a reader returns from `bytes`, plus what it reported.
struct ReadResult {
  std::vector<std::string> records;
  std::vector<uint64_t> offsets;
  size_t dropped = 0;
  uint64_t torn_tail = 0;
  std::vector<std::string> messages;
};

inline ReadResult ReadAll(const std::string& bytes, uint64_t initial_offset = 0) {
  StringSource src(bytes);
  LogReporter reporter;
  WalReader reader(&src, &reporter, /*checksum=*/true, initial_offset);
  ReadResult out;
  std::string scratch;
  std::string_view record;
  while (reader.ReadRecord(&record, &scratch)) {
    out.records.emplace_back(record);
    out.offsets.push_back(reader.LastRecordOffset());
  }
  out.dropped = reporter.dropped_bytes();
  out.torn_tail = reader.torn_tail_bytes();
  for (const auto& d : reporter.damages()) out.messages.push_back(d.status.ToString());
  return out;
}

}  // namespace lsm::testutil
