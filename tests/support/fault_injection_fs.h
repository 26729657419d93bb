// FaultInjectionFileSystem: wraps a real FileSystem and makes it fail on purpose, the way a
// dying disk or a power cut would — for tests that prove no acknowledged write is lost.
//
//   FailAfter(kind, n)   the (n+1)-th operation of that kind from now fails with IOError, and
//                        so does every later one of that kind (kinds: write/append, sync,
//                        rename, open-for-write, close, remove); 0 = next one
//   Injected(kind)       how many operations of that kind were failed on purpose so far (by
//                        FailAfter or an inactive FS) — so a test can check its faults fired
//   DropUnsyncedData()   power loss: every file written through this FS is truncated back to
//                        the size it had at its last successful Sync() (0 if never synced)
//   SetFilesystemActive(false)  every later write, sync and open-for-write fails (a disk that
//                        went read-only); renames, closes and removes still work
//
// A failed Close still closes the underlying file (its buffered bytes reach the OS and the
// descriptor is released, as close(2) does even when it reports an error); the caller just
// sees the error. A failed RemoveFile leaves the file in place.
//
// Example:
//   FaultInjectionFileSystem fs(FileSystem::Default());
//   fs.FailAfter(FaultInjectionFileSystem::Op::kSync, 3);   // the 4th sync fails
//   ... run the engine with fs; expect a Status error, not a crash ...
//   fs.DropUnsyncedData();   // then reopen and check every synced write is there
//
// Thread-safety: all methods are thread-safe (one mutex). Files it hands out must not outlive it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/file.h"
#include "tests/support/forwarding_fs.h"

namespace lsm::testutil {

class FaultInjectionFileSystem final : public ForwardingFileSystem {
 public:
  enum class Op { kWrite = 0, kSync = 1, kRename = 2, kOpenWrite = 3, kClose = 4, kRemove = 5 };
  static constexpr int kNumOps = 6;

  // base must outlive this object.
  explicit FaultInjectionFileSystem(FileSystem* base) : ForwardingFileSystem(base) {}

  void FailAfter(Op op, int n);
  void ClearFailures();
  void SetFilesystemActive(bool active);
  // How many operations of a kind have been attempted (to enumerate failure points).
  int Count(Op op) const;
  // How many operations of a kind have been failed on purpose.
  int Injected(Op op) const;
  // Truncates every file written through this FS to its last synced size.
  Status DropUnsyncedData();

  // FileSystem: writes, renames and removals are watched; the rest is forwarded.
  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override;
  Status NewAppendableFile(const std::filesystem::path& path,
                           std::unique_ptr<WritableFile>* result) override;
  Status RemoveFile(const std::filesystem::path& path) override;
  Status RenameFile(const std::filesystem::path& from, const std::filesystem::path& to) override;

  // Called by the wrapped files.
  Status MaybeFail(Op op, const std::filesystem::path& path);
  void RecordSynced(const std::filesystem::path& path, uint64_t size);

 private:
  Status Open(const std::filesystem::path& path, bool append,
              std::unique_ptr<WritableFile>* result);

  mutable std::mutex mu_;
  bool active_ = true;           // guarded by mu_
  int counts_[kNumOps] = {};    // guarded by mu_
  int injected_[kNumOps] = {};  // guarded by mu_
  int fail_at_[kNumOps] = {-1, -1, -1, -1, -1, -1};  // guarded by mu_; absolute count that fails
  std::map<std::string, uint64_t> synced_size_;  // guarded by mu_; files written through us
};

}  // namespace lsm::testutil
