// FileSystem::Default(): the POSIX implementation of common/file.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

#include "common/file.h"

namespace lsm {
namespace {

namespace fs = std::filesystem;

// An owned file descriptor: closed exactly once, move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  // Gives up ownership without closing; returns the descriptor.
  int Release() { return std::exchange(fd_, -1); }
  bool valid() const { return fd_ >= 0; }
  // Closes and reports close(2)'s error (it can carry a delayed write error).
  int Close() {
    int r = 0;
    if (fd_ >= 0) r = ::close(fd_);
    fd_ = -1;
    return r;
  }

 private:
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

Status ErrnoStatus(const fs::path& path, std::string_view what, int err) {
  return Status::FromErrno(fmt::format("{}: {}", path.string(), what), err);
}

class PosixWritableFile final : public WritableFile {
 public:
  static constexpr size_t kBufferSize = 64 * 1024;

  PosixWritableFile(fs::path path, Fd fd) : path_(std::move(path)), fd_(std::move(fd)) {
    buffer_.reserve(kBufferSize);
  }
  ~PosixWritableFile() override { (void)Close(); }

  Status Append(std::string_view data) override {
    if (!fd_.valid()) return Status::IOError("{}: append after close", path_.string());
    // Small appends are coalesced in the buffer; large ones go straight to the kernel.
    if (buffer_.size() + data.size() <= kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (data.size() <= kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    return WriteRaw(data);
  }

  Status Flush() override { return FlushBuffer(); }

  Status Sync() override {
    Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (::fdatasync(fd_.get()) != 0) return ErrnoStatus(path_, "fdatasync", errno);
    return Status::OK();
  }

  Status Close() override {
    if (!fd_.valid()) return Status::OK();
    Status s = FlushBuffer();
    if (fd_.Close() != 0 && s.ok()) s = ErrnoStatus(path_, "close", errno);
    return s;
  }

  const fs::path& path() const override { return path_; }

 private:
  Status FlushBuffer() {
    Status s = WriteRaw(buffer_);
    buffer_.clear();
    return s;
  }

  Status WriteRaw(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_.get(), data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus(path_, "write", errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }

  fs::path path_;
  Fd fd_;
  std::string buffer_;
};

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(fs::path path, Fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  Status Read(size_t n, char* scratch, std::string_view* result) override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::read(fd_.get(), scratch + got, n - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus(path_, "read", errno);
      }
      if (r == 0) break;  // end of file
      got += static_cast<size_t>(r);
    }
    *result = std::string_view(scratch, got);
    return Status::OK();
  }

  Status Skip(uint64_t n) override {
    if (::lseek(fd_.get(), static_cast<off_t>(n), SEEK_CUR) < 0) {
      return ErrnoStatus(path_, "lseek", errno);
    }
    return Status::OK();
  }

  const fs::path& path() const override { return path_; }

 private:
  fs::path path_;
  Fd fd_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(fs::path path, Fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  Status Read(uint64_t offset, size_t n, char* scratch,
              std::string_view* result) const override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_.get(), scratch + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus(path_, fmt::format("pread at offset {}", offset), errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    *result = std::string_view(scratch, got);
    return Status::OK();
  }

  const fs::path& path() const override { return path_; }

 private:
  fs::path path_;
  Fd fd_;
};

// fcntl locks belong to the process: a second F_SETLK from this process on the same file
// succeeds, and closing *any* descriptor of the file drops the lock. So the process keeps a
// table of the files it has locked and refuses a second lock, as LevelDB does — keyed by
// (device, inode), because a path can name the same file many ways (symlinks, hard links,
// "dir/../dir"). Every LockFile and every unlock runs under the table's mutex, so no
// descriptor of a locked file is opened or closed while another thread consults the table.
struct FileId {
  dev_t device;
  ino_t inode;
  auto operator<=>(const FileId&) const = default;
};

class LockTable {
 public:
  std::mutex& mu() { return mu_; }
  // The path a held file was locked under, or null. REQUIRES: mu() held.
  const std::string* Find(FileId id) const {
    auto it = held_.find(id);
    return it == held_.end() ? nullptr : &it->second;
  }
  // Both REQUIRE: mu() held.
  void Insert(FileId id, std::string path) { held_.emplace(id, std::move(path)); }
  void Remove(FileId id) { held_.erase(id); }

 private:
  std::mutex mu_;
  std::map<FileId, std::string> held_;  // guarded by mu_
};

LockTable& Locks() {
  static LockTable* table = new LockTable;
  return *table;
}

class PosixFileLock final : public FileLock {
 public:
  PosixFileLock(FileId id, Fd fd) : id_(id), fd_(std::move(fd)) {}
  ~PosixFileLock() override {
    std::lock_guard l(Locks().mu());
    struct flock f {};
    f.l_type = F_UNLCK;
    f.l_whence = SEEK_SET;
    ::fcntl(fd_.get(), F_SETLK, &f);
    (void)fd_.Close();  // before the table forgets the file: see LockTable
    Locks().Remove(id_);
  }

 private:
  const FileId id_;
  Fd fd_;
};

// What st_mode is, for "is not a regular file (a character device)".
std::string_view FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

Status NotRegular(const fs::path& path, mode_t mode) {
  return Status::IOError("{} is not a regular file ({})", path.string(), FileKind(mode));
}

// Opens an existing regular file read-only, following symlinks; refuses anything else.
// stat() first, so a device or FIFO is never even opened (opening a FIFO waits for a writer);
// then fstat() the descriptor, in case the name changed in between. O_NONBLOCK keeps that
// open from waiting; it means nothing for a regular file, so it is left set.
Status OpenRegularForRead(const fs::path& path, Fd* result) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, "open", errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return ErrnoStatus(path, "open", errno);
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(path, "fstat", errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  *result = std::move(fd);
  return Status::OK();
}

class PosixFileSystem final : public FileSystem {
 public:
  Status NewWritableFile(const fs::path& path, std::unique_ptr<WritableFile>* result) override {
    return OpenForWrite(path, O_TRUNC, result);
  }
  Status NewAppendableFile(const fs::path& path,
                           std::unique_ptr<WritableFile>* result) override {
    return OpenForWrite(path, O_APPEND, result);
  }

  Status NewSequentialFile(const fs::path& path,
                           std::unique_ptr<SequentialFile>* result) override {
    Fd fd;
    if (Status s = OpenRegularForRead(path, &fd); !s.ok()) return s;
    *result = std::make_unique<PosixSequentialFile>(path, std::move(fd));
    return Status::OK();
  }

  Status NewRandomAccessFile(const fs::path& path,
                             std::unique_ptr<RandomAccessFile>* result) override {
    Fd fd;
    if (Status s = OpenRegularForRead(path, &fd); !s.ok()) return s;
    *result = std::make_unique<PosixRandomAccessFile>(path, std::move(fd));
    return Status::OK();
  }

  bool FileExists(const fs::path& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status GetFileSize(const fs::path& path, uint64_t* size) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, "stat", errno);
    *size = static_cast<uint64_t>(st.st_size);
    return Status::OK();
  }

  Status GetChildren(const fs::path& dir, std::vector<std::string>* names) override {
    names->clear();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      names->push_back(entry.path().filename().string());
    }
    if (ec) return Status::IOError("{}: list directory: {}", dir.string(), ec.message());
    return Status::OK();
  }

  Status RemoveFile(const fs::path& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoStatus(path, "unlink", errno);
    return Status::OK();
  }

  Status RenameFile(const fs::path& from, const fs::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return ErrnoStatus(from, fmt::format("rename to {}", to.string()), errno);
    }
    return Status::OK();
  }

  Status CreateDir(const fs::path& dir) override {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError("{}: create directory: {}", dir.string(), ec.message());
    return Status::OK();
  }

  Status RemoveDir(const fs::path& dir) override {
    if (::rmdir(dir.c_str()) != 0) return ErrnoStatus(dir, "rmdir", errno);
    return Status::OK();
  }

  Status SyncDir(const fs::path& dir) override {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) return ErrnoStatus(dir, "open directory", errno);
    if (::fsync(fd.get()) != 0) return ErrnoStatus(dir, "fsync directory", errno);
    return Status::OK();
  }

  Status LockFile(const fs::path& path, std::unique_ptr<FileLock>* lock) override {
    LockTable& table = Locks();
    std::lock_guard l(table.mu());
    auto already = [&](const std::string& holder) {
      return Status::IOError("{}: already locked by this process (as {})", path.string(), holder);
    };
    // Look before opening: if this process holds the file, even opening and closing another
    // descriptor of it would release the holder's lock.
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
      if (const std::string* holder = table.Find({st.st_dev, st.st_ino})) return already(*holder);
    }
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd.valid()) return ErrnoStatus(path, "open lock file", errno);
    if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(path, "fstat lock file", errno);
    const FileId id{st.st_dev, st.st_ino};
    if (const std::string* holder = table.Find(id)) {
      // The name was pointed at a held file between stat() and open(). Keep this descriptor
      // open for good rather than close it (which would drop the holder's lock).
      (void)fd.Release();
      return already(*holder);
    }
    struct flock f {};
    f.l_type = F_WRLCK;
    f.l_whence = SEEK_SET;
    if (::fcntl(fd.get(), F_SETLK, &f) != 0) {
      return ErrnoStatus(path, "lock (is another process using this database?)", errno);
    }
    table.Insert(id, fs::absolute(path).lexically_normal().string());
    *lock = std::make_unique<PosixFileLock>(id, std::move(fd));
    return Status::OK();
  }

 private:
  Status OpenForWrite(const fs::path& path, int mode, std::unique_ptr<WritableFile>* result) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | mode, 0644));
    if (!fd.valid()) return ErrnoStatus(path, "open for write", errno);
    *result = std::make_unique<PosixWritableFile>(path, std::move(fd));
    return Status::OK();
  }
};

}  // namespace

FileSystem* FileSystem::Default() {
  static PosixFileSystem* fs = new PosixFileSystem;
  return fs;
}

}  // namespace lsm
