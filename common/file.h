// The file layer: every byte the engine reads or writes goes through a FileSystem.
//
// FileSystem::Default() is the real POSIX one (open/pread/write/fdatasync/rename). Tests can
// wrap it to inject faults (fail the Nth write, drop unsynced data) without touching the steps.
//
//   WritableFile       append-only, buffered; data is durable only after Sync() returns OK
//   SequentialFile     reads a file front to back (log recovery)
//   RandomAccessFile   positional reads, safe from many threads at once (tables)
//   FileLock           an fcntl lock on a file, released when the object dies
//
// Every error names the file (and, where it helps, the offset).
// Readers open only regular files: NewSequentialFile and NewRandomAccessFile follow symlinks
// and refuse anything else (a device such as /dev/zero, a FIFO, a directory) with
// IOError "<path> is not a regular file (...)", so a bad link cannot feed a reader endless
// bytes or block it.
// Thread-safety: FileSystem methods and RandomAccessFile::Read are thread-safe; a WritableFile
// or SequentialFile must be used by one thread at a time. Handles are move-only (RAII).
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lsm {

// Append-only file with a user-space buffer.
// Durability rule: Append() alone promises nothing; after Sync() returns OK every byte appended
// before it survives a crash or power loss. Close() flushes (but does not sync) the buffer;
// the destructor closes, dropping any error, so call Close() when you care.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Hands buffered bytes to the OS (survives a process crash, not a power loss).
  virtual Status Flush() = 0;
  // Flush(), then fdatasync: the bytes are on stable storage when it returns OK.
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  virtual const std::filesystem::path& path() const = 0;
};

class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes into scratch; *result views the bytes read (maybe inside scratch).
  // A short (or empty) result means end of file. REQUIRES: scratch holds n bytes and outlives
  // the use of *result.
  virtual Status Read(size_t n, char* scratch, std::string_view* result) = 0;
  virtual Status Skip(uint64_t n) = 0;
  virtual const std::filesystem::path& path() const = 0;
};

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset; fewer at end of file. Thread-safe.
  // REQUIRES: scratch holds n bytes and outlives the use of *result.
  virtual Status Read(uint64_t offset, size_t n, char* scratch,
                      std::string_view* result) const = 0;
  virtual const std::filesystem::path& path() const = 0;
};

// An fcntl(F_SETLK) write lock held on a file; unlocks and closes when destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The real POSIX file system. The returned object lives forever.
  static FileSystem* Default();

  // Creates (or truncates) a file for writing.
  virtual Status NewWritableFile(const std::filesystem::path& path,
                                 std::unique_ptr<WritableFile>* result) = 0;
  // Opens a file for appending, creating it if missing.
  virtual Status NewAppendableFile(const std::filesystem::path& path,
                                   std::unique_ptr<WritableFile>* result) = 0;
  // Open an existing regular file for reading (see above: anything else is an IOError).
  virtual Status NewSequentialFile(const std::filesystem::path& path,
                                   std::unique_ptr<SequentialFile>* result) = 0;
  virtual Status NewRandomAccessFile(const std::filesystem::path& path,
                                     std::unique_ptr<RandomAccessFile>* result) = 0;

  virtual bool FileExists(const std::filesystem::path& path) = 0;
  virtual Status GetFileSize(const std::filesystem::path& path, uint64_t* size) = 0;
  // Names (not paths) of the entries in dir, in no particular order.
  virtual Status GetChildren(const std::filesystem::path& dir,
                             std::vector<std::string>* names) = 0;
  virtual Status RemoveFile(const std::filesystem::path& path) = 0;
  // Atomically replaces `to` with `from` (rename(2)). Sync the directory to make it durable.
  virtual Status RenameFile(const std::filesystem::path& from,
                            const std::filesystem::path& to) = 0;
  // Creates dir (and missing parents); OK if it exists.
  virtual Status CreateDir(const std::filesystem::path& dir) = 0;
  virtual Status RemoveDir(const std::filesystem::path& dir) = 0;
  // fsyncs a directory, making creations, renames and deletions inside it durable.
  virtual Status SyncDir(const std::filesystem::path& dir) = 0;
  // Takes an exclusive lock on path (creating it). Fails with IOError if another process
  // holds it. Also fails if this process already holds it under any name — through a
  // symlink or a hard link too: the file is identified by (device, inode), not by its path
  // (fcntl locks do not nest, and closing any descriptor of the file would drop the lock).
  virtual Status LockFile(const std::filesystem::path& path,
                          std::unique_ptr<FileLock>* lock) = 0;
};

// No bound on ReadFileToString's size.
inline constexpr uint64_t kNoSizeLimit = std::numeric_limits<uint64_t>::max();

// Reads a whole file into *data. A file longer than max_size bytes is not read to its end:
// the result is IOError "<path> is larger than the limit of <max_size> bytes" (*data is then
// unspecified). Pass a small max_size for files that are small by design (CURRENT).
Status ReadFileToString(FileSystem* fs, const std::filesystem::path& path, std::string* data,
                        uint64_t max_size = kNoSizeLimit);

// Writes data to a new file at path; if sync, fsyncs it before returning.
Status WriteStringToFile(FileSystem* fs, std::string_view data,
                         const std::filesystem::path& path, bool sync);

// Writes data to `path` atomically: write to tmp, fsync, rename over path, fsync the directory.
// After a crash the file holds either the old or the new contents, never a mix.
Status WriteFileAtomically(FileSystem* fs, std::string_view data,
                           const std::filesystem::path& path,
                           const std::filesystem::path& tmp_path);

}  // namespace lsm
