#include "common/mmap_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

namespace lsm {

namespace {

Status MapError(const std::filesystem::path& path, std::string_view what, int err) {
  return Status::FromErrno(fmt::format("{}: {}", path.string(), what), err);
}

}  // namespace

Status MmapFile::Open(const std::filesystem::path& path, std::unique_ptr<MmapFile>* result) {
  // Only regular files, as FileSystem::Default() (common/file.h): a device has no size to map
  // and opening a FIFO would wait for a writer, so look before opening, then check again.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return MapError(path, "open", errno);
  if (!S_ISREG(st.st_mode)) return Status::IOError("{} is not a regular file", path.string());
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return MapError(path, "open", errno);
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return MapError(path, "fstat", err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IOError("{} is not a regular file", path.string());
  }
  const auto size = static_cast<size_t>(st.st_size);
  void* base = nullptr;
  if (size > 0) {
    base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      return MapError(path, fmt::format("mmap of {} bytes", size), err);
    }
  }
  ::close(fd);  // the map keeps the file's pages reachable on its own
  result->reset(new MmapFile(path, static_cast<const char*>(base), size));
  return Status::OK();
}

MmapFile::~MmapFile() {
  if (base_ != nullptr) ::munmap(const_cast<char*>(base_), size_);
}

Status MmapFile::Read(uint64_t offset, size_t n, char* /*scratch*/,
                      std::string_view* result) const {
  if (offset >= size_) {  // like pread: nothing to read at or past the end
    *result = {};
    return Status::OK();
  }
  *result = std::string_view(base_ + offset, std::min<uint64_t>(n, size_ - offset));
  return Status::OK();
}

}  // namespace lsm
