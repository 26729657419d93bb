// Our BenchEngine adapter's link to step 5's compaction styles and its "lsm.amplification"
// property (step5_lsm/options.h, step5_lsm/db.h), used by bench/lib/ours_engine.cc only: so the
// engine-neutral code of db_bench and the compaction lab sees a style as a name
// (EngineOptions::compaction_style) and the counters as EngineCounters, never step 5's types.
// (The compaction model, bench/compaction_model, names step 5's API itself: it replays its
// policies.)
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

#include "bench/lib/engine.h"

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
