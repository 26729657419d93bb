// ParseAmplificationProperty: the text of our engine's "lsm.amplification" property (format in
// step5_lsm/db.h) as flat "section.name" -> number pairs. The one reader of that text in bench/:
// our BenchEngine adapter (ours_styles.cc, for db_bench and the compaction lab) and the
// compaction model's --compare (bench/compaction_model/report.cc) both call it.
//
//   write-amp 4.61 table-bytes 535003101 ...     -> "write-amp" 4.61, "table-bytes" 535003101
//   read point-hit: ops 1000 runs/op 2.31 ...    -> "point-hit.ops" 1000, "point-hit.runs/op" 2.31
//   stall: slowdowns 3 slowdown-micros 3400 ...  -> "stall.slowdowns" 3, ...
//   mini-lsm: write-amp 1.90 (files 19 / flushes 10) ...  -> "mini-lsm.write-amp", "mini-lsm.files"
//
// A line is "name number" pairs, optionally led by a section ("read <kind>:" or "<section>:");
// parentheses, "/" and "+" between pairs are skipped, and so is a name without a number after
// it ("style leveled"), so a new field or a reordered line breaks nothing here.
// Thread-safety: a pure function.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace lsm::bench {

using AmplificationFields = std::map<std::string, double>;

AmplificationFields ParseAmplificationProperty(std::string_view text);

}  // namespace lsm::bench
