// In-memory files and a table-building helper for the step 4 tests: tables are built into a
// std::string and read back from it, so corruption sweeps (flip every byte, truncate at every
// length) run without touching the disk.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/file.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_reader.h"

namespace lsm::testutil {

// A WritableFile appending to a string the test owns.
class StringSink final : public WritableFile {
 public:
  explicit StringSink(std::string* dest) : dest_(dest) {}
  Status Append(std::string_view data) override {
    dest_->append(data);
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  const std::filesystem::path& path() const override { return path_; }

 private:
  std::string* dest_;
  std::filesystem::path path_ = "mem.ldb";
};

// A RandomAccessFile over a string (copied in).
class StringSource final : public RandomAccessFile {
 public:
  explicit StringSource(std::string contents) : contents_(std::move(contents)) {}
  Status Read(uint64_t offset, size_t n, char* scratch,
              std::string_view* result) const override {
    if (offset > contents_.size()) {
      return Status::IOError("mem.ldb: read at offset {} past end of file", offset);
    }
    n = std::min<size_t>(n, contents_.size() - offset);
    std::copy_n(contents_.data() + offset, n, scratch);
    *result = std::string_view(scratch, n);
    return Status::OK();
  }
  const std::filesystem::path& path() const override { return path_; }

 private:
  std::string contents_;
  std::filesystem::path path_ = "mem.ldb";
};

// Builds a table holding `model` into a string.
inline std::string BuildTable(const TableOptions& options,
                              const std::map<std::string, std::string>& model) {
  std::string out;
  StringSink sink(&out);
  TableBuilder builder(options, &sink);
  for (const auto& [k, v] : model) builder.Add(k, v);
  Status s = builder.Finish();
  if (!s.ok()) std::abort();
  return out;
}

inline Status OpenTable(const TableOptions& options, std::string contents,
                        std::unique_ptr<TableReader>* table) {
  const uint64_t size = contents.size();
  return TableReader::Open(options, std::make_unique<StringSource>(std::move(contents)), size,
                           table);
}

}  // namespace lsm::testutil
