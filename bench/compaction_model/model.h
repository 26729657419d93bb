// The compaction model: step 5's compaction policies replayed over file metadata only.
//
// A workload (N puts of 16-byte db_bench keys and value_size-byte values over a key space of
// K keys, uniform or skewed) becomes a sequence of flushed tables, each described only by its
// entry count, bytes and key range. Each table is added to a real `Version` (built with the
// real VersionBuilder from FileMetaData), and the engine's own pure pickers choose the
// compactions (PickCompactionForStyle, step5_lsm/compaction_picker.h, which VersionSet calls
// too; PickLevelForMemTableOutput for a leveled flush; AddTrivialMove for a trivial move). A
// compaction is not run but *estimated*:
//
//   key space  0 ................................................ K
//   a file     [lo ............ hi]  density d(x) = P(key x is in the file), piecewise constant
//   the union  d = 1 - prod_i (1 - d_i)   (keys of different files are independent draws)
//   outputs    cut where the union's bytes reach max_file_size, or where the output has
//              passed 10 x max_file_size of grandparent bytes (the real
//              Compaction::ShouldStopBefore, called at each grandparent boundary)
//
// Bytes per entry are calibrated once, before the replay, with the real step 3 MemTable (how
// many puts fill a write buffer) and the real step 4 TableBuilder (the bytes one flush writes,
// and the bytes per entry of tables whose keys are 1, 2, 4, ... apart, since prefix
// compression depends on the gap between neighbouring keys). That is the only place data is
// touched: a few small tables, milliseconds.
//
// Example:
//   ModelConfig config{.style = CompactionStyle::kTiered};
//   Workload w{.num = 1000000, .keys = 1000000};
//   ModelResult r = RunModel(w, config);
//   fmt::print("{}", FormatResult(w, config, r));
//
// Thread-safety: none needed (everything is local to one RunModel call).
// The fill's tables hold disjoint key sets (each key is put once), so their presence adds up;
// the random puts' tables are independent draws, so theirs combine as 1 - prod(1 - d_i). A
// piece of key space therefore carries the fill's density and, per class of keys (hot, cold:
// scattered hot keys share the key space with cold ones), the random puts' density.
// Simplifications: no deletes (so no tombstones; shadowed versions are dropped as the engine
// does with no snapshots); compactions keep up with writes unless the timed replay is asked
// for (ModelConfig::put_rate, background_rate), which then has them take time and fall
// behind as the engine's background thread may; no seek-triggered compactions (no reads).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "step5_lsm/compaction.h"
#include "step5_lsm/options.h"
#include "step5_lsm/version.h"

namespace lsm::model {

// What the user writes: `num` puts of key i = MakeKey(k) (16 digits) for random k in [0, keys),
// after an optional fill that puts every key once. Intentionally copyable.
//
// The compaction lab's workload (bench/compaction_lab) is
//   Workload{.num = N, .keys = N, .skewed = true, .scattered = true, .fill_first = true}
// fillrandom (every key once, shuffled), then N overwrites, 80% of them to a hot 20% of the
// keys spread over the whole key space.
struct Workload {
  int64_t num = 1000000;
  int64_t keys = 1000000;
  int64_t value_size = 100;
  // false: every key equally likely. true: hot_ops_percent of the puts go to hot_keys_percent
  // of the keys: the first ones, or (scattered) keys spread over the key space by a stride.
  bool skewed = false;
  uint64_t seed = 301;
  bool scattered = false;
  // Before the `num` puts: every key of [0, keys) once, in a shuffled order.
  bool fill_first = false;
  int hot_ops_percent = 80;
  int hot_keys_percent = 20;

  uint64_t HotKeys() const;  // how many keys are hot (at least 1)
  uint64_t FillPuts() const { return fill_first ? static_cast<uint64_t>(keys) : 0; }
  uint64_t TotalPuts() const { return FillPuts() + static_cast<uint64_t>(num); }
};

// The engine options the model honours (the same names as lsm::Options). Copyable.
struct ModelConfig {
  CompactionStyle style = CompactionStyle::kLeveled;
  uint64_t write_buffer_size = 4 * 1048576;
  uint64_t max_file_size = 2 * 1048576;
  uint64_t max_bytes_for_level_base = 10 * 1048576;
  UniversalCompactionOptions universal;
  int lazy_leveling_size_ratio = 10;
  // The engine's default; the benchmarks run uncompressed (kNone).
  CompressionType compression = CompressionType::kSnappy;
  // Flush the puts left in the memtable at the end (the lab's settle does; Run's default
  // leaves them in memory, as a database that is still open does).
  bool flush_at_end = false;
  // The timed replay: with both > 0, one writer putting `put_rate` puts per second and one
  // background thread writing `background_rate` table bytes per second of work, so the
  // compactions can fall behind the flushes as the engine's do (more L0 files per L0
  // compaction, write stalls). 0: every compaction runs as soon as it is due and takes no
  // time (compactions always keep up; the engine run with --paced).
  double put_rate = 0;
  double background_rate = 0;

  // The compaction lab's settings: uncompressed, and the memtable flushed at the end.
  void UseLabSettings() {
    compression = CompressionType::kNone;
    flush_at_end = true;
  }

  // The engine options these stand for (compression, bloom and block sizes at their defaults).
  Options ToOptions() const;
  CompactionLimits Limits() const {
    return CompactionLimits{.target_file_size = max_file_size,
                            .max_bytes_for_level_base = max_bytes_for_level_base};
  }
};

// Sets config->style from the engine's name for it ("leveled", "tiered", "lazy-leveled"), so a
// caller need not name step 5's API. InvalidArgument (listing the names) when unknown.
Status SetStyle(std::string_view name, ModelConfig* config);

// The key a workload's random number generator picks next for one of the `num` puts: the
// model's calibration, its engine run (RunEngine) and the compaction lab's overwrites all draw
// with it. Scattered: the hot or any key by rank, times a stride coprime to `keys`
// (ScatterStride).
uint64_t NextKeyIndex(const Workload& w, Random* rnd);
// The stride NextKeyIndex scatters ranks with: the first number >= keys/3 + 1 coprime to keys.
uint64_t ScatterStride(uint64_t keys);
// The fill's order: a permutation of [0, keys) from a Fisher-Yates shuffle seeded with seed.
std::vector<uint32_t> ShuffledKeys(uint64_t keys, uint64_t seed);

// The FileMetaData the model gives a table with these user-key bounds (the smallest key with
// the largest sequence number, the largest with sequence 0, so bounds compare by user key).
std::shared_ptr<FileMetaData> MakeFileMeta(uint64_t number, uint64_t file_size,
                                           std::string_view smallest_user_key,
                                           std::string_view largest_user_key);


// Everything the replay counts. Bytes are table-file bytes unless named otherwise.
struct ModelResult {
  // Calibration.
  uint64_t entries_per_flush = 0;
  uint64_t bytes_per_flush = 0;
  // Work.
  uint64_t user_bytes = 0;  // TotalPuts() x (16 + value_size): the fill's puts count too
  uint64_t flushes = 0;
  uint64_t flush_bytes = 0;
  uint64_t compaction_bytes = 0;
  uint64_t compactions = 0;  // not counting trivial moves
  uint64_t trivial_moves = 0;
  uint64_t table_files_written = 0;  // flushes + compaction outputs (mini-lsm's numerator)
  uint64_t max_live_files = 0;
  // The final tree.
  uint64_t live_bytes = 0;
  uint64_t live_files = 0;
  double unique_entries = 0;         // expected distinct keys over all live tables
  uint64_t unique_bytes = 0;         // those keys as one sorted run
  uint64_t engine_compacted_estimate = 0;
  int l0_files = 0;
  int nonempty_levels = 0;
  int sorted_runs = 0;
  double tables_per_miss = 0;  // tables whose range holds a random absent key (filters probed)
  double tables_per_hit = 0;   // tables probed, newest first, until a live key is found
  // The timed replay only: the writer's predicted clock at the last put, and the part of it
  // spent in slowdowns and stops.
  double writer_seconds = 0;
  double stall_seconds = 0;
  std::string level_summary;   // Version::LevelSummary()
  std::string level_bytes;     // "L0 3.1 MiB, L1 9.9 MiB, ..."
  double seconds = 0;

  double WriteAmp() const;          // (flush + compaction bytes) / user bytes
  double SpaceAmp() const;          // live bytes / unique bytes
  double EngineSpaceAmp() const;    // live bytes / engine_compacted_estimate (engine's SA)
  double MiniLsmWriteAmp() const;   // table files written / flushes
  double MiniLsmSpaceAmp() const;   // max live files / flushes
  int MiniLsmReadAmp() const { return l0_files + nonempty_levels; }
};

// Replays the workload's flushes through config's policy.
ModelResult RunModel(const Workload& workload, const ModelConfig& config);

// The textbook closed-form estimates for this workload and tree, one line per style ("WA ~
// T*L/2 = 15.0"): step5_lsm/compaction-reference.md derives them (the amplification formulas:
// leveling and tiering with size ratio T and L levels; lazy leveling).
std::string ClosedFormEstimates(const ModelConfig& config, const ModelResult& r);

// The report table for one style.
std::string FormatResult(const Workload& workload, const ModelConfig& config,
                         const ModelResult& r);

// What the real engine measured (lsm.amplification), for --compare.
struct EngineResult {
  double write_amp = 0;
  double space_amp = 0;
  double mini_write_amp = 0;
  double mini_space_amp = 0;
  int mini_read_amp = 0;
  uint64_t flushes = 0;
  uint64_t table_bytes = 0;
  uint64_t user_bytes = 0;
  std::string levels;
  std::string raw;  // the whole property
  double seconds = 0;
};

// Runs the workload on a real lsm::DB (FileSystem::Default(), a fresh directory under dir),
// waits for its background work to finish, and reads lsm.amplification. paced: after each
// put, wait until no flush or compaction is pending (compactions then always keep up, as the
// model assumes). Returns the engine's error, if any.
Status RunEngine(const Workload& workload, const ModelConfig& config, const std::string& dir,
                 bool paced, EngineResult* out);

// Fills *out from lsm.amplification's write-amp, table-bytes, user-bytes, space-amp and
// mini-lsm fields (read by bench/lib/amplification.h); Corruption naming the missing ones.
Status ParseAmplification(const std::string& property, EngineResult* out);

// The compaction_model program: flags, a table per style, and --compare. Returns the exit
// status (2 for bad flags, with the usage on stderr).
int Main(int argc, char** argv);

}  // namespace lsm::model
