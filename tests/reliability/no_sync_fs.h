// NoSyncFileSystem: a FileSystem that forwards everything to a base one but turns Sync() into
// Flush() and SyncDir() into a no-op — for tests that simulate power loss themselves.
//
// FaultInjectionFileSystem (tests/support/fault_injection_fs.h) decides what "survives" a
// power cut from the Sync() calls it sees, not from the disk, so a real fdatasync only costs
// time (milliseconds each on a virtual disk). Stacked under it:
//
//   engine -> FaultInjectionFileSystem -> NoSyncFileSystem -> FileSystem::Default()
//
// the fault-injection sweeps run thousands of cases a second instead of tens.
//
// Thread-safety: as the base (stateless itself). Lifetimes: base must outlive this object and
// every file it hands out; files must not outlive this object either.
// Simplifications: never use it where a real crash of the machine is the point (tests/crash/
// kills processes, which the page cache survives, so it does not need it either).
#pragma once

#include <memory>

#include "common/file.h"

namespace lsm::testutil {

class NoSyncFileSystem final : public FileSystem {
 public:
  explicit NoSyncFileSystem(FileSystem* base = FileSystem::Default()) : base_(base) {}

  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override {
    return Wrap(base_->NewWritableFile(path, result), result);
  }
  Status NewAppendableFile(const std::filesystem::path& path,
                           std::unique_ptr<WritableFile>* result) override {
    return Wrap(base_->NewAppendableFile(path, result), result);
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
  Status SyncDir(const std::filesystem::path&) override { return Status::OK(); }
  Status LockFile(const std::filesystem::path& path, std::unique_ptr<FileLock>* lock) override {
    return base_->LockFile(path, lock);
  }

 private:
  // Sync() becomes Flush(): the bytes reach the page cache, which a process crash survives.
  class File final : public WritableFile {
   public:
    explicit File(std::unique_ptr<WritableFile> base) : base_(std::move(base)) {}
    Status Append(std::string_view data) override { return base_->Append(data); }
    Status Flush() override { return base_->Flush(); }
    Status Sync() override { return base_->Flush(); }
    Status Close() override { return base_->Close(); }
    const std::filesystem::path& path() const override { return base_->path(); }

   private:
    std::unique_ptr<WritableFile> base_;
  };

  static Status Wrap(Status s, std::unique_ptr<WritableFile>* result) {
    if (s.ok()) *result = std::make_unique<File>(std::move(*result));
    return s;
  }

  FileSystem* const base_;
};

}  // namespace lsm::testutil
