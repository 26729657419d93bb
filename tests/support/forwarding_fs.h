// ForwardingFileSystem / ForwardingWritableFile: pass every call through to a base object, so
// a test wrapper overrides only the calls it changes.
//
// Example (a file system whose Sync() only flushes):
//   class NoSyncFile final : public ForwardingWritableFile {
//    public:
//     using ForwardingWritableFile::ForwardingWritableFile;
//     Status Sync() override { return base()->Flush(); }
//   };
//
// Thread-safety: as the base (these hold no state of their own). Lifetimes: the base file
// system must outlive the wrapper and every file it hands out; a ForwardingWritableFile owns
// its base file. Not copyable.
// Simplifications: test support only; the engine never stacks file systems.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/file.h"

namespace lsm::testutil {

class ForwardingFileSystem : public FileSystem {
 public:
  // base must outlive this object.
  explicit ForwardingFileSystem(FileSystem* base) : base_(base) {}
  ForwardingFileSystem(const ForwardingFileSystem&) = delete;
  ForwardingFileSystem& operator=(const ForwardingFileSystem&) = delete;

  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override {
    return base_->NewWritableFile(path, result);
  }
  Status NewAppendableFile(const std::filesystem::path& path,
                           std::unique_ptr<WritableFile>* result) override {
    return base_->NewAppendableFile(path, result);
  }
  Status NewSequentialFile(const std::filesystem::path& path,
                           std::unique_ptr<SequentialFile>* result) override {
    return base_->NewSequentialFile(path, result);
  }
  Status NewRandomAccessFile(const std::filesystem::path& path,
                             std::unique_ptr<RandomAccessFile>* result) override {
    return base_->NewRandomAccessFile(path, result);
  }
  bool FileExists(const std::filesystem::path& path) override { return base_->FileExists(path); }
  Status GetFileSize(const std::filesystem::path& path, uint64_t* size) override {
    return base_->GetFileSize(path, size);
  }
  Status GetChildren(const std::filesystem::path& dir, std::vector<std::string>* names) override {
    return base_->GetChildren(dir, names);
  }
  Status RemoveFile(const std::filesystem::path& path) override { return base_->RemoveFile(path); }
  Status RenameFile(const std::filesystem::path& from, const std::filesystem::path& to) override {
    return base_->RenameFile(from, to);
  }
  Status CreateDir(const std::filesystem::path& dir) override { return base_->CreateDir(dir); }
  Status RemoveDir(const std::filesystem::path& dir) override { return base_->RemoveDir(dir); }
  Status SyncDir(const std::filesystem::path& dir) override { return base_->SyncDir(dir); }
  Status LockFile(const std::filesystem::path& path, std::unique_ptr<FileLock>* lock) override {
    return base_->LockFile(path, lock);
  }

 protected:
  FileSystem* base() const { return base_; }

 private:
  FileSystem* const base_;
};

class ForwardingWritableFile : public WritableFile {
 public:
  explicit ForwardingWritableFile(std::unique_ptr<WritableFile> base) : base_(std::move(base)) {}
  ForwardingWritableFile(const ForwardingWritableFile&) = delete;
  ForwardingWritableFile& operator=(const ForwardingWritableFile&) = delete;

  Status Append(std::string_view data) override { return base_->Append(data); }
  Status Flush() override { return base_->Flush(); }
  Status Sync() override { return base_->Sync(); }
  Status Close() override { return base_->Close(); }
  const std::filesystem::path& path() const override { return base_->path(); }

 protected:
  WritableFile* base() const { return base_.get(); }

 private:
  std::unique_ptr<WritableFile> base_;
};

}  // namespace lsm::testutil
