#!/usr/bin/env python3
"""Turns db_bench's JSON lines (--results) into a Markdown table (micros/op per engine and the
ratio ours/peer) and an SVG chart (ops/s per workload and engine).

usage: peer_report.py [--kind=peers|ycsb|rww] RESULTS.jsonl OUT_PREFIX

  peers (default)  OUT_PREFIX.md, OUT_PREFIX.svg (ops/s per workload and engine)
  ycsb             the same, plus per-operation latency and stall tables in the .md and one
                   latency chart per workload, OUT_PREFIX.latency_<workload>.svg (p50, p99,
                   p99.9 bars per engine and operation kind)
  rww              the .md with reader and writer rates, latency and stall tables;
                   OUT_PREFIX.svg is the throughput over time of readwhilewriting (readers and
                   the paced writer, per engine), OUT_PREFIX.latency_<workload>.svg as for ycsb
Latencies are nearest-rank percentiles (bench/lib/histogram.h), in microseconds.
"""
import json
import sys
from collections import OrderedDict

from charts import grouped_bars_svg, line_chart_svg, provenance

EXTRA = {"write_amplification": "write amplification (×)", "peak_rss_mib": "peak RSS (MiB)"}
TITLES = {"peers": "Our engine vs LevelDB 1.23 vs RocksDB",
          "ycsb": "YCSB core workloads A–F: our engine vs LevelDB 1.23 vs RocksDB",
          "rww": "Reads while writing: our engine vs LevelDB 1.23 vs RocksDB"}
SETTINGS = ("Settings matched: no compression, 4 MiB write buffer, 10 bloom bits/key, 8 MiB "
            "block cache, 16-byte keys, 100-byte values")


def latency_section(workloads, engines, all_records):
    """Markdown rows: per workload, engine and operation kind, the count and percentiles."""
    records = OrderedDict((k, all_records[k]) for b in workloads for e in engines
                          if (k := (b, e)) in all_records)
    lines = ["", "## Latency per operation (microseconds, nearest-rank percentiles)", "",
             "| workload | engine | operation | count | p50 | p99 | p99.9 | max |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for (bench, engine), r in records.items():
        for op, l in r.get("latency", {}).items():
            lines.append(f"| {bench} | {engine} | {op} | {l['count']} | {l['p50_us']:.2f} | "
                         f"{l['p99_us']:.2f} | {l['p999_us']:.2f} | {l['max_us']:.2f} |")
    lines += ["", "## Write stalls", "",
              "engine-reported: ours from the stall line of lsm.amplification (the engine's "
              "counters of the writes it slowed by 1 ms or stopped), RocksDB from cfstats (stall conditions entered) and db-stats "
              "(cumulative stall time); LevelDB reports none. Spikes: puts, updates, inserts and "
              "read-modify-writes slower than 1 ms, timed the same way for every engine.", "",
              "| workload | engine | source | stalls | stall time (ms) | writes > 1 ms | "
              "their time (ms) |", "|---|---|---|---:|---:|---:|---:|"]
    for (bench, engine), r in records.items():
        if "stall_source" not in r:
            continue
        count = f"{r['stall_count']:.0f}" if "stall_count" in r else "—"
        time_ms = f"{r['stall_micros'] / 1e3:.1f}" if "stall_micros" in r else "—"
        lines.append(f"| {bench} | {engine} | {r['stall_source']} | {count} | {time_ms} | "
                     f"{r['spike_count']:.0f} | {r['spike_micros'] / 1e3:.1f} |")
    return lines


def latency_chart(bench, records, engines):
    """p50/p99/p99.9 bars per engine, grouped by operation kind and percentile."""
    groups, values = [], {}
    for e in engines:
        for op, l in records.get((bench, e), {}).get("latency", {}).items():
            for label, key in (("p50", "p50_us"), ("p99", "p99_us"), ("p99.9", "p999_us")):
                g = f"{op} {label}"
                if g not in groups:
                    groups.append(g)
                values[(g, e)] = l[key]
    return grouped_bars_svg(f"{bench}: latency percentiles in µs (log scale, lower is better)",
                            groups, engines, lambda g, e: values.get((g, e)))


def timeline_chart(bench, records, engines):
    series = []
    for e in engines:
        r = records.get((bench, e))
        if not r:
            continue
        step = r.get("sample_ms", 1000) / 1000.0
        for name, key in ((f"{e} readers", "ops_per_sec"), (f"{e} writer", "writer_series")):
            if key in r:
                series.append((name, [((i + 1) * step, v) for i, v in enumerate(r[key])]))
    return line_chart_svg(f"{bench}: operations per second over time", series)


def main():
    args = sys.argv[1:]
    kind = "peers"
    if args and args[0].startswith("--kind="):
        kind = args.pop(0).split("=", 1)[1]
    if len(args) != 2 or kind not in TITLES:
        sys.exit(__doc__)
    results, prefix = args
    table = OrderedDict()  # benchmark -> engine -> micros/op
    records = OrderedDict()  # (benchmark, engine) -> the whole JSON record
    engines = []
    with open(results) as f:
        for line in f:
            r = json.loads(line)
            table.setdefault(r["benchmark"], {})[r["engine"]] = r["micros_per_op"]
            records[(r["benchmark"], r["engine"])] = r
            if r["engine"] not in engines:
                engines.append(r["engine"])
    if not table:
        sys.exit(f"peer_report.py: no results in {results}")
    peers = [e for e in engines if e != "ours"] if "ours" in engines else []
    head = "| workload | " + " | ".join(engines) + "".join(f" | ours/{p}" for p in peers) + " |"
    if kind == "peers":
        intro = ("micros/op (lower is better); last rows: write amplification and peak RSS. Ratio "
                 "< 1 means ours is faster or smaller. " + SETTINGS + ", 1 thread. "
                 f"Run of {provenance()}.")
    else:
        intro = ("micros/op (mean over the workload's threads, lower is better); last rows: write "
                 "amplification and peak RSS. Ratio < 1 means ours is faster or smaller. "
                 + SETTINGS + ". " + (
                     "YCSB: request distribution zipfian (scrambled, 0.99) unless the run says "
                     "otherwise, D reads the latest records, E scans 1..100 entries. "
                     if kind == "ycsb" else
                     "Readers (--threads) do random reads or seeks while one writer puts random "
                     "keys at a fixed rate (--writes_per_sec) until they finish. ")
                 + f"Run of {provenance()}.")
    lines = [f"# {TITLES[kind]}", "", intro, "", head,
             "|---|" + "---:|" * (len(engines) + len(peers))]
    for b, row in table.items():
        cells = [f"{row[e]:.3f}" if e in row else "—" for e in engines]
        for p in peers:
            cells.append(f"{row['ours'] / row[p]:.2f}" if "ours" in row and row.get(p) else "—")
        lines.append(f"| {EXTRA.get(b, b)} | " + " | ".join(cells) + " |")
    workloads = [b for b in table if b not in EXTRA]
    timed = [b for b in workloads if any("latency" in records.get((b, e), {}) for e in engines)]
    writers = [b for b in workloads if any("writer_ops" in records.get((b, e), {})
                                           for e in engines)]
    if writers:
        lines += ["", "## Readers and the paced writer (operations per second)", "",
                  "| workload | engine | readers ops/s | writer ops/s | writes |",
                  "|---|---|---:|---:|---:|"]
        for b in writers:
            for e in engines:
                r = records.get((b, e))
                if r and "writer_ops" in r:
                    lines.append(f"| {b} | {e} | {1e6 / r['micros_per_op']:.0f} | "
                                 f"{r['writer_ops_per_sec']:.0f} | {r['writer_ops']} |")
    written = [f"{prefix}.md", f"{prefix}.svg"]
    if kind != "peers" and timed:
        lines += latency_section(timed, engines, records)
        for b in timed:
            with open(f"{prefix}.latency_{b}.svg", "w") as f:
                f.write(latency_chart(b, records, engines))
            written.append(f"{prefix}.latency_{b}.svg")
    with open(prefix + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    if kind == "rww" and writers:
        svg = timeline_chart("readwhilewriting" if "readwhilewriting" in writers else writers[0],
                             records, engines)
    else:
        svg = grouped_bars_svg("Operations per second by engine (log scale, higher is better)",
                               workloads, engines,
                               lambda w, e: 1e6 / table[w][e] if table[w].get(e) else None)
    with open(prefix + ".svg", "w") as f:
        f.write(svg)
    print("\n".join(lines))
    print("wrote " + ", ".join(written))


if __name__ == "__main__":
    main()
