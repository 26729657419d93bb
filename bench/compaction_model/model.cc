#include "bench/compaction_model/model.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "step3_memtable/memtable.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/format.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_options.h"
#include "step5_lsm/compaction_picker.h"
#include "step5_lsm/tiered_policy.h"

namespace lsm::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Ratio(double a, double b) { return b == 0 ? 0.0 : a / b; }

// A piece of the key space [lo, hi): each key is in the table by the fill with probability
// `fill` (disjoint across the fill's tables) or by a random put with probability `hot` (a hot
// key) or `cold` (any other), independent across tables.
struct Seg {
  double lo, hi;
  double fill = 0, hot = 0, cold = 0;
};

// The share of keys that are hot in every piece (scattered hot keys), or 0: the hot and cold
// densities are then equal and the share does not matter.
double Presence(const Seg& s, double hot_share) {
  const double miss_fill = 1.0 - s.fill;
  return hot_share * (1.0 - miss_fill * (1.0 - s.hot)) +
         (1.0 - hot_share) * (1.0 - miss_fill * (1.0 - s.cold));
}

// What one table knows of its keys besides its FileMetaData.
struct FileState {
  double entries = 0;     // entries stored (a flushed table keeps every version it got)
  std::vector<Seg> segs;  // presence, sorted, disjoint
  int64_t lo = 0, hi = 0;  // user-key range as key indices (inclusive)
};

// A piece of the workload's random puts: each put picks a given key of [lo, hi) with
// probability q_hot (a hot key) or q_cold (any other).
struct Piece {
  double lo, hi, q_hot, q_cold;
};

std::vector<Piece> Pieces(const Workload& w) {
  const double k = static_cast<double>(w.keys);
  if (!w.skewed || w.keys < 5) return {{0, k, 1.0 / k, 1.0 / k}};
  const double hot = static_cast<double>(w.HotKeys());
  const double share = w.hot_ops_percent / 100.0;
  if (w.scattered) {
    // The lab's draw: a hot rank with probability `share`, else a rank over every key.
    return {{0, k, share / hot + (1 - share) / k, (1 - share) / k}};
  }
  const double q_hot = share / hot, q_cold = (1 - share) / std::max(1.0, k - hot);
  return {{0, hot, q_hot, q_hot}, {hot, k, q_cold, q_cold}};
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
  TableSetup(const InternalKeyComparator* icmp, CompressionType compression)
      : bloom(NewBloomFilterPolicy(10)), filter(bloom.get()) {
    options.comparator = icmp;
    options.compression = SnappySupported() ? compression : CompressionType::kNone;
    options.filter_policy = &filter;
  }
  std::unique_ptr<const FilterPolicy> bloom;
  InternalFilterPolicy filter;
  TableOptions options;
};

Calibration Calibrate(const Workload& w, const ModelConfig& config,
                      const InternalKeyComparator& icmp) {
  Calibration cal;
  TableSetup setup(&icmp, config.compression);
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

// The union of the files' key presence: the fill's densities add up (its tables hold
// disjoint keys), the random puts' combine as 1 - prod(1 - d_i). Adjacent equal pieces joined.
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
  auto close = [](double x, double y) { return std::abs(x - y) <= 1e-4 * std::max(x, y); };
  for (size_t j = 0; j + 1 < bounds.size(); ++j) {
    const double a = bounds[j], b = bounds[j + 1], mid = 0.5 * (a + b);
    double fill = 0, miss_hot = 1.0, miss_cold = 1.0;
    bool covered = false;
    for (size_t i = 0; i < files.size(); ++i) {
      const auto& segs = files[i]->segs;
      while (at[i] < segs.size() && segs[at[i]].hi <= mid) ++at[i];
      if (at[i] < segs.size() && segs[at[i]].lo <= mid) {
        const Seg& s = segs[at[i]];
        fill += s.fill;
        miss_hot *= 1.0 - s.hot;
        miss_cold *= 1.0 - s.cold;
        covered = true;
      }
    }
    if (!covered) continue;
    const Seg seg{a, b, std::min(1.0, fill), 1.0 - miss_hot, 1.0 - miss_cold};
    if (!out.empty() && out.back().hi == a && close(out.back().fill, seg.fill) &&
        close(out.back().hot, seg.hot) && close(out.back().cold, seg.cold)) {
      // Join, keeping the expected number of keys of each kind.
      Seg& last = out.back();
      const double wl = last.hi - last.lo, ws = b - a, w = wl + ws;
      last.fill = (last.fill * wl + seg.fill * ws) / w;
      last.hot = (last.hot * wl + seg.hot * ws) / w;
      last.cold = (last.cold * wl + seg.cold * ws) / w;
      last.hi = b;
    } else {
      out.push_back(seg);
    }
  }
  return out;
}

double Keys(const std::vector<Seg>& segs, double hot_share) {
  double n = 0;
  for (const Seg& s : segs) n += Presence(s, hot_share) * (s.hi - s.lo);
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
    if (w.skewed && w.scattered && w.keys >= 5) {
      hot_share_ = static_cast<double>(w.HotKeys()) / static_cast<double>(w.keys);
    }
  }

  ModelResult Run() {
    const auto start = std::chrono::steady_clock::now();
    r_.entries_per_flush = cal_.entries_per_flush;
    r_.bytes_per_flush = cal_.flush_bytes;
    const uint64_t n = w_.TotalPuts();
    r_.user_bytes = n * static_cast<uint64_t>(16 + w_.value_size);
    // The engine freezes the memtable when a put finds it over the write buffer: the puts
    // after the last full memtable stay in memory. Flush i holds puts [i e, (i + 1) e): the
    // fill's, the random puts', or (once) some of each.
    const uint64_t e = cal_.entries_per_flush;
    const uint64_t flushes = n > e ? (n - 1) / e : 0;
    const uint64_t fill = w_.FillPuts();
    const bool timed = config_.put_rate > 0 && config_.background_rate > 0;
    auto table = [&](uint64_t start, uint64_t puts) {
      const uint64_t from_fill = fill > start ? std::min(puts, fill - start) : 0;
      return FlushedTable(static_cast<double>(from_fill), static_cast<double>(puts - from_fill));
    };
    for (uint64_t i = 0; i < flushes; ++i) {
      if (timed) {
        WriteMemTable(static_cast<double>(e));
        TimedFlush(table(i * e, e), cal_.flush_bytes);
      } else {
        Flush(table(i * e, e), cal_.flush_bytes);
        CompactUntilDone();
      }
    }
    if (config_.flush_at_end && n > flushes * e) {
      // The rest of the puts: a smaller table, as the lab's settle flushes it.
      const uint64_t rest = n - flushes * e;
      const auto bytes = static_cast<uint64_t>(static_cast<double>(cal_.flush_bytes) *
                                               static_cast<double>(rest) / static_cast<double>(e));
      if (timed) WriteMemTable(static_cast<double>(rest));
      Flush(table(flushes * e, rest), std::max<uint64_t>(bytes, 1));
    }
    CompactUntilDone();
    r_.stall_seconds = stall_seconds_;
    r_.writer_seconds = writer_time_;
    Summarize();
    r_.seconds = Seconds(start);
    return r_;
  }

 private:
  // The table a memtable of `fill_puts` puts of the fill and `random_puts` random ones
  // flushes to.
  FileState FlushedTable(double fill_puts, double random_puts) const {
    FileState f;
    f.entries = fill_puts + random_puts;
    const double k = static_cast<double>(w_.keys);
    const std::vector<Piece> pieces = Pieces(w_);
    // 1 - (1 - q)^m: the chance m independent puts include a given key.
    auto present = [&](double q) { return -std::expm1(random_puts * std::log1p(-std::min(q, 1.0 - 1e-12))); };
    for (const Piece& p : pieces) {
      f.segs.push_back(Seg{p.lo, p.hi, fill_puts / k, present(p.q_hot), present(p.q_cold)});
    }
    // Expected smallest and largest keys: one gap in from each end, the gap being the key
    // space per put that lands there.
    auto puts_per_key = [&](const Piece& p) {
      const double q = hot_share_ * p.q_hot + (1 - hot_share_) * p.q_cold;
      return fill_puts / k + random_puts * q;
    };
    f.lo = static_cast<int64_t>(1.0 / (puts_per_key(pieces.front()) + 1.0 / k));
    f.hi = static_cast<int64_t>(
        std::ceil(pieces.back().hi - 1 - 1.0 / (puts_per_key(pieces.back()) + 1.0 / k)));
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
    // The model's tables never overlap within a level; a failure here is a bug in the model.
    if (!s.ok()) {
      fmt::print(stderr, "compaction model: {}\n", s.ToString());
      std::abort();
    }
    v->Finalize(limits_);
    version_ = std::move(v);
    uint64_t live = 0;
    for (const auto& files : version_->files) live += files.size();
    r_.max_live_files = std::max(r_.max_live_files, live);
  }

  // --- Timed replay (ModelConfig::put_rate and background_rate) -------------------------
  // One writer and one background thread, as in the engine (MakeRoomForWrite in db_impl.cc,
  // the background thread in db_background.cc): the writer fills a memtable at put_rate,
  // slowed by 1 ms per put while L0 holds kL0SlowdownWritesTrigger
  // files, and waits while the previous memtable is still being flushed or L0 holds
  // kL0StopWritesTrigger files. The background thread runs one compaction at a time, each
  // taking its output bytes / background_rate seconds, and flushes a frozen memtable at once
  // (the engine does so in the middle of a compaction), which delays the compaction. A
  // compaction's edit is installed when it is picked; until it ends the writer still counts
  // its L0 inputs.

  // L0 files as the writer sees them at time t.
  int L0FilesSeen(double t) const {
    return version_->NumFiles(0) + (t < running_end_ ? running_l0_inputs_ : 0);
  }

  // Runs the background thread's compactions that start before `until`.
  void Advance(double until) {
    while (background_free_ < until) {
      std::unique_ptr<Compaction> c = PickCompactionForStyle(icmp_, version_, options_, &pointers_);
      if (c == nullptr) {
        background_free_ = until;  // idle
        return;
      }
      const int l0_inputs = c->level() == 0 ? static_cast<int>(c->inputs(0).size()) : 0;
      const uint64_t bytes = RunCompaction(c.get());
      background_free_ += static_cast<double>(bytes) / config_.background_rate;
      running_end_ = background_free_;
      running_l0_inputs_ = bytes > 0 ? l0_inputs : 0;  // a trivial move takes no time
    }
  }

  // The writer puts `puts` entries into the memtable.
  void WriteMemTable(double puts) {
    constexpr int kChunks = 64;
    const double chunk = puts / kChunks;
    for (int i = 0; i < kChunks; ++i) {
      Advance(writer_time_);
      double per_put = 1.0 / config_.put_rate;
      if (L0FilesSeen(writer_time_) >= kL0SlowdownWritesTrigger) {
        per_put += 0.001;
        stall_seconds_ += 0.001 * chunk;
      }
      writer_time_ += chunk * per_put;
    }
  }

  // The memtable is full: freeze it (waiting as MakeRoomForWrite does) and flush it.
  void TimedFlush(const FileState& table, uint64_t bytes) {
    Advance(writer_time_);
    for (int guard = 0; guard < 100000; ++guard) {
      const bool imm_busy = imm_free_ > writer_time_;
      const bool l0_full = L0FilesSeen(writer_time_) >= kL0StopWritesTrigger;
      if (!imm_busy && !l0_full) break;
      // Wait for the flush, or for the running compaction (or the next one) to end.
      double until = imm_busy ? imm_free_ : std::max(running_end_, background_free_);
      if (until <= writer_time_) {
        Advance(writer_time_ + 1e-3);  // nothing running: let the next compaction start
        until = std::max(running_end_, writer_time_ + 1e-6);
      }
      stall_seconds_ += until - writer_time_;
      writer_time_ = until;
      Advance(writer_time_);
    }
    const double flush_seconds = static_cast<double>(bytes) / config_.background_rate;
    Flush(table, bytes);
    imm_free_ = writer_time_ + flush_seconds;
    background_free_ = std::max(background_free_, writer_time_) + flush_seconds;
    if (running_end_ > writer_time_) running_end_ += flush_seconds;
  }

  void Flush(const FileState& table, uint64_t file_bytes) {
    const uint64_t number = next_number_++;
    auto meta = MakeMeta(number, file_bytes, table.lo, table.hi);
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
    r_.flush_bytes += file_bytes;
  }

  void CompactUntilDone() {
    for (int guard = 0; guard < 100000; ++guard) {
      std::unique_ptr<Compaction> c = PickCompactionForStyle(icmp_, version_, options_, &pointers_);
      if (c == nullptr) return;
      RunCompaction(c.get());
    }
    assert(false && "the policy never settles");
  }

  // Installs c's estimated outputs; returns the bytes it writes.
  uint64_t RunCompaction(Compaction* c) {
    VersionEdit edit;
    if (c->IsTrivialMove()) {
      AddTrivialMove(*c, &edit);
      Install(edit);
      ++r_.trivial_moves;
      return 0;
    }
    const uint64_t bytes_before = r_.compaction_bytes;
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
      // Nothing in it, or a sliver of key space with no whole key (a cut just before the end):
      // no table.
      if (out.segs.empty() || Keys(out.segs, hot_share_) <= 0 ||
          std::ceil(out_start) > std::ceil(end) - 1) {
        out = FileState();
        out_bytes = 0;
        out_start = end;
        return;
      }
      out.entries = Keys(out.segs, hot_share_);
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
    auto add = [&](double a, double b, const Seg& s, double rate) {
      if (b <= a) return;
      if (out.segs.empty()) out_start = a;
      out.segs.push_back(Seg{a, b, s.fill, s.hot, s.cold});
      out_bytes += rate * (b - a);
    };
    for (const Seg& s : merged) {
      const double d = Presence(s, hot_share_);
      const double rate = d * cal_.BytesPerEntry(d);  // bytes per unit of key space
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
          add(pos, cut, s, rate);
          finish(cut);
          pos = cut;
        } else {
          add(pos, end, s, rate);
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
    return r_.compaction_bytes - bytes_before;
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
    r_.unique_entries = Keys(everything, hot_share_);
    double unique_bytes = 0;
    for (const Seg& s : everything) {
      const double d = Presence(s, hot_share_);
      unique_bytes += d * cal_.BytesPerEntry(d) * (s.hi - s.lo);
    }
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
        keys += Keys(s.segs, hot_share_);
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
  const Options options_ = config_.ToOptions();  // for the engine's picker
  const InternalKeyComparator icmp_;
  const CompactionLimits limits_;
  Calibration cal_;
  double hot_share_ = 0;  // Presence()'s share of hot keys: scattered skew only
  // The timed replay's clocks (seconds since the first put).
  double writer_time_ = 0, background_free_ = 0, imm_free_ = 0, running_end_ = 0;
  int running_l0_inputs_ = 0;
  double stall_seconds_ = 0;
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
  o.compression = compression;
  return o;
}

Status SetStyle(std::string_view name, ModelConfig* config) {
  return ParseCompactionStyle(name, &config->style);
}

uint64_t Workload::HotKeys() const {
  return std::max<uint64_t>(1, static_cast<uint64_t>(keys) * static_cast<uint64_t>(hot_keys_percent) / 100);
}

uint64_t ScatterStride(uint64_t keys) {
  uint64_t stride = keys / 3 + 1;
  while (std::gcd(stride, keys) != 1) ++stride;
  return stride;
}

std::vector<uint32_t> ShuffledKeys(uint64_t keys, uint64_t seed) {
  std::vector<uint32_t> order(static_cast<size_t>(keys));
  std::iota(order.begin(), order.end(), 0u);
  Random shuffle(seed);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[shuffle.Uniform(i)]);
  return order;
}

uint64_t NextKeyIndex(const Workload& w, Random* rnd) {
  const uint64_t keys = static_cast<uint64_t>(w.keys);
  if (!w.skewed || keys < 5) return rnd->Uniform(keys);
  const uint64_t hot = w.HotKeys();
  const bool is_hot = rnd->Uniform(100) < static_cast<uint64_t>(w.hot_ops_percent);
  if (w.scattered) {
    const uint64_t rank = rnd->Uniform(is_hot ? hot : keys);
    return (rank * ScatterStride(keys)) % keys;
  }
  return is_hot ? rnd->Uniform(hot) : hot + rnd->Uniform(keys - hot);
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
