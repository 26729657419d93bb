#!/usr/bin/env python3
"""Turns compaction_lab's JSON lines (--results) into a Markdown table (one column per
engine:style) and an SVG chart (write, space and read amplification per style).

usage: lab_report.py RESULTS.jsonl OUT_PREFIX   -> OUT_PREFIX.md, OUT_PREFIX.svg
"""
import json
import sys

from charts import grouped_bars_svg, provenance

# (label, key, format); format "k" = thousands of ops/s.
ROWS = [
    ("**WA** tables (× user bytes)", "wa_tables", "{:.2f}"),
    ("WA tables: of which flushes", "wa_flush", "{:.2f}"),
    ("**WA** log (× user bytes)", "wa_log", "{:.2f}"),
    ("WA all writes (wchar)", "wa_all_writes", "{:.2f}"),
    ("**SA** live ÷ compacted tables", "sa", "{:.2f}"),
    ("SA right after the writes (live ÷ compacted)", "sa_writes", "{:.2f}"),
    ("**model** WA, compactions keep up", "model_wa", "{:.2f}"),
    ("  vs measured WA (%)", "model_wa_diff", "{:+.1f}"),
    ("**model** WA, timed (this run's put and background rates)", "model_timed_wa", "{:.2f}"),
    ("  vs measured WA (%)", "model_timed_wa_diff", "{:+.1f}"),
    ("**model** SA, compactions keep up", "model_sa", "{:.2f}"),
    ("  vs SA right after the writes (%)", "model_sa_diff", "{:+.1f}"),
    ("**model** SA, timed", "model_timed_sa", "{:.2f}"),
    ("  vs SA right after the writes (%)", "model_timed_sa_diff", "{:+.1f}"),
    ("model: zero-result lookup tables / op (keeps up)", "model_miss_tables", "{:.2f}"),
    ("model: sorted runs at end (timed)", "model_timed_runs", "{:.0f}"),
    ("model timed: put rate (k puts/s) / background rate (MiB/s)", "model_rates", None),
    ("live tables (MiB)", "live_table_mib", "{:.1f}"),
    ("after full compaction (MiB)", "compacted_table_mib", "{:.1f}"),
    ("peak disk (MiB)", "peak_disk_mib", "{:.1f}"),
    ("sorted runs at end (L0 files + non-empty levels = mini-lsm's RA)", "runs_end", "{:.0f}"),
    ("mini-lsm WA (table files written ÷ flushes)", "minilsm_write_amp", "{:.2f}"),
    ("mini-lsm SA (most live files ÷ flushes)", "minilsm_space_amp", "{:.2f}"),
    ("fillrandom (k ops/s)", "ops_fillrandom", "k"),
    ("overwrite 80/20 (k ops/s)", "ops_overwrite", "k"),
    ("readrandom (k ops/s)", "ops_readrandom", "k"),
    ("readmissing (k ops/s)", "ops_readmissing", "k"),
    ("scan, seek + 10 next (k ops/s)", "ops_scan", "k"),
    ("put p50 (µs)", "put_p50_us", "{:.2f}"),
    ("put p99 (µs)", "put_p99_us", "{:.2f}"),
    ("put p99.9 (µs)", "put_p999_us", "{:.1f}"),
    ("write stall, engine's own count (ms)", "stall_ms", "{:.0f}"),
    ("stall events, engine's own count", "stall_count", "{:.0f}"),
    ("puts slower than 1 ms: sum (ms)", "slow_puts_ms", "{:.0f}"),
    ("puts slower than 1 ms: count", "slow_puts", "{:.0f}"),
    ("settle after the writes (s)", "settle_s", "{:.2f}"),
    ("machine load average (1 min) at the end", "loadavg_1m", "{:.2f}"),
    ("**RA** point hit: tables / op", "hit_tables", "{:.2f}"),
    ("point hit: filters / op", "hit_filters", "{:.2f}"),
    ("point hit: data blocks / op", "hit_blocks", "{:.2f}"),
    ("point hit: block-cache hits / op", "hit_cache_hits", "{:.2f}"),
    ("**RA** zero-result: tables / op", "miss_tables", "{:.2f}"),
    ("zero-result: filters / op", "miss_filters", "{:.2f}"),
    ("zero-result: data blocks / op", "miss_blocks", "{:.2f}"),
    ("**RA** short scan: runs / op", "scan_runs", "{:.2f}"),
    ("short scan: tables opened / op", "scan_tables", "{:.2f}"),
    ("short scan: data blocks / op", "scan_blocks", "{:.2f}"),
]

CHART = [("WA tables", "wa_tables"), ("WA log", "wa_log"), ("SA", "sa"),
         ("RA hit: tables", "hit_tables"), ("RA miss: tables", "miss_tables"),
         ("RA scan: runs", "scan_runs")]

NOTES = """\
How each number is measured (bench/compaction_lab/compaction_lab.cc; "—" = the engine does not
report it, never an estimate):

- **User bytes** = 16-byte key + value per put, counted by the lab (fillrandom + overwrite).
- **WA tables** = table bytes written by flushes and compactions from the end of Open to the
  end of "settle" (memtable flushed, no compaction queued or running) ÷ user bytes. Ours: the
  `lsm.amplification` property (table-bytes); RocksDB: the FLUSH_WRITE_BYTES +
  COMPACT_WRITE_BYTES tickers. **WA log**: ours log-bytes, RocksDB WAL_FILE_BYTES.
  **WA all writes**: every byte the engine's process handed to write(2) (/proc/self/io wchar)
  ÷ user bytes — tables, log, MANIFEST and info log alike, the same probe for every engine.
  Our flushes keep every version the memtable holds (as LevelDB does); RocksDB's drop the
  versions no snapshot needs, so its flush WA can fall below 1 under overwrites.
- **mini-lsm's definitions** (files, not bytes; ours only, from `lsm.amplification` after the
  settle): table files written ÷ flushes, most table files live at once ÷ flushes; its read
  amplification is the "sorted runs at end" row.
- **SA** = bytes of `*.ldb`/`*.sst` files after the reads (and another settle) ÷ the same after
  `CompactRange` over everything: a directory scan, the same for every engine.
  "SA right after the writes" is the same numerator measured after the settle, before the
  reads (our leveled style's seek-triggered compactions during the reads move it).
- **The model** (ours only; `bench/compaction_model`, file metadata and the engine's own pure
  policy functions, no data): this run's workload as the model describes it (N, the skew,
  the settings; not its very keys) replayed twice in the lab's child process —
  once with every compaction running the moment it is due ("keeps up", as the engine does when
  paced), once **timed**: one writer at this run's put rate (puts ÷ seconds of writing outside
  stalls) and one background thread writing at this run's background rate (table bytes ÷
  seconds its flushes and compactions took, from `lsm.amplification`'s background line), so
  compactions fall behind and merge more L0 files or runs at once, as the engine's do. The
  difference is (model − measured) ÷ measured. Target: within 10% for WA and SA.
- **Peak disk** = all files of the directory, read every 100 ms from Open on and once more
  after the settle and after the reads (the measuring full compaction is not included).
- **RA**, per operation, from differences of the engine's counters around each read phase
  (the settle before them leaves no background work, except that our leveled style may start
  seek-triggered compactions during the reads, as LevelDB does). Ours: `lsm.amplification`
  (runs consulted, filters probed, data blocks searched and block-cache hits per point hit /
  zero-result lookup; runs and table iterators per scan). Our tables are memory-mapped and
  read in place, so their blocks never pass through the block cache. RocksDB: tables = filter
  probes (BLOOM_FILTER_USEFUL + BLOOM_FILTER_FULL_POSITIVE; every table has a full filter that
  every lookup reaching it probes), data blocks = BLOCK_CACHE_DATA_HIT + MISS, scan runs =
  PerfContext seek_child_seek_count − seek_on_memtable_count (PerfLevel kEnableCount during
  the reads). RocksDB counts no table iterators per scan; ours counts the data blocks its scan iterators read (cache hits included), like RocksDB.
- **Write stall**: ours from `lsm.amplification` (writes delayed 1 ms at the L0 slowdown
  trigger plus writes that waited for L0 to shrink or for a flush, and their time); RocksDB the
  STALL_MICROS ticker, and for the count how often its write controller entered a slowdown or
  stop condition (`rocksdb.cfstats` io_stalls.total_slowdown + total_stop) — events, not
  writes: one slowdown condition delays many writes, each by far less than 1 ms. For every
  engine the lab also sums the put calls slower than 1 ms (per-op timing into
  bench/lib/histogram.h, db_bench's histogram: exact below 2 µs, within 0.1% above): on a small machine much of that is the writer thread losing its CPU to the
  engine's background work (RocksDB runs 2 background jobs, ours 1) or to other load.
- **Settle**: flush, then wait until no flush or compaction is queued or running. RocksDB 7.8
  keeps `rocksdb.compaction-pending` at 1 when universal compaction sits at exactly its trigger
  with nothing to pick, so for RocksDB "idle" also accepts 500 ms with nothing running.
- Throughput, latency and stall rows depend on the machine and its load (the load-average
  row; 2 shared cores here). The amplification rows depend on the engines and the workload but
  also on when background compactions happen to run relative to the writes and where the run
  ends in a compaction cycle: on this machine two runs differed by up to ≈ 0.5 in the WA and
  SA of the tiered styles (e.g. RocksDB universal SA 1.08 in one run, 1.53 in the next).
"""


def fmt_cell(v, f):
    if v is None:
        return "—"
    return f"{v / 1e3:.1f}" if f == "k" else f.format(v)


def cell(record, key, f):
    if key == "model_rates":  # two numbers in one cell
        rate, mib = record.get("model_put_rate"), record.get("model_background_mib_s")
        return "—" if rate is None or mib is None else f"{rate / 1e3:.0f} / {mib:.1f}"
    return fmt_cell(record.get(key), f)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    records = {}
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                records[r["style"]] = r  # a style run twice: the later run wins
    if not records:
        sys.exit(f"lab_report.py: no results in {sys.argv[1]}")
    styles = list(records)
    first = records[styles[0]]
    n = int(first["num"])
    settings = (f"N = {n:,} keys of 16 bytes, {int(first['value_size'])}-byte values: fillrandom "
                f"(each key once, shuffled), overwrite N puts with {int(first['hot_ops_percent'])}% "
                f"to a hot {int(first['hot_keys_percent'])}% of the keys, then "
                f"{int(first['reads']):,} readrandom (all present), {int(first['reads']):,} "
                f"readmissing (absent keys inside the key range), {int(first['scans']):,} short "
                f"scans (new iterator, seek, 10 × next). Matched settings: "
                f"{int(first['write_buffer_size']) >> 20} MiB memtable, "
                f"{int(first['target_file_size']) >> 20} MiB target table size, "
                f"{int(first['bloom_bits'])} bloom bits/key, "
                f"{int(first['block_cache_bytes']) >> 20} MiB block cache, 4 KiB blocks, no "
                f"compression, L0 slowdown/stop at 8/12 files, one writer thread; each "
                f"engine:style in its own process. RocksDB universal = CompactionOptionsUniversal "
                f"defaults (size_ratio 1, min_merge_width 2, max_size_amplification_percent 200, "
                f"4 runs trigger).")
    lines = ["# Compaction lab: each compaction style on one workload", "",
             f"Run of {provenance()}. {settings}", "",
             "| metric | " + " | ".join(styles) + " |",
             "|---|" + "---:|" * len(styles)]
    for label, key, f in ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(records[s], key, f)
                                                   for s in styles) + " |")
    lines += ["", "Layout at the end of the workload (files per level; L0 files and each "
              "non-empty level are the sorted runs):", ""]
    lines += [f"- {s}: `{records[s].get('layout', '')}` → after the full compaction "
              f"`{records[s].get('layout_compacted', '')}`" for s in styles]
    lines += [f"- **WARNING** {s}: {records[s]['warning']}" for s in styles
              if records[s].get("warning")]
    lines += ["", NOTES]
    with open(sys.argv[2] + ".md", "w") as f:
        f.write("\n".join(lines))
    svg = grouped_bars_svg(f"Amplification per compaction style (N = {n:,}; lower is better)",
                           [g for g, _ in CHART], styles,
                           lambda g, s: records[s].get(dict(CHART)[g]), log_scale=False)
    with open(sys.argv[2] + ".svg", "w") as f:
        f.write(svg)
    print("\n".join(lines[:len(ROWS) + 6]))
    print(f"wrote {sys.argv[2]}.md and {sys.argv[2]}.svg")


if __name__ == "__main__":
    main()
