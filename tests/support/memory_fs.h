// MemoryFileSystem: a FileSystem whose files are strings in a map — no system call, no disk —
// for targets that run the engine thousands of times a second (tests/fuzz/db_ops_fuzz.cc).
//
// The contract, as FileSystem::Default() keeps it (file.h), for what the engine uses:
//   - a path is its lexically normal form ("/d/./x" is "/d/x"); directories exist only once
//     CreateDir made them (with their parents); a file can be created only in an existing
//     directory, and every error is an IOError naming the path ("...: No such file or
//     directory"), as the POSIX file system words it;
//   - appended bytes are readable at once (Flush and Sync do nothing: nothing is ever lost,
//     there is no crash to survive); a reader opened earlier sees bytes appended later;
//   - RemoveFile and RenameFile act on names: an open reader or writer keeps the bytes it
//     had (like an unlinked inode), a writer whose file was removed writes to nothing visible;
//   - LockFile fails while the same path is locked (the fcntl lock's "already locked by this
//     process"), and creates the lock file, which GetChildren lists.
//   - NewWritableFile truncates the file in place (every open handle sees it empty).
// Thread-safety: every method and every file's methods take one mutex (RandomAccessFile::Read
// may run on many threads). Lifetimes: every file and lock must die before the file system.
// Simplifications: no permissions, links, devices or size limits; RemoveDir does not check
// that the directory is empty (it drops everything under it).
#pragma once

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/file.h"

namespace lsm::testutil {

class MemoryFileSystem final : public FileSystem {
 public:
  MemoryFileSystem() { dirs_.insert("/"); }

  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override {
    return OpenForWrite(path, /*truncate=*/true, result);
  }
  Status NewAppendableFile(const std::filesystem::path& path,
                           std::unique_ptr<WritableFile>* result) override {
    return OpenForWrite(path, /*truncate=*/false, result);
  }
  Status NewSequentialFile(const std::filesystem::path& path,
                           std::unique_ptr<SequentialFile>* result) override {
    std::shared_ptr<Bytes> bytes;
    if (Status s = Find(path, "open", &bytes); !s.ok()) return s;
    *result = std::make_unique<SequentialReader>(Normal(path), std::move(bytes), &mu_);
    return Status::OK();
  }
  Status NewRandomAccessFile(const std::filesystem::path& path,
                             std::unique_ptr<RandomAccessFile>* result) override {
    std::shared_ptr<Bytes> bytes;
    if (Status s = Find(path, "open", &bytes); !s.ok()) return s;
    *result = std::make_unique<RandomReader>(Normal(path), std::move(bytes), &mu_);
    return Status::OK();
  }

  bool FileExists(const std::filesystem::path& path) override {
    std::lock_guard l(mu_);
    const std::string p = Normal(path);
    return files_.contains(p) || dirs_.contains(p);
  }
  Status GetFileSize(const std::filesystem::path& path, uint64_t* size) override {
    std::shared_ptr<Bytes> bytes;
    if (Status s = Find(path, "stat", &bytes); !s.ok()) return s;
    std::lock_guard l(mu_);
    *size = bytes->size();
    return Status::OK();
  }
  Status GetChildren(const std::filesystem::path& dir, std::vector<std::string>* names) override {
    std::lock_guard l(mu_);
    names->clear();
    const std::string d = Normal(dir);
    if (!dirs_.contains(d)) return Missing(d, "list directory");
    auto add = [&](const std::string& p) {
      const std::filesystem::path fp(p);
      if (p != d && fp.parent_path() == d) names->push_back(fp.filename().string());
    };
    for (const auto& [p, bytes] : files_) add(p);
    for (const auto& p : dirs_) add(p);
    return Status::OK();
  }
  Status RemoveFile(const std::filesystem::path& path) override {
    std::lock_guard l(mu_);
    if (files_.erase(Normal(path)) == 0) return Missing(Normal(path), "unlink");
    return Status::OK();
  }
  Status RenameFile(const std::filesystem::path& from, const std::filesystem::path& to) override {
    std::lock_guard l(mu_);
    auto it = files_.find(Normal(from));
    if (it == files_.end()) return Missing(Normal(from), "rename to " + Normal(to));
    if (!dirs_.contains(Parent(to))) return Missing(Normal(from), "rename to " + Normal(to));
    std::shared_ptr<Bytes> bytes = it->second;
    files_.erase(it);
    files_[Normal(to)] = std::move(bytes);
    return Status::OK();
  }
  Status CreateDir(const std::filesystem::path& dir) override {
    std::lock_guard l(mu_);
    for (std::filesystem::path p = Normal(dir); !p.empty(); p = p.parent_path()) {
      if (files_.contains(p.string())) {
        return Status::IOError("{}: create directory: Not a directory", Normal(dir));
      }
      dirs_.insert(p.string());
      if (p == p.parent_path()) break;
    }
    return Status::OK();
  }
  Status RemoveDir(const std::filesystem::path& dir) override {
    std::lock_guard l(mu_);
    const std::string d = Normal(dir);
    if (dirs_.erase(d) == 0) return Missing(d, "rmdir");
    const std::string prefix = d + "/";
    std::erase_if(files_, [&](const auto& f) { return f.first.starts_with(prefix); });
    std::erase_if(dirs_, [&](const std::string& p) { return p.starts_with(prefix); });
    return Status::OK();
  }
  Status SyncDir(const std::filesystem::path& dir) override {
    std::lock_guard l(mu_);
    if (!dirs_.contains(Normal(dir))) return Missing(Normal(dir), "open directory");
    return Status::OK();
  }
  Status LockFile(const std::filesystem::path& path, std::unique_ptr<FileLock>* lock) override {
    std::unique_ptr<WritableFile> file;
    if (Status s = OpenForWrite(path, /*truncate=*/false, &file); !s.ok()) return s;
    std::lock_guard l(mu_);
    const std::string p = Normal(path);
    if (!locked_.insert(p).second) {
      return Status::IOError("{}: already locked by this process (as {})", p, p);
    }
    *lock = std::make_unique<Lock>(this, p);
    return Status::OK();
  }

 private:
  using Bytes = std::string;

  class Writer final : public WritableFile {
   public:
    Writer(std::string path, std::shared_ptr<Bytes> bytes, std::mutex* mu)
        : path_(std::move(path)), bytes_(std::move(bytes)), mu_(mu) {}
    Status Append(std::string_view data) override {
      std::lock_guard l(*mu_);
      if (closed_) return Status::IOError("{}: append after close", path_.string());
      bytes_->append(data);
      return Status::OK();
    }
    Status Flush() override { return Status::OK(); }
    Status Sync() override { return Status::OK(); }
    Status Close() override {
      std::lock_guard l(*mu_);
      closed_ = true;
      return Status::OK();
    }
    const std::filesystem::path& path() const override { return path_; }

   private:
    const std::filesystem::path path_;
    const std::shared_ptr<Bytes> bytes_;
    std::mutex* const mu_;
    bool closed_ = false;  // guarded by *mu_
  };

  class SequentialReader final : public SequentialFile {
   public:
    SequentialReader(std::string path, std::shared_ptr<Bytes> bytes, std::mutex* mu)
        : path_(std::move(path)), bytes_(std::move(bytes)), mu_(mu) {}
    Status Read(size_t n, char* scratch, std::string_view* result) override {
      std::lock_guard l(*mu_);
      const size_t at = std::min(pos_, bytes_->size());
      n = std::min(n, bytes_->size() - at);
      std::memcpy(scratch, bytes_->data() + at, n);
      pos_ = at + n;
      *result = std::string_view(scratch, n);
      return Status::OK();
    }
    Status Skip(uint64_t n) override {
      std::lock_guard l(*mu_);
      pos_ = static_cast<size_t>(std::min<uint64_t>(bytes_->size(), pos_ + n));
      return Status::OK();
    }
    const std::filesystem::path& path() const override { return path_; }

   private:
    const std::filesystem::path path_;
    const std::shared_ptr<Bytes> bytes_;
    std::mutex* const mu_;
    size_t pos_ = 0;
  };

  class RandomReader final : public RandomAccessFile {
   public:
    RandomReader(std::string path, std::shared_ptr<Bytes> bytes, std::mutex* mu)
        : path_(std::move(path)), bytes_(std::move(bytes)), mu_(mu) {}
    Status Read(uint64_t offset, size_t n, char* scratch,
                std::string_view* result) const override {
      std::lock_guard l(*mu_);
      if (offset > bytes_->size()) {
        *result = {};
        return Status::OK();  // pread past the end reads nothing
      }
      n = std::min<size_t>(n, bytes_->size() - offset);
      std::memcpy(scratch, bytes_->data() + offset, n);
      *result = std::string_view(scratch, n);
      return Status::OK();
    }
    const std::filesystem::path& path() const override { return path_; }

   private:
    const std::filesystem::path path_;
    const std::shared_ptr<Bytes> bytes_;
    std::mutex* const mu_;
  };

  class Lock final : public FileLock {
   public:
    Lock(MemoryFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
    ~Lock() override {
      std::lock_guard l(fs_->mu_);
      fs_->locked_.erase(path_);
    }

   private:
    MemoryFileSystem* const fs_;
    const std::string path_;
  };

  static std::string Normal(const std::filesystem::path& path) {
    std::string p = std::filesystem::absolute(path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
  }
  static std::string Parent(const std::filesystem::path& path) {
    return std::filesystem::path(Normal(path)).parent_path().string();
  }
  static Status Missing(const std::string& path, std::string_view what) {
    return Status::IOError("{}: {}: No such file or directory", path, what);
  }

  Status OpenForWrite(const std::filesystem::path& path, bool truncate,
                      std::unique_ptr<WritableFile>* result) {
    std::lock_guard l(mu_);
    const std::string p = Normal(path);
    if (!dirs_.contains(Parent(p))) return Missing(p, "open for write");
    if (dirs_.contains(p)) return Status::IOError("{}: open for write: Is a directory", p);
    std::shared_ptr<Bytes>& bytes = files_[p];
    if (bytes == nullptr) bytes = std::make_shared<Bytes>();
    if (truncate) bytes->clear();
    *result = std::make_unique<Writer>(p, bytes, &mu_);
    return Status::OK();
  }
  Status Find(const std::filesystem::path& path, std::string_view what,
              std::shared_ptr<Bytes>* bytes) {
    std::lock_guard l(mu_);
    const std::string p = Normal(path);
    auto it = files_.find(p);
    if (it == files_.end()) {
      if (dirs_.contains(p)) return Status::IOError("{} is not a regular file (a directory)", p);
      return Missing(p, what);
    }
    *bytes = it->second;
    return Status::OK();
  }

  std::mutex mu_;  // guards everything below and every file's bytes
  std::map<std::string, std::shared_ptr<Bytes>> files_;
  std::set<std::string> dirs_;
  std::set<std::string> locked_;
};

}  // namespace lsm::testutil
