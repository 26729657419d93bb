#include "step5_lsm/filename.h"

#include <fmt/format.h>

namespace lsm {

std::filesystem::path TableFileName(const std::filesystem::path& dir, uint64_t number) {
  return NumberedFileName(dir, number, "ldb");
}
std::filesystem::path SSTTableFileName(const std::filesystem::path& dir, uint64_t number) {
  return NumberedFileName(dir, number, "sst");
}
std::filesystem::path DescriptorFileName(const std::filesystem::path& dir, uint64_t number) {
  return dir / fmt::format("MANIFEST-{:06d}", number);
}
std::filesystem::path CurrentFileName(const std::filesystem::path& dir) { return dir / "CURRENT"; }
std::filesystem::path LockFileName(const std::filesystem::path& dir) { return dir / "LOCK"; }
std::filesystem::path TempFileName(const std::filesystem::path& dir, uint64_t number) {
  return NumberedFileName(dir, number, "dbtmp");
}
std::filesystem::path InfoLogFileName(const std::filesystem::path& dir) { return dir / "LOG"; }
std::filesystem::path OldInfoLogFileName(const std::filesystem::path& dir) {
  return dir / "LOG.old";
}

bool ParseFileName(std::string_view name, uint64_t* number, FileType* type) {
  if (name == "CURRENT") {
    *number = 0;
    *type = FileType::kCurrentFile;
  } else if (name == "LOCK") {
    *number = 0;
    *type = FileType::kDBLockFile;
  } else if (name == "LOG" || name == "LOG.old") {
    *number = 0;
    *type = FileType::kInfoLogFile;
  } else if (name.starts_with("MANIFEST-")) {
    if (!ParseFileNumber(name.substr(9), number)) return false;
    *type = FileType::kDescriptorFile;
  } else {
    std::string_view suffix;
    if (!ParseNumberedFileName(name, number, &suffix)) return false;
    if (suffix == "log") {
      *type = FileType::kLogFile;
    } else if (suffix == "ldb" || suffix == "sst") {
      *type = FileType::kTableFile;
    } else if (suffix == "dbtmp") {
      *type = FileType::kTempFile;
    } else {
      return false;
    }
  }
  return true;
}

Status SetCurrentFile(FileSystem* fs, const std::filesystem::path& dir,
                      uint64_t descriptor_number) {
  const std::string contents =
      DescriptorFileName(dir, descriptor_number).filename().string() + "\n";
  return WriteFileAtomically(fs, contents, CurrentFileName(dir),
                             TempFileName(dir, descriptor_number));
}

}  // namespace lsm
