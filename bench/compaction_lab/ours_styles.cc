// Step 5's compaction styles and "lsm.amplification" for the benchmarks (see ours_styles.h).
//
// The property is a few lines of "name value" pairs, some led by a section label (format in
// step5_lsm/db.h):
//   write-amp 4.61 table-bytes 535003101 flush-bytes 118 compaction-bytes 416 user-bytes 116
//   read point-hit: ops 1000 memtable 0 runs/op 2.31 filters/op 2.31 blocks/op 1.02 ...
//   stall: slowdowns 3 slowdown-micros 3400 stops 0 stop-micros 0
// Parse() flattens them to "section.name" -> value ("point-hit.runs/op", "stall.stops",
// "write-amp"), so a new field or a reordered line breaks nothing here.
#include "bench/compaction_lab/ours_styles.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>

#include "step5_lsm/db.h"
#include "step5_lsm/options.h"

namespace lsm::bench {
namespace {

std::map<std::string, double> Parse(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) {
      std::erase_if(w, [](char c) { return c == '(' || c == ')'; });
      if (!w.empty() && w != "/" && w != "+") words.push_back(w);
    }
    size_t i = 0;
    std::string section;
    if (words.size() >= 2 && words[0] == "read") {  // "read point-hit: ..."
      section = words[1];
      i = 2;
    } else if (!words.empty() && words[0].ends_with(':')) {  // "stall: ..."
      section = words[0];
      i = 1;
    }
    if (section.ends_with(':')) section.pop_back();
    for (; i + 1 < words.size(); i += 2) {
      char* end = nullptr;
      const double v = std::strtod(words[i + 1].c_str(), &end);
      if (end != words[i + 1].c_str() && *end == '\0') {
        out[section.empty() ? words[i] : section + "." + words[i]] = v;
      } else {
        --i;  // a word without a number (e.g. "style leveled"): resync on the next word
      }
    }
  }
  return out;
}

}  // namespace

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
  const std::map<std::string, double> p = Parse(text);
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
