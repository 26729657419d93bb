// MmapFile: a RandomAccessFile over a read-only memory map of a whole file, for files that
// never change once written (tables).
//
//   Read(offset, n)  ->  a view of the map at [offset, offset+n): no system call, no copy.
//
// A pread() of a 4 KiB block costs a system call and a copy out of the page cache; reading a
// mapped file is a memory access. LevelDB 1.23 maps up to 1000 table files on 64-bit systems
// for the same reason. Callers that know the file is mapped can use contents() directly and
// keep views into it for as long as the MmapFile lives.
//
// This lives beside FileSystem, not inside it: only the real POSIX file system can map, so a
// caller maps only when it uses FileSystem::Default() and otherwise goes through
// FileSystem::NewRandomAccessFile (so a fault-injecting file system still sees every read).
//
// Invariants: the file's size is fixed at Open(); the map covers exactly those bytes.
// Thread-safety: immutable after Open(); any number of threads may read at once.
// Lifetimes: views returned by Read()/contents() are valid until the MmapFile is destroyed.
// Simplifications: no cap on how many files are mapped; the caller bounds that (a table cache).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/file.h"

namespace lsm {

class MmapFile final : public RandomAccessFile {
 public:
  // Maps the whole file at path read-only. IOError (naming the file) if it cannot.
  static Status Open(const std::filesystem::path& path, std::unique_ptr<MmapFile>* result);

  ~MmapFile() override;
  MmapFile(const MmapFile&) = delete;
  MmapFile& operator=(const MmapFile&) = delete;

  // Sets *result to a view of the map (fewer bytes at the end of the file). scratch is unused.
  Status Read(uint64_t offset, size_t n, char* scratch, std::string_view* result) const override;
  const std::filesystem::path& path() const override { return path_; }

  // The whole file.
  std::string_view contents() const { return {base_, size_}; }

 private:
  MmapFile(std::filesystem::path path, const char* base, size_t size)
      : path_(std::move(path)), base_(base), size_(size) {}

  const std::filesystem::path path_;
  const char* const base_;  // nullptr for an empty file (nothing to map)
  const size_t size_;
};

}  // namespace lsm
