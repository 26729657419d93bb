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

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "common/comparator.h"
#include "common/status.h"
#include "common/file.h"
#include "common/value_type.h"
#include "step4_sstable/format.h"

namespace lsm {

class EventListener;
class Flags;
class Snapshot;

// How the background work shapes the tree. Every style keeps the same on-disk layout — a list
// of sorted runs, each one level-0 file or one whole level >= 1 of disjoint files, newer runs
// at smaller level numbers (newer L0 files with larger numbers) — which is exactly what
// LevelDB 1.23 reads, so LevelDB opens a database written in any style, and a database may be
// reopened in another style (each policy takes the layout as it finds it).
//   kLeveled      LevelDB's policy: L1+ each hold a byte budget (10x per level); a compaction
//                 merges part of one level into the overlapping part of the next.
//   kTiered       RocksDB's universal compaction (Options::universal): whole runs, adjacent
//                 in time, are merged by size ratio or when space amplification is too high.
//   kLazyLeveled  Dostoevsky's lazy leveling: tiered merges among every run but the oldest
//                 (the largest level), which is kept one run at least
//                 lazy_leveling_size_ratio times larger than everything above it.
enum class CompactionStyle { kLeveled, kTiered, kLazyLeveled };
// Every style, the default (leveled) first.
inline constexpr std::array<CompactionStyle, 3> kCompactionStyles = {
    CompactionStyle::kLeveled, CompactionStyle::kTiered, CompactionStyle::kLazyLeveled};

// "leveled", "tiered", "lazy-leveled".
std::string_view CompactionStyleName(CompactionStyle style);
// Parses a name printed by CompactionStyleName into *style; InvalidArgument listing the valid
// names otherwise.
Status ParseCompactionStyle(std::string_view name, CompactionStyle* style);
// Adds --style (leveled, tiered or lazy-leveled; ParseCompactionStyle) to *flags, stored into
// *style: the one --style of the step 5 tour, the demo, the crash writer and the benchmarks.
void AddCompactionStyleFlag(Flags* flags, CompactionStyle* style);

// RocksDB's CompactionOptionsUniversal (include/rocksdb/universal_compaction.h) with its
// defaults, plus its level0_file_num_compaction_trigger. Used by kTiered and kLazyLeveled.
// Intentionally copyable.
struct UniversalCompactionOptions {
  // Percent: a candidate set of runs absorbs the next older run while the set's bytes x
  // (100 + size_ratio) / 100 >= that run's bytes.
  int size_ratio = 1;
  // Fewest and most runs one size-ratio merge takes.
  int min_merge_width = 2;
  int max_merge_width = std::numeric_limits<int>::max();
  // Merge every run once the bytes of all runs but the oldest exceed this percent of the
  // oldest's bytes (kTiered only; kLazyLeveled uses 100 / lazy_leveling_size_ratio).
  int max_size_amplification_percent = 200;
  // Compact once there are this many sorted runs (RocksDB's
  // level0_file_num_compaction_trigger). Below kL0StopWritesTrigger (12), so that a stopped
  // writer always has a compaction to wait for.
  int run_compaction_trigger = 4;
};

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
  // The compaction policy (see CompactionStyle). Not stored in the database: any style opens
  // a database written in any other.
  CompactionStyle compaction_style = CompactionStyle::kLeveled;
  // kTiered and kLazyLeveled: RocksDB's universal-compaction knobs.
  UniversalCompactionOptions universal;
  // kLazyLeveled: T, the size ratio between the largest level and all the runs above it.
  int lazy_leveling_size_ratio = 10;
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
  static constexpr int kMaxRunCompactionTrigger = 11;  // < kL0StopWritesTrigger
  static constexpr int kMaxSizeRatio = 1000000;
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
