#include "common/info_log.h"

#include <chrono>
#include <ctime>
#include <functional>
#include <thread>

namespace lsm {

Status InfoLog::Open(FileSystem* fs, const std::filesystem::path& path,
                     const std::filesystem::path& old_path, std::unique_ptr<InfoLog>* log) {
  log->reset();
  if (fs->FileExists(path)) {
    Status s = fs->RenameFile(path, old_path);
    if (!s.ok()) return s;
  }
  std::unique_ptr<WritableFile> file;
  Status s = fs->NewWritableFile(path, &file);
  if (!s.ok()) return s;
  *log = std::make_unique<InfoLog>(std::move(file));
  return Status::OK();
}

InfoLog::~InfoLog() {
  std::lock_guard<std::mutex> l(mu_);
  (void)file_->Close();
}

void InfoLog::Write(std::string_view message) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  localtime_r(&seconds, &tm);
  const size_t thread = std::hash<std::thread::id>{}(std::this_thread::get_id()) & 0xffff;
  std::string line =
      fmt::format("{:04}/{:02}/{:02}-{:02}:{:02}:{:02}.{:06} {:04x} {}\n", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros, thread,
                  message);
  std::lock_guard<std::mutex> l(mu_);
  Status s = file_->Append(line);
  if (s.ok()) s = file_->Flush();
  if (!s.ok() && write_error_.ok()) write_error_ = s;
}

Status InfoLog::write_error() const {
  std::lock_guard<std::mutex> l(mu_);
  return write_error_;
}

}  // namespace lsm
