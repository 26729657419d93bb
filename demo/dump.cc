// DumpFile: picks the dump by the file's name (LevelDB's naming, step5_lsm/filename.h).
#include <fmt/format.h>

#include "demo/dump.h"
#include "step5_lsm/filename.h"

namespace lsm::demo {

Status DetectDumpKind(const std::filesystem::path& path, DumpKind* kind) {
  const std::string name = path.filename().string();
  uint64_t number = 0;
  FileType type;
  if (ParseFileName(name, &number, &type)) {
    switch (type) {
      case FileType::kLogFile: *kind = DumpKind::kLog; return Status::OK();
      case FileType::kTableFile: *kind = DumpKind::kTable; return Status::OK();
      case FileType::kDescriptorFile: *kind = DumpKind::kManifest; return Status::OK();
      case FileType::kCurrentFile: *kind = DumpKind::kCurrent; return Status::OK();
      default: break;
    }
  }
  return Status::InvalidArgument(
      "{}: cannot tell the kind of file from its name (want NNNNNN.log, NNNNNN.ldb, NNNNNN.sst, "
      "MANIFEST-NNNNNN or CURRENT)", path.string());
}

Status DumpFile(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
                const DumpOptions& options) {
  DumpKind kind;
  Status s = DetectDumpKind(path, &kind);
  if (!s.ok()) return s;
  switch (kind) {
    case DumpKind::kLog: return DumpLog(fs, path, out, options);
    case DumpKind::kTable: return DumpTable(fs, path, out, options);
    case DumpKind::kManifest: return DumpManifest(fs, path, out, options);
    case DumpKind::kCurrent: {
      std::string contents;
      s = ReadFileToString(fs, path, &contents, kMaxCurrentBytes);
      if (!s.ok()) return s;
      out(fmt::format("CURRENT: names {}\n", DumpBytes(contents)));
      if (contents.empty() || contents.back() != '\n') {
        return Status::Corruption("{}: CURRENT does not end in a newline at offset {}",
                                  path.string(), contents.size());
      }
      return Status::OK();
    }
  }
  return Status::OK();
}

}  // namespace lsm::demo
