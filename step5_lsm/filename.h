// File names inside a database directory, and parsing them back.
//
// One counter (VersionSet::NewFileNumber) numbers every file, so a number names exactly one
// file whatever its kind. The names are LevelDB's, so LevelDB can open our directories:
//
//   000005.log         write-ahead log (step 2's format)
//   000007.ldb         table (step 4's format); "000007.sst" is accepted when reading
//   MANIFEST-000002    the version log: a log file of VersionEdit records
//   CURRENT            one line, "MANIFEST-000002\n": which MANIFEST is live
//   LOCK               held with an fcntl lock while a process has the database open
//   LOG, LOG.old       the human-readable info log
//   000009.dbtmp       a temporary file (the new CURRENT, before its rename)
//
// Example:
//   LogFileName(dir, 5)  == dir / "000005.log"
//   uint64_t n; FileType t;
//   ParseFileName("MANIFEST-000002", &n, &t);   // true, n == 2, t == kDescriptorFile
//
// All functions are pure (except SetCurrentFile) and thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/file.h"
#include "common/status.h"
#include "step2_wal/log_file_name.h"

namespace lsm {

enum class FileType {
  kLogFile,
  kDBLockFile,
  kTableFile,
  kDescriptorFile,
  kCurrentFile,
  kTempFile,
  kInfoLogFile,
};

// LogFileName (NNNNNN.log) comes from step 2: step2_wal/log_file_name.h.
// The name we write tables under: NNNNNN.ldb.
std::filesystem::path TableFileName(const std::filesystem::path& dir, uint64_t number);
// The older name LevelDB still reads: NNNNNN.sst.
std::filesystem::path SSTTableFileName(const std::filesystem::path& dir, uint64_t number);
std::filesystem::path DescriptorFileName(const std::filesystem::path& dir, uint64_t number);
std::filesystem::path CurrentFileName(const std::filesystem::path& dir);
std::filesystem::path LockFileName(const std::filesystem::path& dir);
std::filesystem::path TempFileName(const std::filesystem::path& dir, uint64_t number);
std::filesystem::path InfoLogFileName(const std::filesystem::path& dir);
std::filesystem::path OldInfoLogFileName(const std::filesystem::path& dir);

// Parses a directory entry's name (not a path). Returns false for names that are not ours.
[[nodiscard]] bool ParseFileName(std::string_view name, uint64_t* number, FileType* type);

// Points CURRENT at MANIFEST-<descriptor_number>, atomically (NNNNNN.dbtmp, sync, rename,
// sync dir). After a crash CURRENT names either the old or the new MANIFEST.
Status SetCurrentFile(FileSystem* fs, const std::filesystem::path& dir,
                      uint64_t descriptor_number);

}  // namespace lsm
