// File helpers built only on the FileSystem interface, so they work over any implementation.
#include "common/file.h"

#include <algorithm>
#include <string>

namespace lsm {

Status ReadFileToString(FileSystem* fs, const std::filesystem::path& path, std::string* data,
                        uint64_t max_size) {
  data->clear();
  std::unique_ptr<SequentialFile> file;
  Status s = fs->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  constexpr size_t kChunk = 64 * 1024;
  std::string scratch(kChunk, '\0');
  while (true) {
    // Ask for at most one byte past the limit: enough to tell that the file is too long.
    const uint64_t room = max_size - std::min<uint64_t>(max_size, data->size());
    const size_t want = room >= kChunk ? kChunk : static_cast<size_t>(room) + 1;
    std::string_view piece;
    s = file->Read(want, scratch.data(), &piece);
    if (!s.ok() || piece.empty()) break;
    if (piece.size() > room) {
      return Status::IOError("{} is larger than the limit of {} bytes", path.string(), max_size);
    }
    data->append(piece);
  }
  return s;
}

Status WriteStringToFile(FileSystem* fs, std::string_view data,
                         const std::filesystem::path& path, bool sync) {
  std::unique_ptr<WritableFile> file;
  Status s = fs->NewWritableFile(path, &file);
  if (!s.ok()) return s;
  s = file->Append(data);
  if (s.ok() && sync) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (!s.ok()) (void)fs->RemoveFile(path);  // never leave a half-written file behind
  return s;
}

Status WriteFileAtomically(FileSystem* fs, std::string_view data,
                           const std::filesystem::path& path,
                           const std::filesystem::path& tmp_path) {
  Status s = WriteStringToFile(fs, data, tmp_path, /*sync=*/true);
  if (s.ok()) s = fs->RenameFile(tmp_path, path);
  if (s.ok()) {
    auto dir = path.parent_path();
    s = fs->SyncDir(dir.empty() ? std::filesystem::path(".") : dir);
  } else {
    (void)fs->RemoveFile(tmp_path);
  }
  return s;
}

}  // namespace lsm
