// The one place the benchmarks name step 5's compaction-style API and its "lsm.amplification"
// property (step5_lsm/options.h, step5_lsm/db.h): if either is renamed, only ours_styles.cc
// changes. Used by our BenchEngine adapter (bench/db_bench/ours_engine.cc).
//
// Example:
//   Options options;
//   if (std::string err = ApplyOurCompactionStyle("tiered", &options); !err.empty()) Fail(err);
//   ...
//   EngineCounters c;
//   ReadOurAmplification(db, &c);   // c["table_bytes"], c["get.tables"], ...
//
// Thread-safety: the functions are as thread-safe as DB::GetProperty (fully).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bench/db_bench/engine.h"

namespace lsm {
class DB;
struct Options;
}  // namespace lsm

namespace lsm::bench {

// The compaction styles our engine offers, leveled (the default) first.
std::vector<std::string> OurCompactionStyles();

// Sets options->compaction_style from its name. Returns "" on success, else the error (which
// lists the valid names).
std::string ApplyOurCompactionStyle(std::string_view name, Options* options);

// Adds the counters our engine reports about itself (see EngineCounters) to *counters, read
// from "lsm.amplification" (also background_micros and background_bytes: the time the
// flushes and compactions took and the table bytes they wrote, for the compaction model's
// timed replay). Returns false (adding nothing) when the property is
// unknown.
bool ReadOurAmplification(DB* db, EngineCounters* counters);

}  // namespace lsm::bench
