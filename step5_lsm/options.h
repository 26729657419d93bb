// Options for opening a database, and the per-read / per-write knobs.
//
// Example:
//   Options options{.create_if_missing = true, .write_buffer_size = 1 << 20};
//   std::unique_ptr<DB> db;
//   Status s = DB::Open(options, "/tmp/mydb", &db);
//   s = db->Put(WriteOptions{.sync = true}, "k", "v");
//   std::string v;
//   s = db->Get(ReadOptions{}, "k", &v);
//
// Defaults follow LevelDB 1.23 except where noted. Intentionally copyable (settings and
// non-owning pointers, which must outlive the DB).
// Simplifications: no custom Env/Logger/Cache objects; the block cache is sized by a number.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/comparator.h"
#include "common/status.h"
#include "common/file.h"
#include "common/value_type.h"
#include "step4_sstable/format.h"

namespace lsm {

class EventListener;
class Snapshot;

struct Options {
  // Key order. Its Name() is stored in the MANIFEST; reopening with another name fails.
  const Comparator* comparator = BytewiseComparator();
  bool create_if_missing = false;
  bool error_if_exists = false;
  // Fail Open (and reads) on any detected corruption instead of skipping the damage.
  bool paranoid_checks = false;
  // Where the files live.
  FileSystem* fs = FileSystem::Default();
  // Bytes of memtable before it is frozen and flushed to a level-0 table.
  size_t write_buffer_size = 4 * 1048576;
  // Table files kept open at once (the table cache holds max_open_files - 10).
  int max_open_files = 1000;
  // Memory-map open table files and read their blocks in place (LevelDB 1.23 does so for up
  // to 1000 tables on 64-bit). Used only with FileSystem::Default(); any other FileSystem
  // (e.g. a fault-injecting one) gets every read through NewRandomAccessFile.
  bool mmap_tables = true;
  // Bytes of uncompressed data blocks cached, shared by all tables (0 disables the cache).
  size_t block_cache_bytes = 8 * 1048576;
  // Target size of the table files a compaction writes (LevelDB's max_file_size). A
  // compaction output also ends once it overlaps 10x this in the level below its output, and
  // a compaction grows its inputs only while they stay under 25x this.
  uint64_t max_file_size = 2 * 1048576;
  // Bytes level 1 may hold before it is compacted into level 2; each deeper level may hold 10x
  // the level above (RocksDB's max_bytes_for_level_base; LevelDB fixes it at 10 MiB).
  uint64_t max_bytes_for_level_base = 10 * 1048576;
  // Approximate uncompressed bytes per data block.
  size_t block_size = 4096;
  int block_restart_interval = 16;
  // Snappy when this build has it (LevelDB's default); otherwise stored raw.
  CompressionType compression = CompressionType::kSnappy;
  // Bloom filter bits per key in every table; 0 writes no filter. (LevelDB defaults to no
  // filter; 10 costs 1.25 bytes a key and saves a block read on ~99% of absent keys.)
  int bloom_bits_per_key = 10;
  // Default durability of Put/Delete/Write without WriteOptions (see WriteOptions::sync).
  bool sync = false;
  // Told about flushes and compactions (from the background thread); may be null.
  EventListener* listener = nullptr;
};

// The range DB::Open accepts for each option (ValidateOptions). Wider than LevelDB's
// SanitizeOptions, which silently clips write_buffer_size to [64 KiB, 1 GiB] and max_file_size
// to [1 MiB, 1 GiB]: small values are how the tests drive data deep into the tree, so here an
// out-of-range value is an InvalidArgument naming the option and its range, never a clip.
struct OptionLimits {
  static constexpr size_t kMinWriteBufferSize = 1024;
  static constexpr size_t kMaxWriteBufferSize = size_t{1} << 30;
  static constexpr int kMinOpenFiles = 10;
  static constexpr int kMaxOpenFiles = 1 << 20;
  static constexpr uint64_t kMinFileSize = 1024;
  static constexpr uint64_t kMaxFileSize = uint64_t{1} << 32;
  static constexpr uint64_t kMinLevelBase = 1024;
  static constexpr uint64_t kMaxLevelBase = uint64_t{1} << 40;  // x10^5 at L6 still fits
  static constexpr size_t kMinBlockSize = 64;
  static constexpr size_t kMaxBlockSize = size_t{4} << 20;
  static constexpr int kMaxRestartInterval = 1 << 16;
  static constexpr int kMaxBloomBitsPerKey = 100;
  static constexpr size_t kMaxBlockCacheBytes = size_t{1} << 40;
};

// OK, or InvalidArgument naming the first option outside OptionLimits (or a null pointer).
Status ValidateOptions(const Options& options);

struct WriteOptions {
  // fsync the log before the write returns: the write survives power loss. Without it, it
  // survives a process crash (the bytes are in the OS) but maybe not a machine crash.
  bool sync = false;
};

// Per-read knobs of DB::Get and DB::NewIterator. (The table reader's own, narrower knobs are
// step 4's TableReadOptions; the DB turns these into those.)
struct ReadOptions {
  // Read as of this snapshot (from DB::GetSnapshot); null = the latest state.
  const Snapshot* snapshot = nullptr;
  // Keep blocks read for this operation in the block cache (turn off for bulk scans).
  bool fill_cache = true;
  // Check the CRC32C of the table blocks this read touches, so damaged bytes are reported
  // (Corruption) instead of returned. On by default, unlike LevelDB (off): it is cheap here
  // because a block read in place from a memory-mapped table is checked only the first time
  // (step4_sstable/table_reader.h), and a block in the block cache was checked when it was
  // read. Options::paranoid_checks forces it on; compactions always check.
  bool verify_checksums = true;
};

}  // namespace lsm
