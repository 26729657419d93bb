// Step 5's compaction styles and "lsm.amplification" for our BenchEngine (see ours_styles.h):
// the property's fields (ParseAmplificationProperty, amplification.h) renamed to the
// engine-neutral EngineCounters names.
#include "bench/lib/ours_styles.h"

#include <optional>

#include "bench/lib/amplification.h"
#include "step5_lsm/db.h"
#include "step5_lsm/options.h"

namespace lsm::bench {

std::vector<std::string> OurCompactionStyles() {
  std::vector<std::string> names;
  for (CompactionStyle s : kCompactionStyles) {
    names.emplace_back(CompactionStyleName(s));
  }
  return names;
}

std::string ApplyOurCompactionStyle(std::string_view name, Options* options) {
  Status s = ParseCompactionStyle(name, &options->compaction_style);
  return s.ok() ? "" : s.ToString();
}

bool ReadOurAmplification(DB* db, EngineCounters* counters) {
  std::string text;
  if (!db->GetProperty("lsm.amplification", &text)) return false;
  const AmplificationFields p = ParseAmplificationProperty(text);
  auto copy = [&](const std::string& from, const std::string& to) {
    if (auto it = p.find(from); it != p.end()) (*counters)[to] = it->second;
  };
  copy("table-bytes", "table_bytes");
  copy("flush-bytes", "flush_bytes");
  copy("compaction-bytes", "compaction_bytes");
  copy("log-bytes", "log_bytes");
  if (p.contains("stall.slowdown-micros") && p.contains("stall.stop-micros")) {
    (*counters)["stall_micros"] = p.at("stall.slowdown-micros") + p.at("stall.stop-micros");
  }
  if (p.contains("stall.slowdowns") && p.contains("stall.stops")) {
    (*counters)["stall_count"] = p.at("stall.slowdowns") + p.at("stall.stops");
  }
  // Per-kind averages since Open, turned back into totals (ops x per-op, rounded to 0.01 per
  // op by the property) so the lab can take differences around each read phase.
  auto total = [&](const std::string& kind, const std::string& per_op) -> std::optional<double> {
    auto ops = p.find(kind + ".ops"), v = p.find(kind + "." + per_op);
    if (ops == p.end() || v == p.end()) return std::nullopt;
    return ops->second * v->second;
  };
  for (auto [from, to] : {std::pair{"runs/op", "get.tables"}, {"filters/op", "get.filters"},
                          {"blocks/op", "get.blocks"}, {"cache-hits/op", "get.cache_hits"}}) {
    auto hit = total("point-hit", from), miss = total("point-miss", from);
    if (hit && miss) (*counters)[to] = *hit + *miss;
  }
  copy("mini-lsm.write-amp", "minilsm.write_amp");
  copy("mini-lsm.space-amp", "minilsm.space_amp");
  if (auto runs = total("scan", "runs/op")) (*counters)["scan.runs"] = *runs;
  if (auto tables = total("scan", "tables-opened/op")) (*counters)["scan.tables"] = *tables;
  if (auto blocks = total("scan", "blocks/op")) (*counters)["scan.blocks"] = *blocks;
  copy("background.micros", "background_micros");
  copy("background.table-bytes", "background_bytes");
  return true;
}

}  // namespace lsm::bench
