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
#include "tests/support/forwarding_fs.h"

namespace lsm::testutil {

class NoSyncFileSystem final : public ForwardingFileSystem {
 public:
  explicit NoSyncFileSystem(FileSystem* base = FileSystem::Default())
      : ForwardingFileSystem(base) {}

  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override {
    return Wrap(base()->NewWritableFile(path, result), result);
  }
  Status NewAppendableFile(const std::filesystem::path& path,
                           std::unique_ptr<WritableFile>* result) override {
    return Wrap(base()->NewAppendableFile(path, result), result);
  }
  Status SyncDir(const std::filesystem::path&) override { return Status::OK(); }

 private:
  // Sync() becomes Flush(): the bytes reach the page cache, which a process crash survives.
  class File final : public ForwardingWritableFile {
   public:
    using ForwardingWritableFile::ForwardingWritableFile;
    Status Sync() override { return base()->Flush(); }
  };

  static Status Wrap(Status s, std::unique_ptr<WritableFile>* result) {
    if (s.ok()) *result = std::make_unique<File>(std::move(*result));
    return s;
  }
};

}  // namespace lsm::testutil
