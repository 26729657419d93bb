#include "tests/support/fault_injection_fs.h"

#include <unistd.h>

#include <array>

namespace lsm::testutil {
namespace {

constexpr std::array<const char*, FaultInjectionFileSystem::kNumOps> kOpNames = {
    "write", "sync", "rename", "open", "close", "remove"};

// A WritableFile that asks the fault-injecting FS before every write, sync and close, and
// tells it the durable size after every successful sync.
class FaultyWritableFile final : public ForwardingWritableFile {
 public:
  FaultyWritableFile(FaultInjectionFileSystem* fs, std::unique_ptr<WritableFile> base,
                     uint64_t size)
      : ForwardingWritableFile(std::move(base)), fs_(fs), size_(size) {}

  Status Append(std::string_view data) override {
    Status s = fs_->MaybeFail(FaultInjectionFileSystem::Op::kWrite, path());
    if (s.ok()) s = base()->Append(data);
    if (s.ok()) size_ += data.size();
    return s;
  }
  Status Sync() override {
    Status s = fs_->MaybeFail(FaultInjectionFileSystem::Op::kSync, path());
    if (s.ok()) s = base()->Sync();
    if (s.ok()) fs_->RecordSynced(path(), size_);
    return s;
  }
  Status Close() override {
    Status s = fs_->MaybeFail(FaultInjectionFileSystem::Op::kClose, path());
    Status closed = base()->Close();  // closed even when the close "fails"
    return s.ok() ? closed : s;
  }

 private:
  FaultInjectionFileSystem* fs_;
  uint64_t size_;
};

}  // namespace

void FaultInjectionFileSystem::FailAfter(Op op, int n) {
  std::lock_guard l(mu_);
  fail_at_[static_cast<int>(op)] = counts_[static_cast<int>(op)] + n;
}

void FaultInjectionFileSystem::ClearFailures() {
  std::lock_guard l(mu_);
  for (int& f : fail_at_) f = -1;
  active_ = true;
}

void FaultInjectionFileSystem::SetFilesystemActive(bool active) {
  std::lock_guard l(mu_);
  active_ = active;
}

int FaultInjectionFileSystem::Count(Op op) const {
  std::lock_guard l(mu_);
  return counts_[static_cast<int>(op)];
}

int FaultInjectionFileSystem::Injected(Op op) const {
  std::lock_guard l(mu_);
  return injected_[static_cast<int>(op)];
}

Status FaultInjectionFileSystem::MaybeFail(Op op, const std::filesystem::path& path) {
  std::lock_guard l(mu_);
  const int i = static_cast<int>(op);
  const int n = counts_[i]++;
  const bool blocked_when_inactive = op == Op::kWrite || op == Op::kSync || op == Op::kOpenWrite;
  if (!active_ && blocked_when_inactive) {
    ++injected_[i];
    return Status::IOError("{}: injected {} failure (file system inactive)", path.string(),
                           kOpNames[i]);
  }
  if (fail_at_[i] >= 0 && n >= fail_at_[i]) {
    ++injected_[i];
    return Status::IOError("{}: injected {} failure (#{})", path.string(), kOpNames[i], n);
  }
  return Status::OK();
}

void FaultInjectionFileSystem::RecordSynced(const std::filesystem::path& path, uint64_t size) {
  std::lock_guard l(mu_);
  synced_size_[path.string()] = size;
}

Status FaultInjectionFileSystem::Open(const std::filesystem::path& path, bool append,
                                      std::unique_ptr<WritableFile>* result) {
  Status s = MaybeFail(Op::kOpenWrite, path);
  if (!s.ok()) return s;
  uint64_t size = 0;
  if (append && base()->FileExists(path)) (void)base()->GetFileSize(path, &size);
  std::unique_ptr<WritableFile> file;
  s = append ? base()->NewAppendableFile(path, &file) : base()->NewWritableFile(path, &file);
  if (!s.ok()) return s;
  {
    std::lock_guard l(mu_);
    // An existing file opened for append keeps what it had durable; a new one has nothing.
    auto [it, inserted] = synced_size_.emplace(path.string(), append ? size : 0);
    if (!inserted && !append) it->second = 0;
  }
  *result = std::make_unique<FaultyWritableFile>(this, std::move(file), size);
  return Status::OK();
}

Status FaultInjectionFileSystem::NewWritableFile(const std::filesystem::path& path,
                                                 std::unique_ptr<WritableFile>* result) {
  return Open(path, /*append=*/false, result);
}

Status FaultInjectionFileSystem::NewAppendableFile(const std::filesystem::path& path,
                                                   std::unique_ptr<WritableFile>* result) {
  return Open(path, /*append=*/true, result);
}

Status FaultInjectionFileSystem::RemoveFile(const std::filesystem::path& path) {
  Status s = MaybeFail(Op::kRemove, path);
  if (!s.ok()) return s;  // the file stays, and so does what we know of its synced size
  s = base()->RemoveFile(path);
  if (s.ok()) {
    std::lock_guard l(mu_);
    synced_size_.erase(path.string());
  }
  return s;
}

Status FaultInjectionFileSystem::RenameFile(const std::filesystem::path& from,
                                            const std::filesystem::path& to) {
  Status s = MaybeFail(Op::kRename, from);
  if (!s.ok()) return s;
  s = base()->RenameFile(from, to);
  if (s.ok()) {
    std::lock_guard l(mu_);
    auto it = synced_size_.find(from.string());
    if (it != synced_size_.end()) {
      synced_size_[to.string()] = it->second;
      synced_size_.erase(it);
    } else {
      synced_size_.erase(to.string());
    }
  }
  return s;
}

Status FaultInjectionFileSystem::DropUnsyncedData() {
  std::lock_guard l(mu_);
  for (const auto& [path, size] : synced_size_) {
    uint64_t actual = 0;
    if (!base()->FileExists(path) || !base()->GetFileSize(path, &actual).ok()) continue;
    if (actual > size && ::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      return Status::FromErrno(fmt::format("{}: truncate to {}", path, size), errno);
    }
  }
  return Status::OK();
}

}  // namespace lsm::testutil
