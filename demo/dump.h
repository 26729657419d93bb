// lsmdump: the anatomy of one database file, like LevelDB's `leveldbutil dump`.
//
//   NNNNNN.log        every physical record (offset, type, length, checksum) and, for each
//                     complete logical record, the WriteBatch it holds (sequence, puts, deletes)
//   NNNNNN.ldb/.sst   footer, every data block with its decoded internal keys, the filter,
//                     metaindex and index blocks
//   MANIFEST-NNNNNN   every record decoded as a VersionEdit
//   CURRENT           which MANIFEST it names
// The kind comes from the file name (step5_lsm/filename.h), as in LevelDB.
//
// Example:
//   std::string text;
//   Status s = DumpFile(FileSystem::Default(), "/tmp/db/000003.log",
//                       [&](std::string_view part) { text += part; });
//
// Damage does not stop a dump: it is printed where it is met ("!! ...") and the walk goes on
// where it can; the returned Status is then Corruption naming the file and the first bad
// offset. Output is produced incrementally through `out` (called many times, in order).
// Thread-safety: the functions are reentrant; `out` is called from the calling thread only.
// Only regular files are read (FileSystem::Default refuses a link to /dev/zero); a log or
// MANIFEST over kMaxDumpLogBytes, or a CURRENT over kMaxCurrentBytes, is an error, not a dump.
// Simplifications: a log or MANIFEST is read into memory whole (fine for 4 MiB logs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/file.h"
#include "common/status.h"

namespace lsm::demo {

using DumpOutput = std::function<void(std::string_view text)>;

struct DumpOptions {
  // Longer values are cut and shown as  'first bytes'...(N bytes).
  size_t max_value_bytes = 32;
  // Print every entry of every data block (false: only the block lines).
  bool show_entries = true;
};

enum class DumpKind { kLog, kTable, kManifest, kCurrent };

// The largest log or MANIFEST a dump reads (it holds the whole file in memory).
inline constexpr uint64_t kMaxDumpLogBytes = uint64_t{1} << 30;
// The largest CURRENT a dump reads: it is one short line ("MANIFEST-000002\n").
inline constexpr uint64_t kMaxCurrentBytes = 4096;

// Returns the kind a file name denotes; InvalidArgument for names that are none of them.
Status DetectDumpKind(const std::filesystem::path& path, DumpKind* kind);

// Dumps the file whose kind the name tells (see above).
Status DumpFile(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
                const DumpOptions& options = {});

Status DumpLog(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
               const DumpOptions& options = {});
Status DumpManifest(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
                    const DumpOptions& options = {});
Status DumpTable(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
                 const DumpOptions& options = {});

// 'bytes' with unprintable bytes as \xNN, cut after max_bytes as 'abc'...(N bytes).
std::string DumpBytes(std::string_view bytes, size_t max_bytes = 64);

}  // namespace lsm::demo
