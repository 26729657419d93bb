// InfoLog: the human-readable diary a database keeps in its directory (LevelDB's `LOG`), one
// timestamped line per event worth knowing after the fact: open, recovery (and what it had to
// drop), flushes, compactions, background errors, resume.
//
//   2026/12/01-21:19:49.123456 7f3a recovered log #12: 1042 records, torn tail of 31 bytes
//
// Example:
//   std::unique_ptr<InfoLog> log;
//   Status s = InfoLog::Open(fs, dir / "LOG", dir / "LOG.old", &log);   // keeps the previous
//   log->Log("flushed memtable to table #{} ({} bytes)", number, size);
//
// Opening renames an existing LOG to LOG.old (replacing an older LOG.old), as LevelDB does.
// Each line is flushed to the OS as it is written (not fsynced: the diary is for people, not
// for recovery). A failed write is remembered (write_error()) but never fails the caller: a
// full disk must not turn a diary line into a failed Put.
// Thread-safety: Log() may be called from many threads at once (an internal mutex).
// Not copyable.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/file.h"
#include "common/status.h"

namespace lsm {

class InfoLog {
 public:
  // Opens a fresh log at `path`, first renaming an existing one to `old_path`.
  static Status Open(FileSystem* fs, const std::filesystem::path& path,
                     const std::filesystem::path& old_path, std::unique_ptr<InfoLog>* log);

  explicit InfoLog(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
  InfoLog(const InfoLog&) = delete;
  InfoLog& operator=(const InfoLog&) = delete;
  ~InfoLog();

  template <typename... Args>
  void Log(fmt::format_string<Args...> f, Args&&... args) {
    Write(fmt::format(f, std::forward<Args>(args)...));
  }
  // Writes one line: the local time (microseconds), the calling thread's id, then `message`.
  void Write(std::string_view message);

  // The first write failure, or OK.
  Status write_error() const;
  const std::filesystem::path& path() const { return file_->path(); }

 private:
  mutable std::mutex mu_;
  std::unique_ptr<WritableFile> file_;  // guarded by mu_
  Status write_error_;                  // guarded by mu_
};

}  // namespace lsm
