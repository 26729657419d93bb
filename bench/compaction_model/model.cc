#include "bench/compaction_model/model.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "step3_memtable/memtable.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/format.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_options.h"
#include "step5_lsm/lazy_leveled_policy.h"
#include "step5_lsm/tiered_policy.h"

namespace lsm::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Ratio(double a, double b) { return b == 0 ? 0.0 : a / b; }

// A piece of the key space [lo, hi) where every key is present with probability d.
struct Seg {
  double lo, hi, d;
};

// What the model knows of one table besides its FileMetaData: its entries and where they are.
struct FileState {
  double entries = 0;     // entries stored (a flushed table keeps every version it got)
  std::vector<Seg> segs;  // presence probability, sorted, disjoint
  int64_t lo = 0, hi = 0;  // user-key range as key indices (inclusive)
};

// A piece of the workload's key distribution: keys [lo, hi) get `weight` of the puts.
struct Piece {
  double lo, hi, weight;
};

std::vector<Piece> Pieces(const Workload& w) {
  const double k = static_cast<double>(w.keys);
  if (!w.skewed || w.keys < 5) return {{0, k, 1.0}};
  const double hot = static_cast<double>(std::max<int64_t>(1, w.keys / 5));
  return {{0, hot, 0.8}, {hot, k, 0.2}};
}

// A WritableFile that only counts (the calibration tables are never kept).
class CountingFile final : public WritableFile {
 public:
  Status Append(std::string_view data) override {
    size_ += data.size();
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  const std::filesystem::path& path() const override { return path_; }

 private:
  uint64_t size_ = 0;
  std::filesystem::path path_ = "calibration";
};

// Bytes per table entry, measured once with the real MemTable and TableBuilder.
struct Calibration {
  uint64_t entries_per_flush = 0;
  uint64_t flush_bytes = 0;
  std::vector<std::pair<double, double>> points;  // (log2 of the key gap, bytes per entry)
  double finish_ratio = 1.0;  // final table bytes / data bytes when the builder is cut
  double overshoot = 0;       // mean bytes past max_file_size before a cut is noticed

  // Bytes per entry of a table whose keys are present with probability d.
  double BytesPerEntry(double d) const {
    const double x = std::log2(1.0 / std::clamp(d, 1e-12, 1.0));
    if (x <= points.front().first) return points.front().second;
    for (size_t i = 1; i < points.size(); ++i) {
      if (x <= points[i].first) {
        const auto [x0, y0] = points[i - 1];
        const auto [x1, y1] = points[i];
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
      }
    }
    return points.back().second;
  }
  // Bytes an output reaches before CompactionJob cuts it.
  double CutBytes(uint64_t max_file_size) const {
    return static_cast<double>(max_file_size) * finish_ratio + overshoot;
  }
};

struct TableSetup {
  explicit TableSetup(const InternalKeyComparator* icmp)
      : bloom(NewBloomFilterPolicy(10)), filter(bloom.get()) {
    options.comparator = icmp;
    options.compression = SnappySupported() ? CompressionType::kSnappy : CompressionType::kNone;
    options.filter_policy = &filter;
  }
  std::unique_ptr<const FilterPolicy> bloom;
  InternalFilterPolicy filter;
  TableOptions options;
};

Calibration Calibrate(const Workload& w, const ModelConfig& config,
                      const InternalKeyComparator& icmp) {
  Calibration cal;
  TableSetup setup(&icmp);
  ValueGenerator values(w.seed);
  const size_t value_size = static_cast<size_t>(w.value_size);
  {
    // One write buffer of the workload's own puts (the engine's first memtable, exactly).
    MemTable mem(icmp);
    Random rnd(w.seed);
    SequenceNumber seq = 0;
    do {
      mem.Add(++seq, ValueType::kValue, MakeKey(NextKeyIndex(w, &rnd)), values.Next(value_size));
    } while (mem.ApproximateMemoryUsage() <= config.write_buffer_size);
    cal.entries_per_flush = seq;
    CountingFile file;
    TableBuilder builder(setup.options, &file);
    auto it = mem.NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) builder.Add(it->key(), it->value());
    (void)builder.Finish();
    cal.flush_bytes = builder.FileSize();
  }
  // Tables whose keys are 1, 2, 4, ... apart, up to twice a flush's gap.
  const double flush_gap =
      static_cast<double>(w.keys) / static_cast<double>(cal.entries_per_flush);
  constexpr int kEntries = 4000;
  for (uint64_t gap = 1;; gap *= 2) {
    CountingFile file;
    TableBuilder builder(setup.options, &file);
    const uint64_t base = static_cast<uint64_t>(w.keys) / 3;
    uint64_t data_bytes = 0;
    for (int i = 0; i < kEntries; ++i) {
      std::string key;
      AppendInternalKey(&key, MakeKey(base + gap * static_cast<uint64_t>(i)),
                        static_cast<SequenceNumber>(i + 1), ValueType::kValue);
      builder.Add(key, values.Next(value_size));
    }
    data_bytes = builder.FileSize();
    (void)builder.Finish();
    const double total = static_cast<double>(builder.FileSize());
    cal.points.emplace_back(std::log2(static_cast<double>(gap)), total / kEntries);
    if (gap == 1) {
      cal.finish_ratio = data_bytes > 0 ? total / static_cast<double>(data_bytes) : 1.0;
      const double data_per_entry = static_cast<double>(data_bytes) / kEntries;
      const double raw_per_entry = 16.0 + 8 + 3 + static_cast<double>(w.value_size);
      // A cut is noticed when a data block is written: on average half a block late.
      cal.overshoot = 0.5 * 4096.0 * data_per_entry / raw_per_entry;
    }
    if (static_cast<double>(gap) > 2 * flush_gap || gap > (uint64_t{1} << 40)) break;
  }
  return cal;
}

std::shared_ptr<FileMetaData> MakeMeta(uint64_t number, uint64_t size, int64_t lo, int64_t hi) {
  return MakeFileMeta(number, size, MakeKey(static_cast<uint64_t>(lo)),
                      MakeKey(static_cast<uint64_t>(hi)));
}

std::string SeekKey(double pos) {
  return std::string(InternalKey(MakeKey(static_cast<uint64_t>(std::ceil(pos))),
                                 kMaxSequenceNumber, kValueTypeForSeek)
                         .Encode());
}

// The union of the files' key presence: d = 1 - prod(1 - d_i), adjacent equal pieces joined.
std::vector<Seg> Union(const std::vector<const FileState*>& files) {
  std::vector<double> bounds;
  for (const FileState* f : files) {
    for (const Seg& s : f->segs) {
      bounds.push_back(s.lo);
      bounds.push_back(s.hi);
    }
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::vector<size_t> at(files.size(), 0);
  std::vector<Seg> out;
  for (size_t j = 0; j + 1 < bounds.size(); ++j) {
    const double a = bounds[j], b = bounds[j + 1], mid = 0.5 * (a + b);
    double absent = 1.0;
    bool covered = false;
    for (size_t i = 0; i < files.size(); ++i) {
      const auto& segs = files[i]->segs;
      while (at[i] < segs.size() && segs[at[i]].hi <= mid) ++at[i];
      if (at[i] < segs.size() && segs[at[i]].lo <= mid) {
        absent *= 1.0 - segs[at[i]].d;
        covered = true;
      }
    }
    if (!covered) continue;
    const double d = 1.0 - absent;
    if (!out.empty() && out.back().hi == a && std::abs(out.back().d - d) <= 1e-4 * d) {
      // Join, keeping the expected number of keys.
      Seg& last = out.back();
      const double keys = last.d * (last.hi - last.lo) + d * (b - a);
      last.hi = b;
      last.d = keys / (last.hi - last.lo);
    } else {
      out.push_back(Seg{a, b, d});
    }
  }
  return out;
}

double Keys(const std::vector<Seg>& segs) {
  double n = 0;
  for (const Seg& s : segs) n += s.d * (s.hi - s.lo);
  return n;
}

class Simulator {
 public:
  Simulator(const Workload& w, const ModelConfig& config)
      : w_(w), config_(config), icmp_(BytewiseComparator()), limits_(config.Limits()) {
    auto v = std::make_shared<Version>();
    v->Finalize(limits_);
    version_ = std::move(v);
    cal_ = Calibrate(w, config, icmp_);
  }

  ModelResult Run() {
    const auto start = std::chrono::steady_clock::now();
    r_.entries_per_flush = cal_.entries_per_flush;
    r_.bytes_per_flush = cal_.flush_bytes;
    r_.user_bytes = static_cast<uint64_t>(w_.num) * static_cast<uint64_t>(16 + w_.value_size);
    // The engine freezes the memtable when a put finds it over the write buffer: the puts
    // after the last full memtable stay in memory.
    const uint64_t e = cal_.entries_per_flush;
    const uint64_t n = static_cast<uint64_t>(w_.num);
    const uint64_t flushes = n > e ? (n - 1) / e : 0;
    const FileState proto = FlushedTable();
    for (uint64_t i = 0; i < flushes; ++i) {
      Flush(proto);
      CompactUntilDone();
    }
    Summarize();
    r_.seconds = Seconds(start);
    return r_;
  }

 private:
  // The table one memtable of `e` puts flushes to (the same shape every time).
  FileState FlushedTable() const {
    FileState f;
    const double e = static_cast<double>(cal_.entries_per_flush);
    f.entries = e;
    const std::vector<Piece> pieces = Pieces(w_);
    for (const Piece& p : pieces) {
      const double k = p.hi - p.lo, puts = e * p.weight;
      const double distinct = k * -std::expm1(puts * std::log1p(-1.0 / std::max(k, 1.0 + 1e-9)));
      f.segs.push_back(Seg{p.lo, p.hi, std::min(1.0, distinct / k)});
    }
    // Expected smallest and largest keys: one gap in from each end.
    const Piece& first = pieces.front();
    const Piece& last = pieces.back();
    f.lo = static_cast<int64_t>((first.hi - first.lo) / (e * first.weight + 1));
    f.hi = static_cast<int64_t>(
        std::ceil(last.hi - 1 - (last.hi - last.lo) / (e * last.weight + 1)));
    f.hi = std::clamp<int64_t>(f.hi, f.lo, w_.keys - 1);
    f.segs.front().lo = static_cast<double>(f.lo);
    f.segs.back().hi = static_cast<double>(f.hi + 1);
    return f;
  }

  void Install(const VersionEdit& edit) {
    VersionBuilder builder(&icmp_, version_.get());
    builder.Apply(edit);
    auto v = std::make_shared<Version>();
    Status s = builder.SaveTo(v.get());
    assert(s.ok());
    (void)s;
    v->Finalize(limits_);
    version_ = std::move(v);
    uint64_t live = 0;
    for (const auto& files : version_->files) live += files.size();
    r_.max_live_files = std::max(r_.max_live_files, live);
  }

  void Flush(const FileState& table) {
    const uint64_t number = next_number_++;
    auto meta = MakeMeta(number, cal_.flush_bytes, table.lo, table.hi);
    int level = 0;
    if (config_.style == CompactionStyle::kLeveled) {
      level = PickLevelForMemTableOutput(icmp_, *version_, meta->smallest.user_key(),
                                         meta->largest.user_key());
    }
    files_[number] = table;
    VersionEdit edit;
    edit.AddFile(level, number, meta->file_size, meta->smallest, meta->largest);
    Install(edit);
    ++r_.flushes;
    ++r_.table_files_written;
    r_.flush_bytes += cal_.flush_bytes;
  }

  void CompactUntilDone() {
    for (int guard = 0; guard < 100000; ++guard) {
      std::unique_ptr<Compaction> c = PickNextCompaction(config_, icmp_, version_, &pointers_);
      if (c == nullptr) return;
      RunCompaction(c.get());
    }
    assert(false && "the policy never settles");
  }

  void RunCompaction(Compaction* c) {
    VersionEdit edit;
    if (c->IsTrivialMove()) {
      const auto& f = c->inputs(0)[0];
      edit.RemoveFile(c->level(), f->number);
      edit.AddFile(c->output_level(), f->number, f->file_size, f->smallest, f->largest);
      Install(edit);
      ++r_.trivial_moves;
      return;
    }
    std::vector<const FileState*> inputs;
    for (int level = 0; level < kNumLevels; ++level) {
      for (const auto& f : c->level_inputs(level)) inputs.push_back(&files_.at(f->number));
    }
    const std::vector<Seg> merged = Union(inputs);
    c->AddInputDeletions(&edit);

    // Walk the merged key space, cutting outputs as CompactionJob::Run does.
    const bool single = c->single_output_file();
    const double cut_bytes = single ? kInf : cal_.CutBytes(config_.max_file_size);
    std::vector<double> gp_pos;  // first key after each grandparent
    for (const auto& g : c->grandparents()) {
      gp_pos.push_back(static_cast<double>(files_.at(g->number).hi + 1));
    }
    size_t gp = 0;
    FileState out;
    double out_start = merged.empty() ? 0 : merged.front().lo;
    double out_bytes = 0;
    bool first_key = true;
    auto finish = [&](double end) {
      if (out.segs.empty() || Keys(out.segs) <= 0) {
        out = FileState();
        out_bytes = 0;
        out_start = end;
        return;
      }
      out.entries = Keys(out.segs);
      out.lo = static_cast<int64_t>(std::ceil(out_start));
      out.hi = std::max(out.lo, static_cast<int64_t>(std::ceil(end)) - 1);
      const uint64_t number = next_number_++;
      const auto bytes = static_cast<uint64_t>(std::llround(out_bytes));
      auto meta = MakeMeta(number, std::max<uint64_t>(bytes, 1), out.lo, out.hi);
      edit.AddFile(c->output_level(), number, meta->file_size, meta->smallest, meta->largest);
      files_[number] = std::move(out);
      r_.compaction_bytes += bytes;
      ++r_.table_files_written;
      out = FileState();
      out_bytes = 0;
      out_start = end;
    };
    auto add = [&](double a, double b, double d, double rate) {
      if (b <= a) return;
      if (out.segs.empty()) out_start = a;
      out.segs.push_back(Seg{a, b, d});
      out_bytes += rate * (b - a);
    };
    for (const Seg& s : merged) {
      const double rate = s.d * cal_.BytesPerEntry(s.d);  // bytes per unit of key space
      double pos = s.lo;
      while (pos < s.hi) {
        // Grandparents passed before this key: the real ShouldStopBefore decides.
        bool passed = false;
        while (gp < gp_pos.size() && gp_pos[gp] <= pos) {
          ++gp;
          passed = true;
        }
        if (!single && (first_key || (passed && !out.segs.empty()))) {
          if (c->ShouldStopBefore(SeekKey(pos)) && !out.segs.empty()) finish(pos);
          first_key = false;
        }
        double end = s.hi;
        if (gp < gp_pos.size()) end = std::min(end, gp_pos[gp]);
        const double cut = rate > 0 ? pos + (cut_bytes - out_bytes) / rate : kInf;
        if (cut < end) {
          add(pos, cut, s.d, rate);
          finish(cut);
          pos = cut;
        } else {
          add(pos, end, s.d, rate);
          pos = end;
        }
      }
    }
    finish(merged.empty() ? 0 : merged.back().hi);
    for (int level = 0; level < kNumLevels; ++level) {
      for (const auto& f : c->level_inputs(level)) files_.erase(f->number);
    }
    Install(edit);
    ++r_.compactions;
  }

  void Summarize() {
    const Version& v = *version_;
    std::vector<const FileState*> all;
    for (int level = 0; level < kNumLevels; ++level) {
      r_.live_bytes += v.LevelBytes(level);
      r_.live_files += v.files[level].size();
      for (const auto& f : v.files[level]) all.push_back(&files_.at(f->number));
      if (level > 0 && !v.files[level].empty()) ++r_.nonempty_levels;
    }
    r_.l0_files = v.NumFiles(0);
    const std::vector<Seg> everything = Union(all);
    r_.unique_entries = Keys(everything);
    double unique_bytes = 0;
    for (const Seg& s : everything) unique_bytes += s.d * cal_.BytesPerEntry(s.d) * (s.hi - s.lo);
    r_.unique_bytes = static_cast<uint64_t>(unique_bytes);
    r_.engine_compacted_estimate = EstimateCompactedBytes(icmp_, v);

    // Read amplification, averaged over the key space: runs newest first.
    const std::vector<SortedRun> runs = SortedRuns(v);
    r_.sorted_runs = static_cast<int>(runs.size());
    const double k = static_cast<double>(w_.keys);
    double reach = 1.0;  // P(no newer run holds the key)
    double probes_until_hit = 0;
    std::vector<double> reach_at;
    for (const SortedRun& run : runs) {
      double coverage = 0, keys = 0;
      for (const auto& f : run.files) {
        const FileState& s = files_.at(f->number);
        coverage += static_cast<double>(s.hi - s.lo + 1);
        keys += Keys(s.segs);
      }
      r_.tables_per_miss += std::min(1.0, coverage / k);
      reach_at.push_back(reach);
      reach *= 1.0 - std::min(1.0, keys / k);
    }
    const double live = 1.0 - reach;
    for (size_t j = 0; j < runs.size(); ++j) probes_until_hit += reach_at[j] - reach;
    r_.tables_per_hit = Ratio(probes_until_hit, live);
    r_.level_summary = v.LevelSummary();
    for (int level = 0; level < kNumLevels; ++level) {
      if (v.files[level].empty()) continue;
      if (!r_.level_bytes.empty()) r_.level_bytes += ", ";
      r_.level_bytes += fmt::format("L{} {:.1f} MiB", level, v.LevelBytes(level) / 1048576.0);
    }
  }

  const Workload w_;
  const ModelConfig config_;
  const InternalKeyComparator icmp_;
  const CompactionLimits limits_;
  Calibration cal_;
  std::shared_ptr<const Version> version_;
  CompactPointers pointers_;
  std::unordered_map<uint64_t, FileState> files_;
  uint64_t next_number_ = 2;
  ModelResult r_;
};

}  // namespace

Options ModelConfig::ToOptions() const {
  Options o;
  o.write_buffer_size = static_cast<size_t>(write_buffer_size);
  o.max_file_size = max_file_size;
  o.max_bytes_for_level_base = max_bytes_for_level_base;
  o.compaction_style = style;
  o.universal = universal;
  o.lazy_leveling_size_ratio = lazy_leveling_size_ratio;
  return o;
}

uint64_t NextKeyIndex(const Workload& w, Random* rnd) {
  const uint64_t keys = static_cast<uint64_t>(w.keys);
  if (!w.skewed || keys < 5) return rnd->Uniform(keys);
  const uint64_t hot = std::max<uint64_t>(1, keys / 5);
  return rnd->Uniform(10) < 8 ? rnd->Uniform(hot) : hot + rnd->Uniform(keys - hot);
}

std::shared_ptr<FileMetaData> MakeFileMeta(uint64_t number, uint64_t file_size,
                                           std::string_view smallest_user_key,
                                           std::string_view largest_user_key) {
  auto f = std::make_shared<FileMetaData>();
  f->number = number;
  f->file_size = file_size;
  f->smallest = InternalKey(smallest_user_key, kMaxSequenceNumber, kValueTypeForSeek);
  f->largest = InternalKey(largest_user_key, 0, ValueType::kValue);
  return f;
}

std::unique_ptr<Compaction> PickNextCompaction(const ModelConfig& config,
                                               const InternalKeyComparator& icmp,
                                               std::shared_ptr<const Version> v,
                                               CompactPointers* pointers) {
  std::optional<CompactionPlan> plan;
  switch (config.style) {
    case CompactionStyle::kLeveled: return PickCompaction(icmp, std::move(v), pointers);
    case CompactionStyle::kTiered: plan = PickTieredCompaction(*v, config.universal); break;
    case CompactionStyle::kLazyLeveled:
      plan = PickLazyLeveledCompaction(*v, config.universal, config.lazy_leveling_size_ratio);
      break;
  }
  if (!plan) return nullptr;
  return std::make_unique<Compaction>(&icmp, std::move(v), std::move(plan->inputs),
                                      plan->output_level, std::move(plan->reason));
}

double ModelResult::WriteAmp() const {
  return Ratio(static_cast<double>(flush_bytes + compaction_bytes), static_cast<double>(user_bytes));
}
double ModelResult::SpaceAmp() const {
  return Ratio(static_cast<double>(live_bytes), static_cast<double>(unique_bytes));
}
double ModelResult::EngineSpaceAmp() const {
  return Ratio(static_cast<double>(live_bytes), static_cast<double>(engine_compacted_estimate));
}
double ModelResult::MiniLsmWriteAmp() const {
  return Ratio(static_cast<double>(table_files_written), static_cast<double>(flushes));
}
double ModelResult::MiniLsmSpaceAmp() const {
  return Ratio(static_cast<double>(max_live_files), static_cast<double>(flushes));
}

ModelResult RunModel(const Workload& workload, const ModelConfig& config) {
  return Simulator(workload, config).Run();
}

}  // namespace lsm::model
